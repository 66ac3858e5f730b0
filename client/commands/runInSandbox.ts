import * as vscode from 'vscode';
import { describeLimits } from '../../sandbox/limits';
import { resolveRuntime, RUNNABLE_LANGUAGES, runtimeKey } from '../../sandbox/languages';
import { startRun } from '../../sandbox/runner';
import type { RunHandle, RunResult, RunSink } from '../../sandbox/types';
import { effectivePolicyFor } from '../run/effectivePolicy';
import type { ActiveRun } from '../run/runController';
import { createRunDisplay } from '../run/runDisplay';
import { readRunSettings } from '../run/runSettings';
import { footerText, refusalSummary } from '../run/runText';
import type { Services } from '../services';
import { targetDocument } from './targetDocument';

export interface RunOptions {
  /** Run even though the policy blocks: honoured only when the user-level allowOverride setting is on. */
  force?: boolean;
}

const DOCKER_UNREACHABLE = new Set([
  'docker-not-installed',
  'daemon-not-running',
  'permission-denied',
  'remote-unreachable',
]);

/**
 * Runs the editor's current text (saved or not) in a throw-away hardened container, gated by the same
 * policy as the diagnostics, with the output in a terminal panel. Resolves when the run has ended and its
 * container is gone (undefined if nothing was started); a refusal resolves with reason `blocked`.
 */
export async function runInSandbox(
  s: Services,
  uri?: unknown,
  options: RunOptions = {},
): Promise<RunResult | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showWarningMessage('Sandbox Guard: open a file to run it in the sandbox.');
    return undefined;
  }
  if (!resolveRuntime(doc.languageId)) {
    void vscode.window.showErrorMessage(
      `Sandbox Guard cannot run ${doc.languageId} files. It runs: ${RUNNABLE_LANGUAGES.join(', ')}.`,
    );
    return undefined;
  }
  let settings;
  try {
    settings = readRunSettings();
  } catch (e) {
    void vscode.window.showErrorMessage(`Sandbox Guard: ${e instanceof Error ? e.message : String(e)}.`);
    return undefined;
  }
  const force = options.force === true && settings.allowOverride;
  const effective = effectivePolicyFor(doc, vscode.Uri.joinPath(s.context.extensionUri, 'policies').fsPath);
  const name = doc.uri.path.split('/').pop() || 'untitled';

  // The display exists before the run starts (it is the sink), so it reaches the run through this.
  const live: { handle?: RunHandle; run?: ActiveRun } = {};
  const display = createRunDisplay(s.runs, name, settings.forwardInput, {
    onInput: (text) => live.handle?.writeStdin(text),
    onEndOfInput: () => live.handle?.endStdin(),
    onInterrupt: () => void live.handle?.stop(),
    onClose: () => void live.handle?.stop(),
  });
  const { view } = display;
  let shown = false;
  const show = (): void => {
    shown = true;
    display.show();
    if (live.run) live.run.terminal = display.terminal();
  };
  let lastPull = '';
  const sink: RunSink = {
    stdout: (text) => {
      show();
      view.stdout(text);
    },
    stderr: (text) => {
      show();
      view.stderr(text);
    },
    status: (ev) => {
      if (ev.kind === 'pulling') {
        show();
        const pct = ev.total ? ` ${Math.floor(((ev.current ?? 0) / ev.total) * 10) * 10}%` : '';
        const line = `Pulling ${ev.image}: ${ev.text}${pct}`;
        if (line !== lastPull) view.info(line);
        lastPull = line;
      } else if (ev.kind === 'started') {
        if (live.run) live.run.containerId = ev.containerId;
        show();
        view.info(`▶ ${name} in ${ev.image} — ${describeLimits(ev.limits)}`);
        if (force)
          view.info('⚠ Run anyway: the policy blocks this code; the override is recorded in the audit log.');
      } else if (ev.kind === 'warning') {
        show();
        view.info(`⚠ ${ev.message}`);
        s.log.warn(ev.message);
      }
    },
  };
  s.log.info(
    `run ${doc.uri.toString()} (${doc.languageId}, policy ${effective.info.source}${force ? ', forced' : ''})`,
  );
  const handle = startRun(
    {
      code: doc.getText(),
      languageId: doc.languageId,
      fileName: doc.uri.scheme === 'file' ? doc.uri.fsPath : name,
      policy: effective.policy,
      policySource: effective.info.source,
      force,
      command: settings.commands[runtimeKey(doc.languageId) ?? ''],
      limits: settings.limits,
      stdin: display.interactive,
    },
    sink,
    { actor: 'vscode', images: settings.images, audit: settings.audit },
  );
  live.handle = handle;
  live.run = s.runs.add(name, handle, view);
  live.run.terminal = display.terminal();
  const result = await handle.result;
  s.log.info(`run of ${name} ended: ${result.reason}, exit code ${result.exitCode}, ${result.durationMs} ms`);

  if (result.reason === 'blocked') {
    const summary = refusalSummary(result, effective.info.name, (o) => doc.positionAt(o).line);
    s.log.warn(result.refusal ?? summary);
    const buttons = settings.allowOverride ? ['Show Problems', 'Run anyway'] : ['Show Problems'];
    // Not awaited: the command resolves with the result while the notification stays up.
    void vscode.window.showErrorMessage(summary, ...buttons).then((choice) => {
      if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      else if (choice === 'Run anyway') {
        void vscode.commands.executeCommand('sandboxGuard.runInSandbox', doc.uri, { force: true });
      }
    });
    return result;
  }
  if (result.reason === 'error' && result.error) {
    const { message, hint, code } = result.error;
    if (DOCKER_UNREACHABLE.has(code)) s.status.setDocker({ reachable: false, why: message });
    if (shown) view.finish(`✖ ${message} ${hint}`, false);
    void vscode.window
      .showErrorMessage(`Sandbox Guard: ${message} ${hint}`, 'Show Output')
      .then((c) => c && s.log.show());
    return result;
  }
  s.status.setDocker({ reachable: true });
  show();
  view.finish(footerText(result), result.reason === 'exit' && result.exitCode === 0);
  return result;
}
