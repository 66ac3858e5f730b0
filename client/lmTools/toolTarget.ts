import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { PolicyRef } from '../../mcp/format';
import type { JsonSchema } from '../../mcp/schemas';
import { ArgumentError, validateArguments } from '../../mcp/validate';
import { PolicyStore, type EffectivePolicy } from '../../server/policyStore';
import { readSettings } from '../configuration';
import { effectivePolicyFor } from '../run/effectivePolicy';

/** What an agent passes to sandboxGuard_checkCode / sandboxGuard_runCode (mcp/editorTools.ts schemas). */
export interface LmToolInput {
  code?: string;
  language?: string;
  filePath?: string;
  stdin?: string;
  timeout_seconds?: number;
}

/** The text a tool call is about, its language, and the policy that applies to it. */
export interface ToolTarget {
  input: LmToolInput;
  code: string;
  language: string;
  /** The document the text came from (or whose folder's policy applies), if any. */
  document?: vscode.TextDocument;
  /** For messages and the audit log: the document's path or name, when the text is a document's. */
  fileName?: string;
  effective: EffectivePolicy;
  policy: PolicyRef;
}

/** A call the tool cannot serve as asked; the message is written for the model that made it. */
export class ToolInputError extends Error {}

/**
 * Resolves a tool call: the given code, else the current (unsaved) text of `filePath` or of the active
 * editor, with the policy that applies to that document, exactly as the diagnostics and Run in Sandbox see
 * it. `filePath` must be an open document or a file inside a workspace folder: the tools never read
 * arbitrary files for an agent.
 */
export async function resolveTarget(
  raw: unknown,
  schema: JsonSchema,
  presetDir: string,
): Promise<ToolTarget> {
  let input: LmToolInput;
  try {
    input = validateArguments(raw, schema) as LmToolInput;
  } catch (e) {
    if (e instanceof ArgumentError) throw new ToolInputError(`Invalid input: ${e.message}.`);
    throw e;
  }
  let document: vscode.TextDocument | undefined;
  if (input.filePath !== undefined) document = await documentAt(input.filePath);
  else if (input.code === undefined) {
    document = vscode.window.activeTextEditor?.document;
    if (!document) {
      throw new ToolInputError(
        'No code was given and no editor is open: pass code and language, or the filePath of a workspace file.',
      );
    }
  }
  const code = input.code ?? document?.getText() ?? '';
  const language = input.language ?? document?.languageId;
  if (!language) {
    throw new ToolInputError('language is required when code is given without a filePath.');
  }
  // Code without a file is judged by the policy of the folder the user is working in.
  const scope = document ?? vscode.window.activeTextEditor?.document;
  const effective = scope ? effectivePolicyFor(scope, presetDir) : folderlessPolicy(presetDir);
  const fileName = document && input.code === undefined ? documentName(document) : undefined;
  return {
    input,
    code,
    language,
    document,
    fileName,
    effective,
    policy: { name: effective.info.name, source: effective.info.source, threshold: effective.info.threshold },
  };
}

function documentName(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path.split('/').pop() || doc.uri.toString();
}

async function documentAt(filePath: string): Promise<vscode.TextDocument> {
  if (!isAbsolute(filePath))
    throw new ToolInputError(`filePath must be an absolute path (got "${filePath}").`);
  const wanted = normalize(filePath);
  const open = vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === 'file' && normalize(d.uri.fsPath) === wanted,
  );
  if (open) return open;
  const uri = vscode.Uri.file(wanted);
  if (!insideWorkspace(wanted)) {
    throw new ToolInputError(
      `${filePath} is neither open in the editor nor inside a workspace folder; pass its code instead.`,
    );
  }
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (e) {
    throw new ToolInputError(`Cannot open ${filePath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Inside a workspace folder after resolving symbolic links (a link in the workspace cannot reach out). */
function insideWorkspace(path: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const target = real(path);
  return (vscode.workspace.workspaceFolders ?? []).some((f) => {
    if (f.uri.scheme !== 'file') return false;
    const rel = relative(real(f.uri.fsPath), target);
    return rel.split(sep)[0] !== '..' && !isAbsolute(rel);
  });
}

/** No editor is open: the first workspace folder's policy, or the user's settings when there is no folder. */
function folderlessPolicy(presetDir: string): EffectivePolicy {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const store = new PolicyStore((path) => {
    const d = vscode.workspace.textDocuments.find((x) => x.uri.scheme === 'file' && x.uri.fsPath === path);
    if (d && (d.isDirty || existsSync(path))) return d.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }, presetDir);
  return store.forDocument(
    readSettings(folder?.uri),
    folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    vscode.workspace.isTrusted,
  );
}
