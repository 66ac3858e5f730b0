// The run gate (`sandboxGuard/check`), the status notification, and push diagnostics for clients without
// pull support.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckResponse } from '../../server/protocol';
import { fileUri, LspClient, range, tempDir, waitFor } from './lspClient';

describe('sandboxGuard/check', () => {
  const ws = tempDir();
  let c: LspClient;
  before(async () => {
    c = await LspClient.start({ folders: [ws.path] });
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  test('an open document: findings with LSP ranges and severity names, the verdict and the policy', async () => {
    const uri = fileUri(join(ws.path, 'a.py'));
    await c.open(uri, 'python', 'import os\n\nos.system("ls")\n');
    const r = await c.request<CheckResponse>('sandboxGuard/check', { uri });
    assert.equal(r.uri, uri);
    assert.equal(r.version, 1);
    assert.equal(r.language, 'python');
    assert.equal(r.blocked, true);
    assert.equal(r.blockingCount, 1);
    assert.equal(r.findings.length, 1);
    const [f] = r.findings;
    assert.equal(f.ruleId, 'call:os.system');
    assert.equal(f.severity, 'HIGH');
    assert.equal(f.severityLevel, 3);
    assert.equal(f.blocking, true);
    assert.equal(f.suppressed, false);
    assert.deepEqual(f.range, range(2, 0, 2, 9));
    assert.equal(f.origin.source, 'preset:recommended');
    assert.deepEqual(
      { name: r.policy.name, threshold: r.policy.threshold, source: r.policy.source },
      { name: 'recommended', threshold: 'HIGH', source: 'preset:recommended' },
    );
    assert.match(r.policy.uri ?? '', /policies\/recommended\.json$/);
  });

  test('given text is checked instead of the document (what is about to run)', async () => {
    const uri = fileUri(join(ws.path, 'a.py'));
    const clean = await c.request<CheckResponse>('sandboxGuard/check', { uri, text: 'print("hi")\n' });
    assert.equal(clean.blocked, false);
    assert.deepEqual(clean.findings, []);
    const js = await c.request<CheckResponse>('sandboxGuard/check', {
      uri: 'untitled:Untitled-1',
      text: "require('child_process').execSync('id')\n",
      languageId: 'javascript',
    });
    assert.equal(js.blocked, true);
    assert.equal(js.language, 'javascript');
  });

  test('a file on disk that is not open is read, with the language from its extension', async () => {
    const path = join(ws.path, 'disk.js');
    writeFileSync(path, "const vm = require('node:vm');\n");
    const r = await c.request<CheckResponse>('sandboxGuard/check', { uri: fileUri(path) });
    assert.equal(r.language, 'javascript');
    assert.deepEqual(
      r.findings.map((f) => f.ruleId),
      ['module:vm'],
    );
    await assert.rejects(
      c.request('sandboxGuard/check', { uri: fileUri(join(ws.path, 'nope.py')) }),
      /cannot read/,
    );
  });

  test('a suppressed blocking finding is reported as suppressed and still blocks', async () => {
    const r = await c.request<CheckResponse>('sandboxGuard/check', {
      uri: fileUri(join(ws.path, 's.py')),
      text: 'import subprocess  # sandbox-guard: ignore[module:subprocess]\n',
      languageId: 'python',
    });
    assert.equal(r.findings[0]?.suppressed, true);
    assert.equal(r.blocked, true);
  });

  test('every check of an open document sends sandboxGuard/status', async () => {
    const uri = fileUri(join(ws.path, 'st.py'));
    await c.open(
      uri,
      'python',
      'import ctypes\nimport subprocess  # sandbox-guard: ignore[module:subprocess]\n',
    );
    await c.diagnostics(uri);
    const s = await waitFor(() => c.statuses.findLast((x) => x.uri === uri), 'status');
    assert.equal(s.version, 1);
    assert.equal(s.findingCount, 1);
    assert.equal(s.blockingCount, 2);
    assert.equal(s.blocked, true);
    assert.equal(s.policy.name, 'recommended');
    assert.equal(typeof s.durationMs, 'number');
  });
});

describe('push diagnostics (client without pull support)', () => {
  const ws = tempDir();
  let c: LspClient;
  before(async () => {
    c = await LspClient.start({ folders: [ws.path], pull: false });
  });
  after(async () => {
    await c.stop();
    ws.dispose();
  });

  test('published on open and after each change for the latest version, cleared on close', async () => {
    const uri = fileUri(join(ws.path, 'p.py'));
    await c.open(uri, 'python', 'import subprocess\n');
    const first = await waitFor(() => c.published.get(uri)?.at(-1), 'first publish');
    assert.equal(first.version, 1);
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['module:subprocess'],
    );
    for (const ch of 'x = 1\n') await c.change(uri, [{ range: range(1, 0, 1, 0), text: ch }]);
    await c.change(uri, [{ range: range(0, 0, 0, 17), text: 'import json' }]);
    const last = await waitFor(() => {
      const p = c.published.get(uri)?.at(-1);
      return p?.version === 8 ? p : undefined;
    }, 'publish for version 8');
    assert.deepEqual(last.diagnostics, []);
    assert.ok((c.published.get(uri)?.length ?? 0) <= 8, 'no more publishes than versions');
    await c.close(uri);
    await waitFor(() => c.published.get(uri)?.at(-1)?.version === undefined, 'cleared on close');
  });
});
