import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sandbox-guard.sandbox-guard';

/** Polls until `probe` returns something other than undefined/false, or fails with `what` at the deadline. */
export async function poll<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks the browser side (the launcher's driver endpoint) to do something a user would. */
export async function driver<T = Record<string, unknown>>(op: string, body: object = {}): Promise<T> {
  const base = process.env.SANDBOX_GUARD_E2E_DRIVER;
  if (!base) throw new Error('SANDBOX_GUARD_E2E_DRIVER is not set: not started by scripts/e2e/launch.mjs');
  const r = await fetch(`${base}/${op}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as T & { error?: string };
  if (!r.ok) throw new Error(`driver ${op}: ${json.error ?? r.status}`);
  return json;
}

export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

export async function openFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'sandbox-guard')
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** Waits until our diagnostics for `uri` satisfy `accept` (they arrive asynchronously after each edit). */
export function diagnosticsWhere(
  uri: vscode.Uri,
  what: string,
  accept: (d: vscode.Diagnostic[]) => boolean,
  timeoutMs?: number,
): Promise<vscode.Diagnostic[]> {
  return poll(
    what,
    () => {
      const d = ours(uri);
      return accept(d) ? d : undefined;
    },
    timeoutMs,
  );
}

export async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const ok = await editor.edit((b) =>
    b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text),
  );
  assert.ok(ok, 'edit applied');
}

export function rangeText(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Sets a user-level setting and waits for VS Code to report it. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  const [section, ...rest] = key.split('.');
  await vscode.workspace
    .getConfiguration(section)
    .update(rest.join('.'), value, vscode.ConfigurationTarget.Global);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A screenshot of the whole workbench, written by the browser side. */
export async function screenshot(path: string, waitFor: string[] = []): Promise<void> {
  await driver('screenshot', { path, waitFor });
}

/** Drops unsaved edits of the active editor and closes it (no save prompt). */
export async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

export function folderFile(folderName: string, rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === folderName);
  assert.ok(folder, `workspace folder ${folderName} is open`);
  return vscode.Uri.joinPath(folder.uri, rel);
}

/** Back to a calm window: unsaved edits reverted, editors and run terminals closed, notifications cleared. */
export async function resetWindow(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isClosed)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const t of vscode.window.terminals) t.dispose();
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
}
