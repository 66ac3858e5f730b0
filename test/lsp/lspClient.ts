// A real LSP client for the tests and the benchmark: spawns `node dist/server.js --stdio` and talks JSON-RPC
// to it with vscode-jsonrpc, answering the server's requests (configuration, registrations, refresh,
// showDocument) the way VS Code's client does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { StatusParams } from '../../server/protocol';

export const ROOT = join(__dirname, '..', '..');
export const SERVER = process.env.SANDBOX_GUARD_SERVER ?? join(ROOT, 'dist', 'server.js');

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}
export interface DiagnosticReport {
  kind: 'full' | 'unchanged';
  resultId?: string;
  items?: Diagnostic[];
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  edit?: {
    changes?: Record<string, TextEdit[]>;
    documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
  };
  command?: { title: string; command: string; arguments?: unknown[] };
}
export type ContentChange = { range: Range; text: string } | { text: string };

export interface ClientOptions {
  folders?: string[];
  /** Answer for `workspace/configuration` (section `sandboxGuard`) per scope URI. */
  settings?: (scopeUri: string | undefined) => unknown;
  initializationOptions?: unknown;
  /** Advertise pull diagnostics (default true); false makes the server publish. */
  pull?: boolean;
  /** Advertise `workspace/configuration` (default true). */
  configuration?: boolean;
}

export const fileUri = (path: string): string => pathToFileURL(path).toString();

export function tempDir(prefix = 'sg-lsp-'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls until `probe` returns something other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export class LspClient {
  readonly logs: string[] = [];
  readonly statuses: StatusParams[] = [];
  readonly published = new Map<string, { version?: number; diagnostics: Diagnostic[] }[]>();
  readonly shownDocuments: { uri: string; selection?: Range; takeFocus?: boolean }[] = [];
  readonly messages: string[] = [];
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[] = [];
  readonly configurationRequests: (string | undefined)[] = [];
  refreshCount = 0;
  settings: (scopeUri: string | undefined) => unknown;
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? (() => ({}));
  }

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    // SANDBOX_GUARD_SERVER_NODE_ARGS: extra node flags for the server (profiling: `--cpu-prof`).
    const nodeArgs = (process.env.SANDBOX_GUARD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspClient(child, connection, options);
    child.stderr.on('data', (d: Buffer) => client.logs.push(`[stderr] ${d.toString()}`));
    connection.onRequest(
      'workspace/configuration',
      (params: { items: { scopeUri?: string; section?: string }[] }) => {
        return params.items.map((item) => {
          client.configurationRequests.push(item.scopeUri);
          return item.section === 'sandboxGuard' ? client.settings(item.scopeUri) : null;
        });
      },
    );
    connection.onRequest(
      'client/registerCapability',
      (params: { registrations: LspClient['registrations'] }) => {
        client.registrations.push(...params.registrations);
        return null;
      },
    );
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshCount++;
      return null;
    });
    connection.onRequest('window/showDocument', (params: LspClient['shownDocuments'][number]) => {
      client.shownDocuments.push(params);
      return { success: true };
    });
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.onNotification('window/showMessage', (p: { message: string }) => {
      client.messages.push(p.message);
    });
    connection.onNotification('sandboxGuard/status', (p: StatusParams) => {
      client.statuses.push(p);
    });
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
        const list = client.published.get(p.uri) ?? [];
        list.push({ version: p.version, diagnostics: p.diagnostics });
        client.published.set(p.uri, list);
      },
    );
    connection.listen();
    const pull = options.pull ?? true;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.folders?.[0] ? fileUri(options.folders[0]) : null,
      workspaceFolders: options.folders?.map((f, i) => ({ uri: fileUri(f), name: `folder${i}` })) ?? null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: options.configuration ?? true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
          workspaceFolders: true,
          diagnostics: { refreshSupport: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          diagnostic: pull ? { dynamicRegistration: false, relatedDocumentSupport: false } : undefined,
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
        window: { showDocument: { support: true } },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  /** Sends changes as the next version; returns that version. */
  async change(uri: string, changes: ContentChange[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    this.versions.delete(uri);
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(uri: string, previousResultId?: string): Promise<DiagnosticReport> {
    return this.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId,
    });
  }

  /** Pulls until the server answers (it may answer ServerCancelled while a newer version is processed). */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.pull(uri);
        return r.items ?? [];
      } catch (e) {
        if (attempt > 20 || (e as { code?: number }).code !== -32802) throw e;
      }
    }
  }

  changeConfiguration(settings: unknown = null): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  changeWatchedFiles(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  hover(
    uri: string,
    position: Position,
  ): Promise<{ contents: { kind: string; value: string }; range?: Range } | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only: ['quickfix'] },
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below settles it.
    }
    const exited = new Promise((r) => this.child.once('exit', r));
    if (this.child.exitCode === null) {
      setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
      await exited;
    }
    this.connection.dispose();
  }

  /** The server is still alive and answering. */
  async alive(): Promise<boolean> {
    const stats = await this.request<{ checks: number }>('sandboxGuardTest/stats', {});
    return typeof stats.checks === 'number' && this.child.exitCode === null;
  }
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lines.push(i + 1);
  const offset = (p: Position) => Math.min((lines[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** The edits of a code action for one document, from either `changes` or `documentChanges`. */
export function editsOf(action: CodeAction, uri: string): TextEdit[] {
  if (action.edit?.changes?.[uri]) return action.edit.changes[uri];
  return (
    action.edit?.documentChanges?.filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits) ?? []
  );
}

/** A range from (line, character) pairs, for readable assertions. */
export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}
