// Bundles the three entry points with esbuild and copies the runtime assets (tree-sitter WASM grammars)
// next to them. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // dockerode pulls in ssh2, whose optional native helpers are not needed (the pure-JS paths are used).
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  absWorkingDir: root,
  // jsonc-parser's UMD `main` hides its internal requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build locates itself with import.meta.url, which a CJS bundle lacks.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
};

const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  {
    entryPoints: ['cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: {
      js: '#!/usr/bin/env node\nconst __importMetaUrl = require("url").pathToFileURL(__filename).href;',
    },
  },
].filter((e) => existsSync(join(root, e.entryPoints[0])));

function copyAssets() {
  const grammars = join(root, 'dist/grammars');
  rmSync(grammars, { recursive: true, force: true });
  mkdirSync(grammars, { recursive: true });
  const nm = join(root, 'node_modules');
  const files = {
    'tree-sitter.wasm': 'web-tree-sitter/tree-sitter.wasm',
    'tree-sitter-python.wasm': 'tree-sitter-python/tree-sitter-python.wasm',
    'tree-sitter-javascript.wasm': 'tree-sitter-javascript/tree-sitter-javascript.wasm',
    'tree-sitter-typescript.wasm': 'tree-sitter-typescript/tree-sitter-typescript.wasm',
    'tree-sitter-tsx.wasm': 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  };
  for (const l of ['go', 'java', 'c', 'cpp', 'ruby', 'bash']) {
    files[`tree-sitter-${l}.wasm`] = `tree-sitter-wasms/out/tree-sitter-${l}.wasm`;
  }
  for (const [dest, src] of Object.entries(files)) cpSync(join(nm, src), join(grammars, dest));
}

copyAssets();
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
