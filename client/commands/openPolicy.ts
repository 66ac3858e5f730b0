import * as vscode from 'vscode';
import type { PolicyInfo } from '../../server/protocol';
import { readSettings } from '../configuration';
import type { Services } from '../services';
import { targetDocument } from './targetDocument';

/**
 * Opens the policy that applies to the current file: its policy file, or the bundled preset's JSON
 * (read-only reference). Without an open file, the workspace policy file or the configured preset.
 */
export async function openPolicy(s: Services, uri?: unknown): Promise<vscode.Uri | undefined> {
  const doc = await targetDocument(uri);
  let info: PolicyInfo | undefined = doc ? s.status.policyFor(doc.uri) : undefined;
  if (!info && doc) {
    info = (
      await s.server.check({ uri: doc.uri.toString(), text: doc.getText(), languageId: doc.languageId })
    ).policy;
  }
  let target: vscode.Uri | undefined = info?.uri ? vscode.Uri.parse(info.uri) : undefined;
  if (!target && !info) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const candidate = folder && vscode.Uri.joinPath(folder.uri, 'sandbox-guard.json');
    if (candidate && (await exists(candidate))) target = candidate;
  }
  if (!target) {
    const preset = info?.source.startsWith('preset:')
      ? info.source.slice(7)
      : readSettings(doc?.uri).policy.preset;
    target = vscode.Uri.joinPath(s.context.extensionUri, 'policies', `${preset}.json`);
  }
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
