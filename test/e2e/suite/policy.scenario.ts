import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statusOf, statusWhere } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, folderFile, openFile, ours, revertAndClose, setUserSetting } from './util';

scenario('policy: changing sandboxGuard.policy.preset re-checks open documents', async () => {
  const editor = await openFile('netcode.py');
  const { document: doc } = editor;
  const before = await statusOf(doc);
  assert.equal(before.policy.source, 'preset:recommended');
  assert.equal(before.blockingCount, 0, 'recommended reports a socket import but does not block it');

  await setUserSetting('sandboxGuard.policy.preset', 'strict-no-network');
  try {
    const after = await statusWhere(
      doc,
      'a re-check under strict-no-network',
      (s) => s.policy.source === 'preset:strict-no-network',
    );
    assert.equal(after.policy.threshold, 'MEDIUM');
    assert.ok(after.blockingCount > 0, 'the socket import blocks under strict-no-network');
    // Status and diagnostics arrive separately: wait for the re-checked diagnostic itself.
    await diagnosticsWhere(doc.uri, 'the socket import diagnostic to say it blocks', (d) =>
      d.some((x) => doc.getText(x.range) === 'socket' && /blocks Run in Sandbox/.test(x.message)),
    );
  } finally {
    await setUserSetting('sandboxGuard.policy.preset', undefined);
  }
  const back = await statusWhere(
    doc,
    'a re-check under recommended',
    (s) => s.policy.source === 'preset:recommended',
  );
  assert.equal(back.blockingCount, 0);
  await revertAndClose();
});

scenario('multi-root: each folder uses its own policy file', async () => {
  const other = await vscode.window.showTextDocument(folderFile('other', 'uses_json.py'));
  const [diag] = await diagnosticsWhere(
    other.document.uri,
    "the other folder's json rule",
    (d) => d.length === 1,
  );
  assert.equal(other.document.getText(diag.range), 'json');
  assert.equal((await statusOf(other.document)).policy.name, 'other folder policy');
  const main = await vscode.window.showTextDocument(folderFile('main', 'uses_json.py'));
  const status = await statusOf(main.document);
  assert.equal(status.policy.source, 'preset:recommended');
  assert.deepEqual(ours(main.document.uri), []);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

scenario(
  'policy: Create Workspace Policy; editing it re-checks open documents; a broken one shows its problems',
  async () => {
    // In a folder of its own: VS Code may keep a deleted file's document (and so its policy) open.
    const code = await vscode.window.showTextDocument(folderFile('fresh', 'uses_json.py'));
    const status = await statusOf(code.document);
    assert.equal(status.policy.source, 'preset:recommended');
    assert.deepEqual(ours(code.document.uri), []);

    const created = await vscode.commands.executeCommand<vscode.Uri>(
      'sandboxGuard.createPolicy',
      folderFile('fresh', ''),
    );
    assert.equal(created?.toString(), folderFile('fresh', 'sandbox-guard.json').toString());
    const policyDoc = await vscode.workspace.openTextDocument(created);
    const starter = JSON.parse(policyDoc.getText()) as { extends?: string; restricted_modules?: unknown[] };
    assert.equal(starter.extends, 'recommended');
    assert.deepEqual(starter.restricted_modules, []);
    const replaceWith = async (text: string): Promise<void> => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(created, new vscode.Range(0, 0, policyDoc.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };

    try {
      // Add a restriction in the editor and save: open documents are re-checked with it.
      const restricted = {
        ...starter,
        restricted_modules: [{ name: 'json', description: 'no json here', severity: 'HIGH' }],
      };
      await replaceWith(JSON.stringify(restricted, null, 2) + '\n');
      await policyDoc.save();
      const [diag] = await diagnosticsWhere(
        code.document.uri,
        'the json import to be flagged',
        (d) => d.length === 1,
      );
      assert.equal(code.document.getText(diag.range), 'json');
      assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
      await statusWhere(
        code.document,
        'the workspace policy to apply',
        (s) => s.policy.source === created.fsPath,
      );

      // A broken policy file: its problems show as diagnostics in the file itself, at the bad values.
      await replaceWith(
        '{\n  "extends": "recommended",\n  "severity_threshold": "EXTREME",\n' +
          '  "patterns": [{ "id": "bad", "pattern": "(unclosed", "severity": "HIGH" }],\n  "not_a_key": 1\n}\n',
      );
      const problems = await diagnosticsWhere(
        created,
        'problems in the broken policy file',
        (d) => d.length >= 3,
      );
      const at = problems.map((d) => policyDoc.getText(d.range));
      assert.ok(
        at.some((t) => t.includes('EXTREME')),
        `a problem at the bad severity: ${JSON.stringify(at)}`,
      );
      assert.ok(
        at.some((t) => t.includes('(unclosed')),
        `a problem at the bad regex: ${JSON.stringify(at)}`,
      );
      assert.ok(
        at.some((t) => t.includes('not_a_key')),
        `a problem at the unknown key: ${JSON.stringify(at)}`,
      );

      // Repaired (back to the starter, saved): no problems, and the json finding goes away again.
      await replaceWith(JSON.stringify(starter, null, 2) + '\n');
      await policyDoc.save();
      await diagnosticsWhere(created, 'no problems in the repaired policy file', (d) => d.length === 0);
      await diagnosticsWhere(code.document.uri, 'the json finding to go away', (d) => d.length === 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(created);
    }
  },
);
