import * as vscode from 'vscode';
import { LM_RUN_CODE_INPUT } from '../../mcp/editorTools';
import { reasonText, runSummaryText } from '../../mcp/format';
import { summarizeRun, type RunContext } from '../../mcp/runSummary';
import { appendAudit, resolveAuditPath, sha256Hex } from '../../sandbox/auditLog';
import { describeLimits } from '../../sandbox/limits';
import { summarizeFindings } from '../../sandbox/gate';
import { startRun } from '../../sandbox/runner';
import type { RunResult } from '../../sandbox/types';
import type { ActiveRun } from '../run/runController';
import type { Services } from '../services';
import { targetLabel } from './checkCodeTool';
import { CollectedRunView } from './collectedRunView';
import { PreparedRuns } from './preparedRuns';
import { planConfirmation, planRun, type RunPlan } from './runPlan';
import { resolveTarget, type LmToolInput } from './toolTarget';

export const RUN_TOOL_NAME = 'sandboxGuard_runCode';
/** Who runs, in the audit log and on the container: an agent through the editor's language-model tools. */
export const LM_ACTOR = 'vscode-lm';

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/**
 * `sandboxGuard_runCode`: an agent's code runs in the same hardened, network-less container as Run in
 * Sandbox, behind the same policy gate. prepareInvocation checks the text and asks the user to confirm
 * what will run and under which limits; invoke runs exactly that text (or refuses when it changed), never
 * with an override. Blocked code gets no confirmation and no container: invoke returns the refusal.
 */
export class RunCodeTool implements vscode.LanguageModelTool<LmToolInput> {
  private readonly prepared = new PreparedRuns<RunPlan>();

  constructor(
    private readonly s: Services,
    private readonly presetDir: string,
  ) {}

