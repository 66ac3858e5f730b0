import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  State,
  type ErrorHandler,
  type LanguageClient,
} from 'vscode-languageclient/node';
import {
  CHECK_REQUEST,
  STATUS_NOTIFICATION,
  type CheckParams,
  type CheckResponse,
  type StatusParams,
} from '../server/protocol';
import { createLanguageClient, type ClientParts } from './languageClient';

/** More crashes than this within CRASH_WINDOW_MS and the server stays down until the user restarts it. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60_000;

/**
 * Owns the language client's lifecycle. Every restart (after a crash, by command, after a trust or
 * policy-file setting change) goes through one queue: at most one restart runs, and requests that arrive
 * meanwhile collapse into a single follow-up restart, so bursts never race each other.
 */
export class ServerManager implements vscode.Disposable {
  private parts: ClientParts;
  private inFlight: Promise<void> | undefined;
  private again = false;
  /** A queued restart must build a new client (the document selector changed). */
  private recreateNext = false;
  private crashes: number[] = [];
  private disposed = false;
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  private readonly stateEmitter = new vscode.EventEmitter<State>();
  /** The server's verdict after each check of an open document. */
  readonly onStatus = this.statusEmitter.event;
  readonly onState = this.stateEmitter.event;
  /** How many times the server was (re)started, for the status item and tests. */
  starts = 0;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly extraPolicyFiles: () => string[],
  ) {
    this.parts = this.create();
  }

  get client(): LanguageClient {
    return this.parts.client;
  }

  get serverPid(): number | undefined {
    return this.parts.serverProcess()?.pid;
  }

  get running(): boolean {
    return this.parts.client.state === State.Running;
  }

  private create(): ClientParts {
    const errorHandler: ErrorHandler = {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        // The library must not restart on its own: the restart goes through our queue, once the library
        // has marked the client stopped (it does so right after this handler returns).
        if (!this.disposed) setTimeout(() => void this.onCrash(), 0);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
    const parts = createLanguageClient(this.serverModule, this.log, errorHandler, this.extraPolicyFiles());
    parts.client.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => this.statusEmitter.fire(p));
    parts.client.onDidChangeState((e) => this.stateEmitter.fire(e.newState));
    return parts;
  }

  async start(): Promise<void> {
    this.starts++;
    await this.parts.client.start();
  }

  /** Queue a restart; resolves once a restart that began after this call has finished. */
  restart(reason: string, recreate = false): Promise<void> {
    this.log.info(`restart requested: ${reason}`);
    this.recreateNext ||= recreate;
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.again = false;
          await this.restartOnce();
        } while (this.again && !this.disposed);
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private async restartOnce(): Promise<void> {
    const recreate = this.recreateNext;
    this.recreateNext = false;
    const old = this.parts.client;
    if (old.state === State.Running)
      await old.stop(3000).catch((e) => this.log.warn(`stopping the server: ${e}`));
    if (this.disposed) return;
    if (recreate) {
      // A new document selector (another policy file name) needs a new client.
      await old.dispose().catch(() => undefined);
      this.parts = this.create();
    }
    try {
      await this.start();
    } catch (e) {
      this.log.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async onCrash(): Promise<void> {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length > MAX_CRASHES) {
      this.log.error(`the language server crashed ${this.crashes.length} times in 3 minutes; not restarting`);
      const choice = await vscode.window.showErrorMessage(
        'Sandbox Guard: the language server keeps crashing and was not restarted. Diagnostics are off.',
        'Restart Server',
        'Show Output',
      );
      if (choice === 'Restart Server') {
        this.crashes = [];
        await this.restart('user after repeated crashes');
      } else if (choice === 'Show Output') this.log.show();
      return;
    }
    this.log.warn('the language server stopped unexpectedly; restarting it');
    await this.restart('crash');
  }

  /** Makes the server re-pull settings (it cannot see trust changes or our derived values otherwise). */
  async settingsChanged(): Promise<void> {
    if (!this.running) return;
    await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** The run gate's question: what does the policy say about this text? */
  async check(params: CheckParams, token?: vscode.CancellationToken): Promise<CheckResponse> {
    if (!this.running) await (this.inFlight ?? this.start());
    return this.client.sendRequest<CheckResponse>(CHECK_REQUEST, params, token);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.statusEmitter.dispose();
    this.stateEmitter.dispose();
    await this.parts.client.dispose().catch(() => undefined);
  }
}
