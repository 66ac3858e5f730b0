import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statusOf } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, openFile, ours, rangeText, revertAndClose } from './util';

scenario('diagnostics: import subprocess and os.system(...) with exact ranges and severities', async () => {
  const editor = await openFile('danger.py');
  const { uri } = editor.document;
  const diags = await diagnosticsWhere(uri, 'two Sandbox Guard diagnostics', (d) => d.length === 2);
  assert.deepEqual(
    diags.map((d) => [rangeText(d.range), d.severity, editor.document.getText(d.range)]),
    [
      ['1:7-1:17', vscode.DiagnosticSeverity.Error, 'subprocess'],
      ['4:0-4:9', vscode.DiagnosticSeverity.Error, 'os.system'],
    ],
  );
  assert.match(diags[0].message, /subprocess/);
  assert.match(diags[1].message, /os\.system/);

  // Editing the os.system line away clears its diagnostic; then the import.
  await editor.edit((b) => b.replace(new vscode.Range(4, 0, 4, 15), 'print("no call here")'));
  await diagnosticsWhere(
    uri,
    'only the import diagnostic',
    (d) => d.length === 1 && d[0].range.start.line === 1,
  );
  await editor.edit((b) => b.replace(new vscode.Range(1, 0, 1, 17), 'import json'));
  await diagnosticsWhere(uri, 'no diagnostics', (d) => d.length === 0);
  const status = await statusOf(editor.document);
  assert.equal(status.blockingCount, 0);
  await revertAndClose();
});

scenario('diagnostics: a comment or a string mentioning them shows nothing', async () => {
  const editor = await openFile('mentions.py');
  const status = await statusOf(editor.document);
  assert.equal(status.findingCount, 0, 'the server found nothing');
  assert.deepEqual(ours(editor.document.uri), []);
  await revertAndClose();
});