  async prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<LmToolInput>,
  ): Promise<vscode.PreparedToolInvocation> {
    const label = targetLabel(options.input);
    let plan: RunPlan;
    try {
      plan = await planRun(options.input, this.presetDir);
    } catch (e) {
      // Nothing can run; invoke reports why (it plans again and gets the same error).
      this.s.log.info(`${RUN_TOOL_NAME}: cannot run: ${e instanceof Error ? e.message : String(e)}`);
      return { invocationMessage: `Sandbox Guard cannot run ${label}` };
    }
    this.prepared.add(options.input, plan);
    if (plan.gate.blocked) {
      return { invocationMessage: `Sandbox Guard refuses to run ${label}: the policy blocks it` };
    }
    const { title, message } = planConfirmation(plan);
    return {
      invocationMessage: `Running ${label} in a Sandbox Guard container`,
      confirmationMessages: { title, message: new vscode.MarkdownString(message) },
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<LmToolInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const current = await resolveTarget(options.input, LM_RUN_CODE_INPUT, this.presetDir);
    const sha256 = sha256Hex(current.code);
    const plan = this.prepared.take(options.input, (p) => p.sha256 === sha256);
    if (!plan) {
      await planRun(options.input, this.presetDir); // throws the reason preparation failed, if it did
      throw new Error(
        `Not run: this call was not prepared for the user's confirmation (${RUN_TOOL_NAME} must be invoked through the editor's tool API); nothing ran.`,
      );
    }
    if (plan.sha256 !== sha256) {
      return textResult(
        'Not run: the code changed after it was checked and shown to the user for confirmation; nothing ran. Call the tool again to check and confirm the current text.',
      );
    }
    if (plan.gate.blocked) return textResult(await this.refuse(plan));
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    return textResult(await this.run(plan, token));
  }

  private context(plan: RunPlan): RunContext {
    const notes: string[] = [];
    if (plan.timeout.note) notes.push(plan.timeout.note);
    if (plan.target.effective.info.warning) notes.push(`policy: ${plan.target.effective.info.warning}`);
    return {
      code: plan.target.code,
      language: plan.runtime,
      timeout: plan.timeout,
      policy: plan.target.policy,
      notes,
    };
  }

  /**
   * The refusal of a plan the gate blocked when it was prepared. Not re-checked through the runner: the user
   * was never asked to confirm it, so it must not run even if a second check came out differently.
   */
  private async refuse(plan: RunPlan): Promise<string> {
    const { gate, target } = plan;
    const result: RunResult = {
      reason: 'blocked',
      exitCode: null,
      durationMs: 0,
      truncated: false,
      image: plan.image,
      limits: plan.limits,
      gate: {
        blocked: true,
        overridden: false,
        findings: gate.findings,
        blocking: gate.blocking,
        ...(gate.problem ? { problem: gate.problem } : {}),
      },
      timings: {},
    };
    const audit = resolveAuditPath(plan.settings.audit).path;
    if (audit) {
      await appendAudit(audit, {
        time: new Date().toISOString(),
        actor: LM_ACTOR,
        file: target.fileName ?? RUN_TOOL_NAME,
        sha256: plan.sha256,
        language: plan.runtime,
        image: plan.image,
        policy: target.effective.policy.name,
        policySource: target.effective.info.source,
        findings: summarizeFindings(gate.findings),
        verdict: 'refused',
        exitCode: null,
        durationMs: 0,
        reason: 'blocked',
        truncated: false,
        limits: plan.limits,
        network: 'none',
      }).catch((e: unknown) => this.s.log.warn(`audit log ${audit}: ${String(e)}`));
    }
    this.s.log.info(
      `${RUN_TOOL_NAME}: refused ${target.fileName ?? 'code'} (${gate.blocking.length} blocking)`,
    );
    const { summary } = summarizeRun({ result, stdout: '', stderr: '' }, this.context(plan));
    return runSummaryText(summary);
  }

  private async run(plan: RunPlan, token: vscode.CancellationToken): Promise<string> {
    const { target, settings } = plan;
    const view = new CollectedRunView();
    const input = target.input.stdin;
    const label = target.fileName?.split(/[\\/]/).pop() ?? `${RUN_TOOL_NAME} (${plan.runtime})`;
    this.s.log.info(
      `${RUN_TOOL_NAME}: run ${target.fileName ?? 'code'} (${plan.runtime}, policy ${target.policy.source})`,
    );
    const live: { run?: ActiveRun; containerId?: string } = {};
    const handle = startRun(
      {
        code: target.code,
        languageId: target.language,
        fileName: target.fileName ?? RUN_TOOL_NAME,
        policy: target.effective.policy,
        policySource: target.effective.info.source,
        command: settings.commands[plan.runtime],
        limits: plan.limits,
        stdin: input !== undefined,
      },
      {
        stdout: (t) => view.stdout(t),
        stderr: (t) => view.stderr(t),
        status: (ev) => {
          if (ev.kind === 'started') {
            live.containerId = ev.containerId;
            if (live.run) live.run.containerId = ev.containerId;
            view.info(`▶ ${label} in ${ev.image} — ${describeLimits(ev.limits)}`);
          } else if (ev.kind === 'warning') this.s.log.warn(`${RUN_TOOL_NAME}: ${ev.message}`);
        },
      },
      { actor: LM_ACTOR, images: settings.images, audit: settings.audit },
    );
    live.run = this.s.runs.add(label, handle, view);
    live.run.containerId ??= live.containerId;
    if (input !== undefined) {
      if (input.length > 0) handle.writeStdin(input);
      handle.endStdin();
    }
    const cancel = token.onCancellationRequested(() => void handle.stop());
    let result: RunResult;
    try {
      result = await handle.result;
    } finally {
      cancel.dispose();
    }
    const { summary } = summarizeRun(
      { result, stdout: view.stdoutText, stderr: view.stderrText },
      this.context(plan),
    );
    view.finish(reasonText(summary));
    this.s.log.info(`${RUN_TOOL_NAME}: ${label} ${reasonText(summary)} (${result.durationMs} ms)`);
    return runSummaryText(summary);
  }
}
