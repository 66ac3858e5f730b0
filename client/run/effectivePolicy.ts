import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { PolicyStore, type EffectivePolicy } from '../../server/policyStore';
import { readSettings } from '../configuration';

/**
 * The policy that applies to a document, resolved by the same code the language server uses (settings,
 * the folder's policy file with unsaved edits, workspace trust), so the run gate and the diagnostics agree.
 */
export function effectivePolicyFor(doc: vscode.TextDocument, presetDir: string): EffectivePolicy {
  const open = new Map(
    vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]),
  );
  const store = new PolicyStore((path) => {
    // Unsaved edits count; an unmodified document whose file was deleted does not (VS Code may keep the
    // document open long after its editor closed).
    const d = open.get(path);
    if (d && (d.isDirty || existsSync(path))) return d.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }, presetDir);
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  return store.forDocument(
    readSettings(doc.uri),
    folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    vscode.workspace.isTrusted,
  );
}
