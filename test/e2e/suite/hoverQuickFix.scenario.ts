import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statusOf } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, openFile, revertAndClose } from './util';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

scenario('hover explains the finding; "Ignore for this line" inserts the comment and hides it', async () => {
  const editor = await openFile('hover.py');
  const { document: doc } = editor;
  const [diag] = await diagnosticsWhere(doc.uri, 'the os.system diagnostic', (d) => d.length === 1);
  assert.equal(diag.range.start.line, 2);

  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    diag.range.start.translate(0, 3),
  );
  const text = hoverText(hovers);
  assert.match(text, /os\.system/);
  assert.match(text, /HIGH/);
  assert.match(text, /block/i, 'the hover says it blocks Run in Sandbox');

  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    diag.range,
  );
  const ignore = actions.find((a) => /^Ignore .* for this line$/.test(a.title));
  assert.ok(
    ignore,
    `an "Ignore ... for this line" quick fix among: ${actions.map((a) => a.title).join(' | ')}`,
  );
  assert.equal(ignore.kind?.value, vscode.CodeActionKind.QuickFix.value);
  if (ignore.edit) assert.ok(await vscode.workspace.applyEdit(ignore.edit), 'the quick fix edit applied');
  if (ignore.command)
    await vscode.commands.executeCommand(ignore.command.command, ...(ignore.command.arguments ?? []));

  await diagnosticsWhere(doc.uri, 'the diagnostic to disappear', (d) => d.length === 0);
  const line = doc.lineAt(2).text;
  assert.match(
    line,
    /^os\.system\("echo hi"\)\s+# sandbox-guard: ignore\[[^\]]+\]$/,
    `line 3 is now: ${line}`,
  );
  // A suppression hides the finding but never lets the code run.
  const status = await statusOf(doc);
  assert.equal(status.findingCount, 0);
  assert.equal(status.blockingCount, 1);
  await revertAndClose();
});
