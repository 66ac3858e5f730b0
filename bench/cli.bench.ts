// CLI throughput (lines/second) against Bandit on the same Python input, in the same run: many small files,
// and 100 files of 1 000 lines. Both tools are run as a user would run them, start-up included.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile } from './stats';
import { pythonSource } from './corpus';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

function corpus(dir: string, files: number, lines: number): number {
  mkdirSync(dir, { recursive: true });
  let total = 0;
  for (let i = 0; i < files; i++) {
    const src = pythonSource(lines, i);
    total += src.split('\n').length;
    writeFileSync(join(dir, `m${i}.py`), src);
  }
  return total;
}

function time(cmd: string, args: string[], okCodes: number[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!okCodes.includes(r.status ?? -1))
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const haveBandit = spawnSync('bandit', ['--version'], { stdio: 'ignore' }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'sg-bench-cli-'));
const rows: string[] = [];
try {
  const inputs = [
    { label: '500 files × 20 lines', dir: join(work, 'small'), files: 500, lines: 20 },
    { label: '100 files × 1 000 lines', dir: join(work, 'large'), files: 100, lines: 1000 },
  ];
  for (const input of inputs) {
    const lines = corpus(input.dir, input.files, input.lines);
    const runs = 5;
    const ours: number[] = [];
    const theirs: number[] = [];
    time(process.execPath, [cli, 'check', '--format', 'json', input.dir], [0, 1]); // warm the file cache
    for (let i = 0; i < runs; i++)
      ours.push(time(process.execPath, [cli, 'check', '--format', 'json', input.dir], [0, 1]));
    if (haveBandit) {
      for (let i = 0; i < 3; i++) theirs.push(time('bandit', ['-q', '-r', '-f', 'json', input.dir], [0, 1]));
    }
    const tput = (ms: number) => Math.round(lines / (ms / 1000));
    const ratio = haveBandit
      ? (median(theirs) / median(ours)).toFixed(1) + '×'
      : 'n/a (bandit not installed)';
    rows.push(
      `| ${input.label} (${lines.toLocaleString('en')} lines) | ${median(ours).toFixed(0)} / ${percentile(ours, 95).toFixed(0)} ms | ${tput(median(ours)).toLocaleString('en')} | ` +
        (haveBandit
          ? `${median(theirs).toFixed(0)} / ${percentile(theirs, 95).toFixed(0)} ms | ${tput(median(theirs)).toLocaleString('en')}`
          : '– | –') +
        ` | ${ratio} |`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`## CLI throughput vs Bandit (Python)

\`sandbox-guard check --format json DIR\` (preset recommended) against \`bandit -q -r -f json DIR\` on the same
generated Python files, wall time per whole run including process start-up; 5 runs of ours, 3 of Bandit's.
Target: at least 20× Bandit's throughput on the large input.

| input | sandbox-guard p50 / p95 | lines/s | Bandit p50 / p95 | lines/s | throughput ratio |
|---|---|---|---|---|---|
${rows.join('\n')}
`);
