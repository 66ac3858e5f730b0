// `npm run package` produces an installable .vsix: bundled (no node_modules), with the policies and the
// schema, and code-server (VS Code's server) installs it. Uses the dist/ that `npm test` just built.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2ePaths, repoRoot } from '../../scripts/e2e/paths.mjs';
import { e2eSkipReason, runSession } from './session';

/** Entry names from a zip's central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): string[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const built = existsSync(join(repoRoot, 'dist/client.js')) && existsSync(join(repoRoot, 'dist/server.js'));
const dir = mkdtempSync(join(tmpdir(), 'sg-vsix-'));
const out = join(dir, 'sandbox-guard.vsix');
const extensionsDir = join(dir, 'extensions');
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  'npm run package: a bundled .vsix with the policies and schema',
  { skip: !built && 'dist/ is not built' },
  () => {
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts/e2e/package.mjs'), '--skip-build', '--out', out],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /MiB, \d+ files/);
    const entries = zipEntries(readFileSync(out));
    for (const f of [
      'extension/package.json',
      'extension/dist/client.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/dist/grammars/tree-sitter-python.wasm',
      'extension/policies/policy.schema.json',
      'extension/policies/recommended.json',
    ]) {
      assert.ok(entries.includes(f), `${f} is in the package`);
    }
    const stray = entries.filter((e) => /node_modules\/|\.ts$|\.map$/.test(e));
    assert.deepEqual(stray, []);
    assert.ok(statSync(out).size < 10 * 1024 * 1024, 'under 10 MiB');

    // code-server installs it like `code --install-extension`...
    if (e2eSkipReason()) return;
    const { node, codeServer } = e2ePaths();
    const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg') };
    const cli = (...args: string[]) =>
      spawnSync(
        node,
        [codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', join(dir, 'user'), ...args],
        {
          encoding: 'utf8',
          env,
        },
      );
    const install = cli('--install-extension', out);
    assert.equal(install.status, 0, install.stderr + install.stdout);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    const listed = cli('--list-extensions', '--show-versions');
    assert.match(
      listed.stdout,
      new RegExp(`^${pkg.publisher}\\.${pkg.name}@${pkg.version.replace(/\./g, '\\.')}$`, 'm'),
    );
  },
);

// ...and the installed copy works in VS Code (the repository is not on the extension path).
test(
  'VS Code: the extension installed from the .vsix',
  { skip: e2eSkipReason() ?? (!built && 'dist/ is not built'), timeout: 300_000 },
  (t) => {
    if (!existsSync(extensionsDir)) throw new Error('the .vsix was not installed (see the test above)');
    return runSession(t, 'installed', {
      fixture: 'trusted',
      open: 'main',
      extensionsDir,
      extensionDevelopmentPath: join(repoRoot, 'test/e2e/fixtures/devhost'),
    });
  },
);
