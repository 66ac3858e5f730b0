import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxGuardApi } from '../../../client/extension';
import type { StatusParams } from '../../../server/protocol';
import { EXTENSION_ID, poll } from './util';

let api: SandboxGuardApi | undefined;

/** The activated extension's test surface (activation is awaited, as a user's first file open would). */
export async function sandboxGuard(): Promise<SandboxGuardApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<SandboxGuardApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  api = await ext.activate();
  await poll('the language server to run', () => api?.serverRunning(), 30_000);
  return api;
}

/** Waits until the server has checked exactly this version of the document. */
export async function statusOf(doc: vscode.TextDocument, timeoutMs?: number): Promise<StatusParams> {
  const a = await sandboxGuard();
  return poll(
    `a server status for ${doc.uri.path} v${doc.version}`,
    () => {
      const s = a.statusFor(doc.uri.toString());
      return s && s.version === doc.version ? s : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the server's status for this version of the document satisfies `accept`. */
export async function statusWhere(
  doc: vscode.TextDocument,
  what: string,
  accept: (s: StatusParams) => boolean,
  timeoutMs?: number,
): Promise<StatusParams> {
  const a = await sandboxGuard();
  return poll(
    what,
    () => {
      const s = a.statusFor(doc.uri.toString());
      return s && s.version === doc.version && accept(s) ? s : undefined;
    },
    timeoutMs,
  );
}
