// Hover and code actions over the real server: the hover explains the finding and its policy entry; each
// quick fix's edit, applied and re-checked, makes the diagnostic disappear; "Open policy entry" shows it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  applyEdits,
  editsOf,
  fileUri,
  LspClient,
  range,
  tempDir,
  type CodeAction,
  type Diagnostic,
} from './lspClient';

describe('hover and code actions', () => {
  const ws = tempDir();
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ folders: [ws.path] });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  async function actionsFor(uri: string, d: Diagnostic): Promise<CodeAction[]> {
    return client.codeActions(uri, d.range, [d]);
  }

  /** Applies the action's edit as a client would (a full-text change), then pulls again. */
  async function applyAndPull(
    uri: string,
    text: string,
    action: CodeAction,
  ): Promise<{ text: string; ds: Diagnostic[] }> {
    const next = applyEdits(text, editsOf(action, uri));
    await client.change(uri, [{ text: next }]);
    return { text: next, ds: await client.diagnostics(uri) };
  }

  test('hover shows description, severity, threshold verdict and the policy entry', async () => {
    const uri = fileUri(`${ws.path}/h.py`);
    await client.open(uri, 'python', 'import os\nos.system("ls")\n');
    const [d] = await client.diagnostics(uri);
    assert.equal(d.code, 'call:os.system');
    const hover = await client.hover(uri, { line: 1, character: 4 });
    assert.ok(hover, 'a hover over the finding');
    assert.equal(hover.contents.kind, 'markdown');
    const md = hover.contents.value;
    assert.match(md, /`call:os\.system`/);
    assert.match(md, /HIGH/);
    assert.match(md, /Blocks Run in Sandbox\*\*: severity HIGH ≥ threshold HIGH/);
    assert.match(md, /preset `recommended`/);
    assert.match(md, /\[recommended\.json line \d+\]\(file:\/\/.*recommended\.json#L\d+,\d+\)/);
    assert.deepEqual(hover.range, d.range);
    assert.equal(await client.hover(uri, { line: 0, character: 2 }), null, 'no hover away from findings');
  });

  test('"Ignore for this line" inserts the comment and the diagnostic disappears; the run gate still blocks', async () => {
    const uri = fileUri(`${ws.path}/line.py`);
    const text = 'import os\nos.system("ls")\nimport subprocess\n';
    await client.open(uri, 'python', text);
    const ds = await client.diagnostics(uri);
    const d = ds.find((x) => x.code === 'call:os.system');
    assert.ok(d);
    const actions = await actionsFor(uri, d);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Ignore call:os.system for this line',
        'Ignore call:os.system for this file',
        'Open policy entry for call:os.system',
      ],
    );
    assert.ok(actions.every((a) => a.kind === 'quickfix'));
    const after = await applyAndPull(uri, text, actions[0]);
    assert.equal(
      after.text,
      'import os\nos.system("ls")  # sandbox-guard: ignore[call:os.system]\nimport subprocess\n',
    );
    assert.deepEqual(
      after.ds.map((x) => x.code),
      ['module:subprocess'],
    );
    const gate = await client.request<{
      blocked: boolean;
      findings: { ruleId: string; suppressed: boolean }[];
    }>('sandboxGuard/check', { uri });
    assert.equal(gate.blocked, true);
    assert.equal(gate.findings.find((f) => f.ruleId === 'call:os.system')?.suppressed, true);
  });

  test('"Ignore for this line" in JavaScript uses //, and a second rule joins the same comment', async () => {
    const uri = fileUri(`${ws.path}/line.js`);
    let text = "const vm = require('vm'); eval(code);\n";
    await client.open(uri, 'javascript', text);
    let ds = await client.diagnostics(uri);
    assert.deepEqual(ds.map((x) => x.code).sort(), ['call:eval', 'module:vm']);
    const evalDiag = ds.find((x) => x.code === 'call:eval');
    assert.ok(evalDiag);
    let r = await applyAndPull(uri, text, (await actionsFor(uri, evalDiag))[0]);
    text = r.text;
    assert.equal(text, "const vm = require('vm'); eval(code);  // sandbox-guard: ignore[call:eval]\n");
    ds = r.ds;
    assert.deepEqual(
      ds.map((x) => x.code),
      ['module:vm'],
    );
    r = await applyAndPull(uri, text, (await actionsFor(uri, ds[0]))[0]);
    assert.equal(
      r.text,
      "const vm = require('vm'); eval(code);  // sandbox-guard: ignore[call:eval, module:vm]\n",
    );
    assert.deepEqual(r.ds, []);
  });

  test('"Ignore for this file" goes after the shebang and hides every finding of that rule', async () => {
    const uri = fileUri(`${ws.path}/file.py`);
    const text = '#!/usr/bin/env python3\nimport os\nos.system("a")\nos.system("b")\n';
    await client.open(uri, 'python', text);
    const ds = await client.diagnostics(uri);
    assert.equal(ds.length, 2);
    const action = (await actionsFor(uri, ds[0])).find((a) => a.title.includes('for this file'));
    assert.ok(action);
    const r = await applyAndPull(uri, text, action);
    assert.equal(
      r.text,
      '#!/usr/bin/env python3\n# sandbox-guard: ignore-file[call:os.system]\nimport os\nos.system("a")\nos.system("b")\n',
    );
    assert.deepEqual(r.ds, []);
  });

  test('"Open policy entry" shows the preset entry that defined the rule', async () => {
    const uri = fileUri(`${ws.path}/open.py`);
    await client.open(uri, 'python', 'import ctypes\n');
    const [d] = await client.diagnostics(uri);
    const open = (await actionsFor(uri, d)).find((a) => a.title.startsWith('Open policy entry'));
    assert.ok(open?.command);
    assert.equal(open.command.command, 'sandboxGuard.openPolicyEntry');
    const before = client.shownDocuments.length;
    await client.request('workspace/executeCommand', {
      command: open.command.command,
      arguments: open.command.arguments,
    });
    const shown = client.shownDocuments[before];
    assert.ok(shown, 'window/showDocument was requested');
    assert.match(shown.uri, /\/policies\/recommended\.json$/);
    const presetText = readFileSync(fileURLToPath(shown.uri), 'utf8');
    const line = presetText.split('\n')[shown.selection?.start.line ?? -1] ?? '';
    const entryText = presetText
      .split('\n')
      .slice(shown.selection?.start.line, (shown.selection?.end.line ?? 0) + 1)
      .join('\n');
    assert.match(line, /\{/, 'the selection starts at the entry object');
    assert.match(entryText, /"name": "ctypes"/);
  });

  test('"Open policy entry" for a workspace policy file opens that file at the entry', async () => {
    const folder = tempDir();
    try {
      const policy = [
        '{',
        '  "name": "ws",',
        '  "severity_threshold": "HIGH",',
        '  "restricted_modules": [',
        '    { "name": "socket", "description": "network", "severity": "HIGH" }',
        '  ]',
        '}',
      ].join('\n');
      writeFileSync(`${folder.path}/sandbox-guard.json`, policy);
      const c = await LspClient.start({ folders: [folder.path] });
      try {
        const uri = fileUri(`${folder.path}/n.py`);
        await c.open(uri, 'python', 'import socket\n');
        const [d] = await c.diagnostics(uri);
        assert.equal(d.code, 'module:socket');
        assert.deepEqual(d.relatedInformation?.[0]?.location, {
          uri: fileUri(`${folder.path}/sandbox-guard.json`),
          range: range(4, 4, 4, 70),
        });
        const hover = await c.hover(uri, d.range.start);
        assert.match(hover?.contents.value ?? '', /sandbox-guard\.json line 5/);
        const open = (await c.codeActions(uri, d.range, [d])).find((a) => a.command);
        await c.request('workspace/executeCommand', {
          command: open?.command?.command,
          arguments: open?.command?.arguments,
        });
        assert.deepEqual(c.shownDocuments.at(-1), {
          uri: fileUri(`${folder.path}/sandbox-guard.json`),
          takeFocus: true,
          selection: range(4, 4, 4, 70),
        });
      } finally {
        await c.stop();
      }
    } finally {
      folder.dispose();
    }
  });
});
