import * as vscode from 'vscode';
import { readSettings } from '../configuration';
import type { Services } from '../services';

/** The starter file: everything from the current preset, plus room for the workspace's own rules. */
export function starterPolicy(preset: string, folderName: string): string {
  const policy = {
    name: `${folderName} workspace policy`,
    description: `Extends the ${preset} preset. Add rules below; entries with the same name or id override the preset's.`,
    extends: preset,
    patterns: [],
    restricted_modules: [],
    restricted_calls: [],
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/**
 * Writes `sandbox-guard.json` in a workspace folder (asking which one in a multi-root workspace) and opens
 * it. An existing file is opened, never overwritten.
 */
export async function createPolicy(s: Services, folderArg?: unknown): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let folder: vscode.WorkspaceFolder | undefined;
  if (folderArg instanceof vscode.Uri) folder = vscode.workspace.getWorkspaceFolder(folderArg);
  else if (folders.length === 1) folder = folders[0];
  else if (folders.length > 1)
    folder = await vscode.window.showWorkspaceFolderPick({
      placeHolder: 'Create the policy in which folder?',
    });
  if (!folder) {
    if (folders.length === 0)
      void vscode.window.showWarningMessage('Sandbox Guard: open a folder to create a workspace policy.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, 'sandbox-guard.json');
  let existed = true;
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    existed = false;
  }
  if (!existed) {
    const preset = readSettings(folder.uri).policy.preset;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(starterPolicy(preset, folder.name)));
    s.log.info(`created ${target.fsPath} extending ${preset}`);
  }
  await vscode.window.showTextDocument(target, { preview: false });
  if (existed)
    void vscode.window.showInformationMessage('Sandbox Guard: this folder already has a sandbox-guard.json.');
  else if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(
      'Sandbox Guard: this workspace is not trusted, so its policy file can only add restrictions to your preset.',
    );
  }
  return target;
}
