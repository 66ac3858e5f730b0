import * as vscode from 'vscode';
import { resolveAuditPath } from '../../sandbox/auditLog';
import { readRunSettings } from '../run/runSettings';
import type { Services } from '../services';

/** Opens the audit log (one JSON line per run and per refusal). */
export async function showAuditLog(s: Services): Promise<vscode.Uri | undefined> {
  let path: string;
  try {
    path = resolveAuditPath(readRunSettings().audit).always;
  } catch (e) {
    void vscode.window.showErrorMessage(`Sandbox Guard: ${e instanceof Error ? e.message : String(e)}.`);
    return undefined;
  }
  const uri = vscode.Uri.file(path);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showInformationMessage(
      `Sandbox Guard: no runs recorded yet (the audit log will be ${path}).`,
    );
    return undefined;
  }
  s.log.info(`audit log: ${path}`);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}
