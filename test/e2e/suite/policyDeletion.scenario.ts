import * as vscode from 'vscode';
import { statusWhere } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, openFile, revertAndClose, workspaceFile } from './util';

// Last in the trusted session: if the deleted file lingered, it would change the policy of later scenarios.

scenario('policy: deleting the workspace policy file (its editor closed) restores the preset', async () => {
  const code = await openFile('uses_json.py');
  const policy = workspaceFile('sandbox-guard.json');
  const text = JSON.stringify({
    extends: 'recommended',
    restricted_modules: [{ name: 'json', severity: 'HIGH' }],
  });
  await vscode.workspace.fs.writeFile(policy, new TextEncoder().encode(text));
  try {
    // Opened and closed once, as a user who looked at it would have.
    await vscode.window.showTextDocument(policy, { preview: false });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await diagnosticsWhere(code.document.uri, 'the json import to be flagged', (d) => d.length === 1);
  } finally {
    await vscode.workspace.fs.delete(policy);
  }
  await statusWhere(
    code.document,
    'the preset to apply again',
    (s) => s.policy.source === 'preset:recommended',
  );
  await diagnosticsWhere(code.document.uri, 'the json finding to go away', (d) => d.length === 0);
  await revertAndClose();
});
