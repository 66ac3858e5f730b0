// A finished runner result as the tools' structured result. Pure (types only from the runner), so the
// extension's sandboxGuard_runCode tool can report a run exactly as run_code does.
import type { GateVerdict } from '../sandbox/gate';
import type { RunResult } from '../sandbox/types';
import { findingsOut, reasonText, type PolicyRef, type RunSummary } from './format';
import type { TimeoutDecision } from './limits';
import type { RunReason } from './schemas';

export function mapReason(r: RunResult['reason']): RunReason {
  return r === 'output-limit' ? 'output_limit' : r;
}

/** One sentence; the blocking findings themselves are listed in the result. */
export function refusalMessage(gate: Pick<GateVerdict, 'blocking' | 'problem'>, policyName: string): string {
  if (gate.problem) {
    return `Not run: the policy check could not be completed (${gate.problem}), so the code counts as blocked.`;
  }
  const n = gate.blocking.length;
  return `Not run: the policy ${policyName} blocks this code (${n} blocking finding${n === 1 ? '' : 's'}); no container was created.`;
}

export interface RunContext {
  code: string;
  language: string;
  timeout: TimeoutDecision;
  policy: PolicyRef;
  /** Notes gathered before the run (clamping, libraries); the policy check's problem is added here. */
  notes: string[];
}

/** The structured result of a run, and whether it counts as a tool error (nothing ran). */
export function summarizeRun(
  outcome: { result: RunResult; stdout: string; stderr: string },
  ctx: RunContext,
): { summary: RunSummary; isError: boolean } {
  const r = outcome.result;
  const reason = mapReason(r.reason);
  const notes = [...ctx.notes];
  if (r.gate.problem) notes.push(`policy check: ${r.gate.problem}`);
  const blocked = reason === 'blocked';
  let message: string;
  if (blocked) {
    message = refusalMessage(r.gate, ctx.policy.name);
  } else if (reason === 'error') {
    message = r.error
      ? `The sandbox could not run the code: ${r.error.message} ${r.error.hint}`
      : 'The sandbox could not run the code.';
  } else {
    message = `The program ${reasonText({ reason, exit_code: r.exitCode, timeout_seconds: ctx.timeout.seconds })}.`;
    if (ctx.timeout.clamped) {
      message += ` The requested timeout of ${ctx.timeout.requested} s was clamped to the maximum of ${ctx.timeout.seconds} s.`;
    }
  }
  const summary: RunSummary = {
    exit_code: r.exitCode,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    truncated: r.truncated,
    reason,
    duration_ms: Math.max(0, Math.round(r.durationMs)),
    findings: findingsOut(blocked ? r.gate.blocking : r.gate.findings, ctx.code),
    language: ctx.language,
    image: r.image || null,
    timeout_seconds: ctx.timeout.seconds,
    timeout_clamped: ctx.timeout.clamped,
    requested_timeout_seconds: ctx.timeout.requested ?? null,
    policy: ctx.policy,
    message,
    notes,
  };
  return { summary, isError: blocked || reason === 'error' };
}
