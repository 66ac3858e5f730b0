import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ResponseError,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type Disposable,
  type FileSystemWatcher,
  type Hover,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { treeSitterMemoryBytes, treeSitterMemoryTouchedBytes } from '../runtime/grammars';
import { DEFAULT_LIMITS, type CheckLimits } from './checker';
import { codeActionsFor } from './codeActions';
import { uriToPath } from './documentStore';
import { hoverMarkdown } from './hoverText';
import { looksLikePolicyFile } from './policyStore';
import {
  CHECK_REQUEST,
  DIAGNOSTIC_SOURCE,
  OPEN_POLICY_ENTRY_COMMAND,
  type CheckParams,
  type PolicyEntryRef,
  type SandboxGuardInitializationOptions,
} from './protocol';
import { Session } from './session';

/** Test-only request: the server's counters (checks, incremental reparses, cancellations). */
export const STATS_REQUEST = 'sandboxGuardTest/stats';

function positiveNumber(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

function sameAsDisk(path: string | undefined, text: string): boolean {
  try {
    return path !== undefined && readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * Wires the language server onto a connection. `presetDir` is the bundled `policies/` folder (for hovers
 * and "Open policy entry" on preset rules).
 */
export function startServer(connection: Connection, presetDir = join(__dirname, '..', 'policies')): void {
  let session!: Session;
  let dynamicWatchers = false;
  let relativePatterns = false;
  let dynamicConfiguration = false;
  let watcherRegistration: Promise<Disposable> | undefined;
  let watchedKey = '';

  const guard =
    <A extends unknown[], R>(what: string, fallback: R, fn: (...args: A) => Promise<R> | R) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        connection.console.error(`${what} failed: ${errorText(e)}`);
        return fallback;
      }
    };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as SandboxGuardInitializationOptions;
    const limits: CheckLimits = {
      maxFileSize: positiveNumber(options.maxFileSize, DEFAULT_LIMITS.maxFileSize),
      onTypeMaxFileSize: positiveNumber(options.onTypeMaxFileSize, DEFAULT_LIMITS.onTypeMaxFileSize),
      maxFindings: positiveNumber(options.maxFindings, DEFAULT_LIMITS.maxFindings),
      timeBudgetMs: positiveNumber(options.timeBudgetMs, DEFAULT_LIMITS.timeBudgetMs),
    };
    session = new Session(connection, presetDir, limits);
    session.initTrusted = options.workspaceTrusted !== false;
    const caps = params.capabilities;
    session.caps = {
      configuration: caps.workspace?.configuration === true,
      pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
      diagnosticRefresh: caps.workspace?.diagnostics?.refreshSupport === true,
      showDocument: caps.window?.showDocument?.support === true,
      documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
    };
    dynamicWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    relativePatterns = caps.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
    dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    session.folders.set(
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : undefined),
    );
    return {
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: { includeText: false },
        },
        diagnosticProvider: session.caps.pullDiagnostics
          ? { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: false }
          : undefined,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [OPEN_POLICY_ENTRY_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'sandbox-guard', version: '0.1.0' },
    };
  });

  /** Watches the policy files every folder uses (and what they extend), re-registering when that set grows. */
  const updateWatchers = (): void => {
    if (!dynamicWatchers) return;
    const extra = session.policies
      .consultedPaths()
      .filter((p) => !looksLikePolicyFile(p))
      .sort();
    const key = extra.join('\n');
    if (watcherRegistration && key === watchedKey) return;
    watchedKey = key;
    const watchers: FileSystemWatcher[] = [
      { globPattern: '**/sandbox-guard.json' },
      { globPattern: '**/*.sandbox-guard.json' },
    ];
    for (const path of extra) {
      const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
      watchers.push(
        relativePatterns
          ? {
              globPattern: {
                baseUri: `file://${encodeURI(path.slice(0, slash) || '/')}`,
                pattern: path.slice(slash + 1),
              },
            }
          : { globPattern: path },
      );
    }
    const previous = watcherRegistration;
    watcherRegistration = connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    void previous?.then((d) => d.dispose()).catch(() => undefined);
    watcherRegistration.catch((e: unknown) =>
      connection.console.warn(`cannot watch policy files: ${String(e)}`),
    );
  };

  const policiesChanged = (why: string): void => {
    connection.console.info(`policy changed (${why}); re-checking open documents`);
    session.invalidatePolicies();
    session.refreshAll();
    updateWatchers();
  };

  connection.onInitialized(() => {
    if (dynamicConfiguration) {
      void connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'sandboxGuard' })
        .catch(() => undefined);
    }
    updateWatchers();
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      session.folders.change(e.added, e.removed);
      session.forgetSettings();
      policiesChanged('workspace folders changed');
    });
  });

  connection.onDidChangeConfiguration((params) => {
    session.pushedSettings = params.settings;
    session.forgetSettings();
    session.invalidatePolicies();
    session.refreshAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    const relevant = params.changes.some((c) => {
      const path = uriToPath(c.uri);
      if (path === undefined) return false;
      if (c.type === FileChangeType.Deleted) session.deletedPolicyFiles.add(path);
      else session.deletedPolicyFiles.delete(path);
      return session.policies.isPolicyPath(path);
    });
    if (relevant) policiesChanged('policy file changed on disk');
  });

  connection.onDidOpenTextDocument((params) => {
    const entry = session.docs.open(params);
    if (entry.path) session.deletedPolicyFiles.delete(entry.path);
    if (session.isPolicyDocument(entry) && !sameAsDisk(entry.path, entry.doc.getText())) {
      policiesChanged(`${params.textDocument.uri} opened with unsaved changes`);
    }
    session.schedulePush(entry.uri);
  });

  connection.onDidChangeTextDocument((params) => {
    const entry = session.docs.change(params);
    if (!entry) return;
    if (entry.path) session.deletedPolicyFiles.delete(entry.path);
    if (session.isPolicyDocument(entry)) policiesChanged(`${entry.uri} edited`);
    else session.schedulePush(entry.uri);
  });

  connection.onDidSaveTextDocument(
    guard('didSave', undefined, async (params) => {
      const entry = session.docs.saved(params.textDocument.uri);
      if (!entry) return;
      const settings = await session.settingsFor(entry.uri);
      if (!session.onSaveOnly(entry, settings)) return;
      if (session.caps.pullDiagnostics) session.refreshAll();
      else session.schedulePush(entry.uri);
    }),
  );

  connection.onDidCloseTextDocument((params) => {
    const entry = session.docs.get(params.textDocument.uri);
    const wasPolicy =
      entry !== undefined && session.isPolicyDocument(entry) && !sameAsDisk(entry.path, entry.doc.getText());
    session.docs.close(params.textDocument.uri);
    session.forgetSettings(params.textDocument.uri);
    session.clearPushed(params.textDocument.uri);
    // An unsaved policy edit no longer applies once its editor is closed without saving.
    if (wasPolicy) policiesChanged(`${params.textDocument.uri} closed`);
  });

  connection.languages.diagnostics.on(async (params, token) => {
    try {
      const report = await session.pullDiagnostics(params.textDocument.uri, params.previousResultId, token);
      updateWatchers();
      return report;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`diagnostics for ${params.textDocument.uri} failed: ${errorText(e)}`);
      return { kind: 'full', items: [] };
    }
  });

  connection.onHover(
    guard('hover', null, async (params): Promise<Hover | null> => {
      const current = await session.currentReport(params.textDocument.uri);
      if (!current) return null;
      const { entry, report } = current;
      const offset = entry.doc.offsetAt(params.position);
      const hits = report.check.findings.filter(
        (f) => f.start <= offset && offset <= Math.max(f.end, f.start + 1),
      );
      if (hits.length === 0) return null;
      const start = Math.min(...hits.map((f) => f.start));
      const end = Math.max(...hits.map((f) => f.end));
      const value = hits
        .map((f) => hoverMarkdown(f, report.policy.info, session.locate(f.origin)))
        .join('\n\n---\n\n');
      return {
        contents: { kind: 'markdown', value },
        range: { start: entry.doc.positionAt(start), end: entry.doc.positionAt(end) },
      };
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (params) => {
      const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      if (ours.length === 0) return [];
      const current = await session.currentReport(params.textDocument.uri);
      if (!current) return [];
      return codeActionsFor(current.entry.doc, current.entry.tree, ours, session.caps.documentChanges);
    }),
  );

  connection.onExecuteCommand(
    guard('executeCommand', undefined, async (params) => {
      if (params.command !== OPEN_POLICY_ENTRY_COMMAND) return;
      const ref = params.arguments?.[0] as PolicyEntryRef | undefined;
      if (!ref || typeof ref.source !== 'string') return;
      const at = session.locate(ref);
      if (!at) {
        void connection.window.showWarningMessage(
          `Sandbox Guard: cannot find the policy entry in ${ref.source}`,
        );
        return;
      }
      if (!session.caps.showDocument) {
        void connection.window.showInformationMessage(
          `Sandbox Guard: the entry is at ${at.path}:${at.range.start.line + 1}`,
        );
        return;
      }
      await connection.window.showDocument({ uri: at.uri, takeFocus: true, selection: at.range });
    }),
  );

  connection.onRequest(CHECK_REQUEST, async (params: CheckParams) => {
    return session.checkForGate(params);
  });

  connection.onRequest(STATS_REQUEST, () => ({
    ...session.stats,
    memory: process.memoryUsage(),
    treeSitterMemory: treeSitterMemoryBytes(),
    treeSitterMemoryTouched: treeSitterMemoryTouchedBytes(),
  }));

  connection.listen();
}
