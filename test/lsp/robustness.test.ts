// Hostile inputs must not crash or hang the server: huge files, binary files, 100 000 findings, a
// catastrophic-backtracking regex and an unsupported one in the policy. After each, the server still answers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileUri, LspClient, tempDir, waitFor, type Diagnostic } from './lspClient';

interface Gate {
  blocked: boolean;
  incomplete?: string;
  truncated: boolean;
  findings: unknown[];
}

describe('robustness', () => {
  const ws = tempDir();
  let c: LspClient;
  before(async () => {
    writeFileSync(
      join(ws.path, 'sandbox-guard.json'),
      JSON.stringify({
        name: 'hostile',
        extends: 'recommended',
        patterns: [
          {
            id: 'evil-nested',
            pattern: '(a+)+$',
            description: 'exponential in a backtracking engine',
            severity: 'LOW',
            scope: 'all',
          },
          {
            id: 'evil-alt',
            pattern: '(?P<x>a|aa)*c',
            description: 'also exponential',
            severity: 'LOW',
            scope: 'all',
          },
          { id: 'backref', pattern: '(a)\\1', description: 'not linear-time', severity: 'LOW' },
        ],
      }),
    );
    c = await LspClient.start({ folders: [ws.path] });
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  async function stillWorks(): Promise<void> {
    assert.ok(await c.alive());
    const uri = fileUri(join(ws.path, `probe-${Date.now()}.py`));
    await c.open(uri, 'python', 'import pty\n');
    assert.deepEqual(
      (await c.diagnostics(uri)).map((d) => d.code),
      ['module:pty'],
    );
    await c.close(uri);
  }

  test('a file above the size limit gets one informational diagnostic and the run gate refuses it', async () => {
    const uri = fileUri(join(ws.path, 'huge.py'));
    const line = 'x = "' + 'y'.repeat(90) + '"\n';
    await c.open(uri, 'python', line.repeat(Math.ceil((6 * 1024 * 1024) / line.length)));
    const ds = await c.diagnostics(uri);
    assert.equal(ds.length, 1);
    assert.equal(ds[0].code, 'check-skipped');
    assert.equal(ds[0].severity, 3);
    assert.match(ds[0].message, /larger than 5 MB/);
    const gate = await c.request<Gate>('sandboxGuard/check', { uri });
    assert.equal(gate.blocked, true);
    assert.match(gate.incomplete ?? '', /not checked/);
    await c.close(uri);
    await stillWorks();
  });

  test('a 5 MB file just under the limit is checked on open and save, not on every keystroke', async () => {
    const uri = fileUri(join(ws.path, 'big.py'));
    const block = 'def f(a, b):\n    return os.path.join(a, b)  # fine\n\n';
    let text = 'import os\n' + block.repeat(Math.floor((5 * 1000 * 1000) / block.length));
    text += 'import subprocess\n';
    await c.open(uri, 'python', text);
    const first = await c.pull(uri);
    const codes = (first.items ?? []).map((d) => d.code);
    assert.ok(
      codes.includes('module:subprocess') || codes.includes('check-timeout'),
      `the last line's import is found, or the check says it ran out of time (${codes.join(', ')})`,
    );
    // Typing in it answers at once: the shown diagnostics stay until the next save.
    await c.change(uri, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '#' },
    ]);
    assert.deepEqual(await c.pull(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });
    const refreshes = c.refreshCount;
    await c.save(uri);
    await waitFor(() => c.refreshCount > refreshes, 'refresh after saving the large file');
    await c.close(uri);
    await stillWorks();
  });

  test('a binary file (NULs, invalid UTF-8 decoded as replacement characters) does not break anything', async () => {
    const bytes = randomBytes(128 * 1024);
    for (let i = 0; i < bytes.length; i += 97) bytes[i] = 0;
    for (const [name, lang] of [
      ['blob.py', 'python'],
      ['blob.js', 'javascript'],
      ['blob.bin', 'plaintext'],
    ]) {
      const uri = fileUri(join(ws.path, name));
      await c.open(uri, lang, bytes.toString('latin1') + '\n' + bytes.toString('utf8'));
      const ds: Diagnostic[] = await c.diagnostics(uri);
      assert.ok(Array.isArray(ds));
      await c.close(uri);
    }
    await stillWorks();
  });

  test('100 000 findings are capped at 1000 diagnostics plus a notice, and the gate still blocks', async () => {
    const uri = fileUri(join(ws.path, 'many.py'));
    await c.open(uri, 'python', 'eval("1")\n'.repeat(100_000));
    const ds = await c.diagnostics(uri);
    const findings = ds.filter((d) => d.code === 'call:eval');
    assert.equal(findings.length, 1000);
    assert.ok(ds.some((d) => d.code === 'findings-truncated'));
    const gate = await c.request<Gate>('sandboxGuard/check', { uri });
    assert.equal(gate.blocked, true);
    assert.equal(gate.truncated, true);
    assert.equal(gate.findings.length, 1000);
    await c.close(uri);
    await stillWorks();
  });

  test('catastrophic-backtracking patterns run in linear time; an unsupported one is a policy problem', async () => {
    const uri = fileUri(join(ws.path, 'redos.txt'));
    const text = 'a'.repeat(50_000) + '!\n' + 'aa'.repeat(20_000) + 'b\n';
    await c.open(uri, 'plaintext', text);
    const ds = await c.diagnostics(uri);
    assert.ok(
      ds.every((d) => d.code !== 'check-failed'),
      'the check completes (or reports a timeout) instead of failing',
    );
    const policyUri = fileUri(join(ws.path, 'sandbox-guard.json'));
    const { readFileSync } = await import('node:fs');
    await c.open(policyUri, 'json', readFileSync(join(ws.path, 'sandbox-guard.json'), 'utf8'));
    const problems = await c.diagnostics(policyUri);
    assert.ok(
      problems.some((d) => /backref|invalid regular expression/.test(d.message)),
      JSON.stringify(problems),
    );
    await c.close(policyUri);
    await c.close(uri);
    await stillWorks();
  });

  test('a document in a language the server does not know is checked with language-agnostic patterns', async () => {
    const uri = fileUri(join(ws.path, 'x.weird'));
    await c.open(uri, 'weird-lang', 'aaaa');
    const ds = await c.diagnostics(uri);
    assert.ok(ds.some((d) => d.code === 'evil-nested'));
    await stillWorks();
  });
});
