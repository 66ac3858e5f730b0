// Diagnostics over the real stdio server: exact ranges, severities, codes; they appear and disappear with
// edits; incremental edits (one or many per notification, CRLF, non-ASCII) give the same result as a fresh open.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileUri, LspClient, range, tempDir, type Diagnostic, type Range } from './lspClient';

const SEVERITY = { Error: 1, Warning: 2, Information: 3, Hint: 4 };

function brief(ds: Diagnostic[]): { code: unknown; range: Range; severity: unknown }[] {
  return ds
    .map((d) => ({ code: d.code, range: d.range, severity: d.severity }))
    .sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
}

/** Position of `needle` (n-th occurrence) in `text`, as an LSP range over the needle. */
function rangeOf(text: string, needle: string, n = 0): Range {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in text`);
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  const endText = text.slice(0, i + needle.length);
  const endLine = endText.split('\n').length - 1;
  return range(line, character, endLine, i + needle.length - (endText.lastIndexOf('\n') + 1));
}

describe('diagnostics', () => {
  const ws = tempDir();
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ folders: [ws.path] });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  test('Python: restricted import and call with exact ranges, severity, source, code and docs link', async () => {
    const uri = fileUri(`${ws.path}/a.py`);
    const text = [
      'import os',
      'import subprocess',
      'os.system("ls")  # list',
      'print("os.system(\'x\') and import subprocess")',
      '# subprocess.run(["rm"]) in a comment',
      'os.path.join("a", "b")',
      '',
    ].join('\n');
    await client.open(uri, 'python', text);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(brief(ds), [
      { code: 'module:subprocess', range: rangeOf(text, 'subprocess'), severity: SEVERITY.Error },
      { code: 'call:os.system', range: rangeOf(text, 'os.system'), severity: SEVERITY.Error },
    ]);
    for (const d of ds) {
      assert.equal(d.source, 'sandbox-guard');
      assert.match(d.codeDescription?.href ?? '', /^https:\/\/.+#.+/);
      assert.match(d.message, /blocks Run in Sandbox/);
      assert.match(d.message, /threshold HIGH/);
      assert.ok(
        d.relatedInformation?.[0]?.location.uri.endsWith('/policies/recommended.json'),
        'points at the preset entry',
      );
    }
    const call = ds.find((d) => d.code === 'call:os.system');
    assert.match(call?.message ?? '', /os\.system/);
  });

  test('JavaScript: require of child_process and eval, as you type; editing them away clears them', async () => {
    const uri = fileUri(`${ws.path}/b.js`);
    const text = "const cp = require('child_process');\nconst x = 1;\n";
    await client.open(uri, 'javascript', text);
    const first = await client.diagnostics(uri);
    // The whole require call: the import, not the line.
    assert.deepEqual(brief(first), [
      {
        code: 'module:child_process',
        range: rangeOf(text, "require('child_process')"),
        severity: SEVERITY.Error,
      },
    ]);
    // Type `eval(x);` on line 1, one character at a time.
    const typed = 'eval(x);';
    for (let i = 0; i < typed.length; i++) {
      await client.change(uri, [{ range: range(1, 12 + i, 1, 12 + i), text: typed[i] }]);
    }
    const second = await client.diagnostics(uri);
    assert.deepEqual(brief(second), [
      { code: 'module:child_process', range: range(0, 11, 0, 35), severity: SEVERITY.Error },
      { code: 'call:eval', range: range(1, 12, 1, 16), severity: SEVERITY.Error },
    ]);
    // Delete both lines' offending code.
    await client.change(uri, [
      { range: range(1, 12, 1, 20), text: '' },
      { range: range(0, 0, 0, 36), text: 'const cp = null;' },
    ]);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('severity mapping: HIGH Error, MEDIUM Warning, LOW Information, SAFE Hint', async () => {
    const folder = tempDir();
    try {
      const policy = {
        name: 'severities',
        severity_threshold: 'MEDIUM',
        patterns: ['HIGH', 'MEDIUM', 'LOW', 'SAFE'].map((s) => ({
          id: `sev-${s.toLowerCase()}`,
          pattern: `\\b${s.toLowerCase()}_marker\\b`,
          description: `a ${s} thing`,
          severity: s,
        })),
      };
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${folder.path}/sandbox-guard.json`, JSON.stringify(policy, null, 2));
      const c = await LspClient.start({ folders: [folder.path] });
      try {
        const uri = fileUri(`${folder.path}/s.py`);
        await c.open(uri, 'python', 'high_marker\nmedium_marker\nlow_marker\nsafe_marker\n');
        const ds = await c.diagnostics(uri);
        assert.deepEqual(
          brief(ds).map((d) => [d.code, d.severity]),
          [
            ['sev-high', SEVERITY.Error],
            ['sev-medium', SEVERITY.Warning],
            ['sev-low', SEVERITY.Information],
            ['sev-safe', SEVERITY.Hint],
          ],
        );
        const msg = (code: string) => ds.find((d) => d.code === code)?.message ?? '';
        assert.match(msg('sev-medium'), /blocks Run in Sandbox \(threshold MEDIUM\)/);
        assert.match(msg('sev-low'), /does not block/);
        const status = c.statuses.findLast((s) => s.uri === uri);
        assert.equal(status?.blockingCount, 2);
        assert.equal(status?.policy.name, 'severities');
        assert.equal(status?.policy.threshold, 'MEDIUM');
      } finally {
        await c.stop();
      }
    } finally {
      folder.dispose();
    }
  });

  test('incremental edits (many per notification, CRLF, non-ASCII) match a fresh check of the same text', async () => {
    const uri = fileUri(`${ws.path}/c.py`);
    let text = '# héllo wörld 🙂\r\nimport json\r\nx = "ü"\r\n';
    await client.open(uri, 'python', text);
    assert.deepEqual(await client.diagnostics(uri), []);
    const edits: { range: Range; text: string }[] = [
      { range: range(1, 7, 1, 11), text: 'subprocess' }, // import json → import subprocess
      { range: range(2, 0, 2, 0), text: 'import ctypes\r\n' }, // new line 2
      { range: range(0, 2, 0, 7), text: '' }, // delete "héllo"
    ];
    await client.change(uri, edits);
    text = '#  wörld 🙂\r\nimport subprocess\r\nimport ctypes\r\nx = "ü"\r\n';
    const incremental = brief(await client.diagnostics(uri));
    const fresh = fileUri(`${ws.path}/c2.py`);
    await client.open(fresh, 'python', text);
    assert.deepEqual(incremental, brief(await client.diagnostics(fresh)));
    assert.deepEqual(
      incremental.map((d) => [d.code, d.range]),
      [
        ['module:subprocess', rangeOf(text.replaceAll('\r', ''), 'subprocess')],
        ['module:ctypes', rangeOf(text.replaceAll('\r', ''), 'ctypes')],
      ],
    );
    // After the emoji (a surrogate pair), columns are UTF-16 code units.
    await client.change(uri, [{ range: range(0, 10, 0, 10), text: ' eval' }]);
    await client.change(uri, [{ range: range(3, 7, 3, 7), text: '; eval(x)' }]);
    const ds = brief(await client.diagnostics(uri));
    assert.deepEqual(ds.find((d) => d.code === 'call:eval')?.range, range(3, 9, 3, 13));
    const stats = await client.request<{ incrementalChecks: number }>('sandboxGuardTest/stats', {});
    assert.ok(stats.incrementalChecks >= 2, 'checks after edits reparse from the edited tree');
  });

  test('a full-text change (no range) is applied too', async () => {
    const uri = fileUri(`${ws.path}/d.py`);
    await client.open(uri, 'python', 'x = 1\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.change(uri, [{ text: 'import ctypes\n' }]);
    assert.deepEqual(
      brief(await client.diagnostics(uri)).map((d) => d.code),
      ['module:ctypes'],
    );
  });

  test('no stale diagnostics: a pull for an old version is cancelled and the re-pull describes the new text', async () => {
    const uri = fileUri(`${ws.path}/e.py`);
    await client.open(uri, 'python', 'import subprocess\n');
    // Pull and change without waiting: the pull must not answer with the old version's findings.
    const pending = client.pull(uri).then(
      (r) => ({ ok: true as const, r }),
      (e: { code?: number; data?: unknown }) => ({ ok: false as const, e }),
    );
    await client.change(uri, [{ range: range(0, 0, 0, 17), text: 'import json' }]);
    const outcome = await pending;
    if (outcome.ok) {
      // Answered before the change was read: then it describes version 1, which is what the client had.
      assert.equal(outcome.r.kind, 'full');
    } else {
      assert.equal(outcome.e.code, -32802, 'ServerCancelled');
      assert.deepEqual(outcome.e.data, { retriggerRequest: true });
    }
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('an unchanged document answers "unchanged" for the same resultId', async () => {
    const uri = fileUri(`${ws.path}/f.py`);
    await client.open(uri, 'python', 'import subprocess\n');
    const first = await client.pull(uri);
    assert.equal(first.kind, 'full');
    const second = await client.pull(uri, first.resultId);
    assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });
  });

  test('a closed document has no diagnostics', async () => {
    const uri = fileUri(`${ws.path}/g.py`);
    await client.open(uri, 'python', 'import subprocess\n');
    assert.equal((await client.diagnostics(uri)).length, 1);
    await client.close(uri);
    assert.deepEqual(await client.diagnostics(uri), []);
  });
});
