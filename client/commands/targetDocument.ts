import * as vscode from 'vscode';

/**
 * The document a command acts on: the explorer/editor-title resource it was invoked on (opened if needed,
 * so unsaved edits in an open editor are what counts), else the active editor's document.
 */
export async function targetDocument(uri?: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ?? (await vscode.workspace.openTextDocument(uri));
  }
  return vscode.window.activeTextEditor?.document;
}
