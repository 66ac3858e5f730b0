import * as vscode from 'vscode';
import type { RunHandle, RunResult } from '../../sandbox/types';
import type { RunView } from './runView';

export interface ActiveRun {
  id: number;
  label: string;
  handle: RunHandle;
  view: RunView;
  terminal?: vscode.Terminal;
  /** Set when the container has started. */
  containerId?: string;
}

/**
 * The runs in progress. Keeps the `sandboxGuard.running` context key (Stop Run button and keybinding) in
 * step, and stops every run when the extension deactivates.
 */
export class RunController implements vscode.Disposable {
  private readonly active = new Map<number, ActiveRun>();
  private nextId = 1;
  private readonly finishedEmitter = new vscode.EventEmitter<{ run: ActiveRun; result: RunResult }>();
  /** Fires after each run ended and its container is gone. */
  readonly onDidFinish = this.finishedEmitter.event;
  /** The most recent runs (finished or not), newest last; for tests and the "last run" view. */
  readonly recent: ActiveRun[] = [];
  private channel: vscode.OutputChannel | undefined;

  /** The output channel runs use where no terminal may be opened (Restricted Mode). */
  outputChannel(): vscode.OutputChannel {
    this.channel ??= vscode.window.createOutputChannel('Sandbox Guard: Run');
    return this.channel;
  }

  add(label: string, handle: RunHandle, view: RunView): ActiveRun {
    const run: ActiveRun = { id: this.nextId++, label, handle, view };
    this.active.set(run.id, run);
    this.recent.push(run);
    if (this.recent.length > 10) this.recent.shift();
    void this.updateContext();
    void handle.result.then((result) => {
      this.active.delete(run.id);
      void this.updateContext();
      this.finishedEmitter.fire({ run, result });
    });
    return run;
  }

  get running(): ActiveRun[] {
    return [...this.active.values()];
  }

  /** The run to stop: the one whose terminal is focused, else the newest. */
  current(): ActiveRun | undefined {
    const focused = vscode.window.activeTerminal;
    const runs = this.running;
    return runs.find((r) => r.terminal !== undefined && r.terminal === focused) ?? runs[runs.length - 1];
  }

  /** Closes the terminals of finished runs of the same file, so re-running does not pile up panels. */
  disposeFinishedTerminals(label: string): void {
    for (const r of this.recent) {
      if (r.label === label && r.terminal && !this.active.has(r.id)) {
        r.terminal.dispose();
        r.terminal = undefined;
      }
    }
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'sandboxGuard.running', this.active.size > 0);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running.map((r) => r.handle.stop()));
  }

  dispose(): void {
    void this.stopAll();
    this.channel?.dispose();
    this.finishedEmitter.dispose();
  }
}
