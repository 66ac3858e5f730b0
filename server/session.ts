import { readFileSync } from 'node:fs';
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageFromPath } from '../core/languages/registry';
import type { RuleOrigin } from '../core/policy';
import { severityName } from '../core/severity';
import { runCheck, type CheckLimits, type DocumentCheck } from './checker';
import { checkDiagnostics, policyProblemDiagnostics, rangeOf } from './diagnostics';
import { DocumentStore, uriToPath, type OpenDocument } from './documentStore';
import { GrammarLoader } from './grammarLoader';
import { PolicyLocator, type EntryLocation } from './policyLocator';
import { PolicyStore, type EffectivePolicy } from './policyStore';
import {
  STATUS_NOTIFICATION,
  type CheckParams,
  type CheckResponse,
  type SandboxGuardSettings,
  type StatusParams,
} from './protocol';
import { normaliseSettings } from './settings';
import { WorkspaceFolders } from './workspaceFolders';

/** A check of an open document, cached for one (version, policy, settings) combination. */
export interface DocReport {
  check: DocumentCheck;
  policy: EffectivePolicy;
  diagnostics: Diagnostic[];
}

/** What the client told us it can do (from `initialize`). */
export interface ClientCaps {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  showDocument: boolean;
  documentChanges: boolean;
}

/** Counters for tests and the benchmark (`sandboxGuardTest/stats`). */
export interface ServerStats {
  checks: number;
  /** Checks that reparsed from the previous, edited tree. */
  incrementalChecks: number;
  cachedReports: number;
  cancelled: number;
  lastCheckMs: number;
}

const superseded = (): ResponseError<{ retriggerRequest: boolean }> =>
  new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer version', {
    retriggerRequest: true,
  });

/** Lets queued notifications (`didChange`, `$/cancelRequest`) be read before work starts. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The server's state and its operations, independent of how handlers are wired: open documents with their
 * trees, per-resource settings, policies, and the checks with their caches.
 */
export class Session {
  readonly docs = new DocumentStore<DocReport>();
  readonly folders = new WorkspaceFolders();
  readonly policies: PolicyStore;
  readonly locator: PolicyLocator;
  readonly stats: ServerStats = {
    checks: 0,
    incrementalChecks: 0,
    cachedReports: 0,
    cancelled: 0,
    lastCheckMs: 0,
  };
  caps: ClientCaps = {
    configuration: false,
    pullDiagnostics: false,
    diagnosticRefresh: false,
    showDocument: false,
    documentChanges: false,
  };
  /** `initializationOptions.workspaceTrusted`; false wins over the setting. */
  initTrusted = true;
  /** Settings pushed with `didChangeConfiguration`, for clients without `workspace/configuration`. */
  pushedSettings: unknown = undefined;
  private settingsCache = new Map<string, Promise<SandboxGuardSettings>>();
  private settingsGeneration = 0;
  readonly grammars: GrammarLoader;
  private resultIds = 0;
  private readonly pendingPush = new Map<string, NodeJS.Immediate>();

  constructor(
    private readonly connection: Connection,
    presetDir: string,
    readonly limits: CheckLimits,
  ) {
    const readText = (path: string) => this.readPolicyText(path);
    this.policies = new PolicyStore(readText, presetDir);
    this.locator = new PolicyLocator(readText, (name) => this.policies.presetPath(name));
    this.grammars = new GrammarLoader((grammar, e) =>
      this.connection.console.error(`tree-sitter grammar ${grammar} failed to load: ${String(e)}`),
    );
  }

  /**
   * Policy files reported deleted on disk. VS Code may keep a deleted file's document open (and synced) for
   * minutes after its editor closed; until that document is edited again, the file is gone.
   */
  readonly deletedPolicyFiles = new Set<string>();

