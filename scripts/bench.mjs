// `npm run bench`: builds, runs every bench/*.bench.ts (each prints a Markdown section on stdout), and writes
// them, with the machine they ran on, to BENCHMARKS.md. Usage: node scripts/bench.mjs [substring-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
const sections = [];
let failed = false;
for (const b of benches) {
  process.stderr.write(`\n=== bench/${b}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', b)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) {
    failed = true;
    sections.push(`## bench/${b}\n\nFailed (exit ${r.status}); see the run's stderr.\n`);
  } else sections.push(r.stdout.trim() + '\n');
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const out = `# Benchmarks

Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${machine}).
Every number below is from one run of that command: several iterations each, median (p50) and p95, with the
named comparison measured in the same run on the same input. Re-run it to refresh this file.

${sections.join('\n')}`;
if (filters.length === 0) writeFileSync(join(root, 'BENCHMARKS.md'), out);
else process.stderr.write('\n(filtered run: BENCHMARKS.md not rewritten)\n');
process.exit(failed ? 1 : 0);
