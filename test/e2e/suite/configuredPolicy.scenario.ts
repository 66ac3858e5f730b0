import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statusWhere } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, folderFile, openFile, revertAndClose } from './util';

scenario(
  'policy: a configured policy file (sandboxGuard.policy.file) applies and shows its own problems',
  async () => {
    const code = await openFile('uses_json.py');
    const folder = vscode.workspace.getWorkspaceFolder(code.document.uri);
    assert.ok(folder);
    const config = vscode.workspace.getConfiguration('sandboxGuard', folder.uri);
    await config.update('policy.file', 'team-policy.json', vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const policyUri = folderFile('main', 'team-policy.json');
      await statusWhere(
        code.document,
        'the configured policy to apply',
        (s) => s.policy.source === policyUri.fsPath,
      );
      const [diag] = await diagnosticsWhere(
        code.document.uri,
        "the team policy's json rule",
        (d) => d.length === 1,
      );
      assert.equal(code.document.getText(diag.range), 'json');

      // The file has no policy-file name, yet its mistakes are diagnostics in it: it is configured.
      const policy = await vscode.window.showTextDocument(policyUri);
      await policy.edit((b) =>
        b.replace(new vscode.Range(0, 0, policy.document.lineCount, 0), '{ "severity_threshold": "NOPE" }\n'),
      );
      const problems = await diagnosticsWhere(
        policyUri,
        'a problem in the configured policy file',
        (d) => d.length >= 1,
      );
      assert.ok(problems.some((d) => policy.document.getText(d.range).includes('NOPE')));
      await revertAndClose();
    } finally {
      await config.update('policy.file', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await statusWhere(
      code.document,
      'the preset to apply again',
      (s) => s.policy.source === 'preset:recommended',
    );
    await revertAndClose();
  },
);