  /** A policy file's current text: the open editor's, unsaved edits included, else the file on disk. */
  private readPolicyText(path: string): string | undefined {
    if (this.deletedPolicyFiles.has(path)) return undefined;
    const open = this.docs.byPath(path);
    if (open) return open.doc.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  // ---- settings -------------------------------------------------------------------------------------

  settingsFor(uri: string): Promise<SandboxGuardSettings> {
    if (!this.caps.configuration) {
      const pushed = (this.pushedSettings as { sandboxGuard?: unknown } | undefined)?.sandboxGuard;
      return Promise.resolve(normaliseSettings(pushed));
    }
    let cached = this.settingsCache.get(uri);
    if (!cached) {
      cached = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'sandboxGuard' }).then(
        (raw: unknown) => normaliseSettings(raw),
        (e: unknown) => {
          this.connection.console.warn(
            `workspace/configuration failed for ${uri}: ${String(e)}; using defaults`,
          );
          return normaliseSettings(undefined);
        },
      );
      this.settingsCache.set(uri, cached);
    }
    return cached;
  }

  forgetSettings(uri?: string): void {
    if (uri) {
      this.settingsCache.delete(uri);
      return;
    }
    this.settingsCache.clear();
    this.settingsGeneration++;
    this.docs.forgetChecks();
  }

  invalidatePolicies(): void {
    this.policies.invalidate();
    this.locator.clear();
    this.docs.forgetChecks();
  }

  policyFor(path: string | undefined, settings: SandboxGuardSettings): EffectivePolicy {
    const trusted = this.initTrusted && settings.workspaceTrusted;
    return this.policies.forDocument(settings, this.folders.folderOf(path), trusted);
  }

  isPolicyDocument(entry: OpenDocument): boolean {
    return entry.path !== undefined && this.policies.isPolicyPath(entry.path);
  }

  locate = (origin: RuleOrigin): EntryLocation | undefined => {
    try {
      return this.locator.locate(origin);
    } catch {
      return undefined;
    }
  };

  // ---- checks ---------------------------------------------------------------------------------------

  private cacheKey(entry: OpenDocument, policy: EffectivePolicy): string {
    return `${entry.doc.version}|${policy.generation}|${this.settingsGeneration}|${policy.info.source}|${policy.info.name}`;
  }

  /** Checks an open document at its current version (or returns the cached check of that version). */
  checkOpen(
    entry: OpenDocument<DocReport>,
    policy: EffectivePolicy,
  ): { report: DocReport; resultId: string } {
    const key = this.cacheKey(entry, policy);
    if (entry.last?.key === key) {
      this.stats.cachedReports++;
      return { report: entry.last.report, resultId: entry.last.resultId };
    }
    const previousTree = entry.tree;
    const { check, tree, treeValid } = runCheck(
      {
        text: entry.doc.getText(),
        languageId: entry.doc.languageId,
        policy: policy.policy,
        parsers: this.grammars.parsers,
        previousTree,
        limits: this.limits,
      },
      (e) =>
        this.connection.console.error(
          `check of ${entry.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        ),
    );
    if (treeValid) this.docs.keepTree(entry, tree);
    else this.docs.dropTree(entry);
    this.stats.checks++;
    if (previousTree && treeValid) this.stats.incrementalChecks++;
    this.stats.lastCheckMs = check.durationMs;
    const diagnostics = checkDiagnostics(entry.doc, check, policy.info, this.locate);
    const report = { check, policy, diagnostics };
    const resultId = String(++this.resultIds);
    entry.last = { key, resultId, report };
    this.sendStatus(entry, report);
    return { report, resultId };
  }

  private sendStatus(entry: OpenDocument, report: DocReport): void {
    const { check } = report;
    const params: StatusParams = {
      uri: entry.uri,
      version: entry.doc.version,
      policy: report.policy.info,
      findingCount: check.findings.reduce((n, f) => n + (f.suppressed ? 0 : 1), 0),
      blockingCount: check.blockingCount,
      blocked: check.blocked,
      incomplete: check.incomplete,
      durationMs: Math.round(check.durationMs * 10) / 10,
    };
    void this.connection.sendNotification(STATUS_NOTIFICATION, params).catch(() => undefined);
  }

  /** The diagnostics of a policy file: its own problems, from its current text. */
  private policyDiagnostics(entry: OpenDocument): Diagnostic[] {
    return policyProblemDiagnostics(
      entry.doc,
      this.policies.validate(entry.path ?? entry.uri, entry.doc.getText()),
    );
  }

  /**
   * `textDocument/diagnostic`. No delay of its own: superseded requests are cancelled by the client, and a
   * version that changed while settings were fetched is answered with ServerCancelled (retrigger), so a
   * report never describes an older text than the client holds.
   */
  async pullDiagnostics(
    uri: string,
    previousResultId: string | undefined,
    token: CancellationToken,
  ): Promise<DocumentDiagnosticReport> {
    const entry = this.docs.get(uri);
    if (!entry) return { kind: 'full', items: [] };
    const version = entry.doc.version;
    const settings = await this.settingsFor(uri);
    await this.grammars.ensure(entry.doc.languageId);
    await yieldToEventLoop();
    if (token.isCancellationRequested || this.docs.get(uri) !== entry || entry.doc.version !== version) {
      this.stats.cancelled++;
      throw superseded();
    }
    if (!settings.diagnostics.enable) return { kind: 'full', items: [] };
    if (this.isPolicyDocument(entry)) return { kind: 'full', items: this.policyDiagnostics(entry) };
    const policy = this.policyFor(entry.path, settings);
    const unsaved = entry.doc.version !== entry.savedVersion;
    const sameConfig = entry.lastFull?.config === `${policy.generation}|${this.settingsGeneration}`;
    if (this.onSaveOnly(entry, settings) && unsaved && previousResultId !== undefined && sameConfig) {
      // Leave what the client shows (the last saved version's problems) until the next save.
      return { kind: 'unchanged', resultId: previousResultId };
    }
    const { report, resultId } = this.checkOpen(entry, policy);
    entry.lastFull = { resultId, config: `${policy.generation}|${this.settingsGeneration}` };
    if (previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items: report.diagnostics };
  }

  /** `diagnostics.run` is `onSave`, or the document is too large to check on every keystroke. */
  onSaveOnly(entry: OpenDocument, settings: SandboxGuardSettings): boolean {
    return (
      settings.diagnostics.run === 'onSave' || entry.doc.getText().length > this.limits.onTypeMaxFileSize
    );
  }

  /** Push mode (clients without pull diagnostics): one check per document per turn of the event loop. */
  schedulePush(uri: string): void {
    if (this.caps.pullDiagnostics || this.pendingPush.has(uri)) return;
    this.pendingPush.set(
      uri,
      setImmediate(() => {
        this.pendingPush.delete(uri);
        void this.push(uri);
      }),
    );
  }

  private async push(uri: string): Promise<void> {
    const entry = this.docs.get(uri);
    if (!entry) return;
    const version = entry.doc.version;
    try {
      const settings = await this.settingsFor(uri);
      await this.grammars.ensure(entry.doc.languageId);
      if (this.docs.get(uri) !== entry || entry.doc.version !== version) return; // a newer push is scheduled
      let diagnostics: Diagnostic[] = [];
      if (!settings.diagnostics.enable) diagnostics = [];
      else if (this.isPolicyDocument(entry)) diagnostics = this.policyDiagnostics(entry);
      else if (
        this.onSaveOnly(entry, settings) &&
        entry.doc.version !== entry.savedVersion &&
        entry.lastFull
      ) {
        return;
      } else {
        const policy = this.policyFor(entry.path, settings);
        const { report, resultId } = this.checkOpen(entry, policy);
        entry.lastFull = { resultId, config: `${policy.generation}|${this.settingsGeneration}` };
        diagnostics = report.diagnostics;
      }
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (e) {
      this.connection.console.error(`publishing diagnostics for ${uri} failed: ${String(e)}`);
    }
  }

  clearPushed(uri: string): void {
    if (this.caps.pullDiagnostics) return;
    const pending = this.pendingPush.get(uri);
    if (pending) clearImmediate(pending);
    this.pendingPush.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  /** Policy or settings changed: have every open document checked again, now. */
  refreshAll(): void {
    if (this.caps.pullDiagnostics) {
      if (this.caps.diagnosticRefresh) {
        void this.connection.languages.diagnostics.refresh().catch((e: unknown) => {
          this.connection.console.warn(`diagnostics refresh failed: ${String(e)}`);
        });
      }
      return;
    }
    for (const entry of this.docs.all()) this.schedulePush(entry.uri);
  }

  /** The open document's current check, for hover and code actions (cached per version). */
  async currentReport(
    uri: string,
  ): Promise<{ entry: OpenDocument<DocReport>; report: DocReport } | undefined> {
    const entry = this.docs.get(uri);
    if (!entry || this.isPolicyDocument(entry)) return undefined;
    const settings = await this.settingsFor(uri);
    await this.grammars.ensure(entry.doc.languageId);
    const current = this.docs.get(uri);
    if (!current) return undefined;
    const large = current.doc.getText().length > this.limits.onTypeMaxFileSize;
    // A large document with unsaved edits is not re-checked for a hover (that waits for the save).
    if (large && current.doc.version !== current.savedVersion && current.last === undefined) return undefined;
    return { entry: current, report: this.checkOpen(current, this.policyFor(current.path, settings)).report };
  }

  // ---- the run gate ---------------------------------------------------------------------------------

  /** `sandboxGuard/check`: the open document, the given text, or the file on disk. */
  async checkForGate(params: CheckParams): Promise<CheckResponse> {
    const entry = this.docs.get(params.uri);
    const path = uriToPath(params.uri);
    const settings = await this.settingsFor(params.uri);
    const policy = this.policyFor(path, settings);
    let doc: TextDocument;
    let check: DocumentCheck;
    let version: number | undefined;
    if (params.text === undefined && entry) {
      await this.grammars.ensure(entry.doc.languageId);
      const { report } = this.checkOpen(entry, policy);
      doc = entry.doc;
      check = report.check;
      version = entry.doc.version;
    } else {
      let text = params.text;
      if (text === undefined) {
        if (!path) throw new ResponseError(-32602, `cannot read ${params.uri}: not a file URI and not open`);
        try {
          text = readFileSync(path, 'utf8');
        } catch (e) {
          throw new ResponseError(
            -32602,
            `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      const languageId =
        params.languageId ??
        entry?.doc.languageId ??
        languageFromPath(path ?? params.uri, text.slice(0, 200).split('\n')[0]);
      doc = TextDocument.create(params.uri, languageId, 0, text);
      await this.grammars.ensure(languageId);
      const result = runCheck(
        { text, languageId, policy: policy.policy, parsers: this.grammars.parsers, limits: this.limits },
        (e) => this.connection.console.error(`check of ${params.uri} failed: ${String(e)}`),
      );
      result.tree?.delete();
      check = result.check;
    }
    return {
      uri: params.uri,
      version,
      language: check.language,
      findings: check.findings.map((f) => ({
        ruleId: f.ruleId,
        kind: f.kind,
        severity: severityName(f.severity),
        severityLevel: f.severity,
        message: f.message,
        description: f.description,
        range: rangeOf(doc, f.start, f.end),
        blocking: f.blocking,
        suppressed: f.suppressed,
        subject: f.subject,
        origin: { source: f.origin.source, offset: f.origin.offset, path: f.origin.path },
      })),
      blocked: check.blocked,
      blockingCount: check.blockingCount,
      incomplete: check.incomplete,
      truncated: check.truncated,
      policy: policy.info,
    };
  }
}
