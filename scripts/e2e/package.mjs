#!/usr/bin/env node
// `npm run package`: a production build, then a .vsix with @vscode/vsce. Everything is bundled by esbuild,
// so the package has no node_modules (--no-dependencies); .vscodeignore lists what ships. Checks the
// result (bundles, grammars, presets and schema in; node_modules, sources and maps out) and prints its size.
// Usage: node scripts/e2e/package.mjs [--out FILE] [--skip-build]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.mjs';

const args = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const outArg = args.indexOf('--out');
const out = outArg >= 0 ? args[outArg + 1] : join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`${relative(repoRoot, cmd) || cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
  }
  return r.stdout;
}

if (!args.includes('--skip-build'))
  run(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--production']);
const files = run(process.execPath, [vsce, 'ls', '--no-dependencies'])
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const required = [
  'dist/client.js',
  'dist/server.js',
  // The MCP server the extension contributes (mcpServerDefinitionProviders) runs the bundled CLI.
  'dist/cli.js',
  'policies/policy.schema.json',
  'policies/recommended.json',
  'dist/grammars/tree-sitter-python.wasm',
];
const missing = required.filter((f) => !files.includes(f));
const unwanted = files.filter((f) => /(^|\/)node_modules\/|\.map$|\.ts$|^test\/|^\.cache\//.test(f));
if (missing.length || unwanted.length) {
  throw new Error(
    `package contents are wrong: missing [${missing.join(', ')}], unwanted [${unwanted.slice(0, 10).join(', ')}]`,
  );
}
// Without a repository URL, README links stay relative: VS Code resolves them inside the installed extension
// (the screenshots ship in the package).
const linkArgs = pkg.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'];
run(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', ...linkArgs, '--out', out]);
const size = statSync(out).size;
const shown = out.startsWith(repoRoot) ? relative(repoRoot, out) : out;
console.log(`${shown}: ${(size / 1024 / 1024).toFixed(2)} MiB, ${files.length} files`);
console.log(`install with: code --install-extension ${shown}`);
