import { LM_RUN_CODE_INPUT, runConfirmation } from '../../mcp/editorTools';
import { findingsOut } from '../../mcp/format';
import { decideTimeout, type TimeoutDecision } from '../../mcp/limits';
import { RUNNABLE_LANGUAGES_TEXT } from '../../mcp/tools/languages';
import { sha256Hex } from '../../sandbox/auditLog';
import { checkRunGate, type GateVerdict } from '../../sandbox/gate';
import { resolveRuntime, runtimeKey } from '../../sandbox/languages';
import { resolveLimits, type RunLimits } from '../../sandbox/limits';
import { readRunSettings, type RunSettings } from '../run/runSettings';
import { resolveTarget, ToolInputError, type ToolTarget } from './toolTarget';

/** Everything a run of sandboxGuard_runCode is decided by, fixed when the user is asked to confirm it. */
export interface RunPlan {
  target: ToolTarget;
  /** Runtime key (`python`, `shellscript`, ...). */
  runtime: string;
  image: string;
  settings: RunSettings;
  /** The limits the run gets, the timeout already decided. */
  limits: RunLimits;
  timeout: TimeoutDecision;
  gate: GateVerdict;
  /** SHA-256 of the text that was checked (and shown for confirmation). */
  sha256: string;
}

/**
 * Reads the text, the user-level run settings and the image, decides the timeout (an agent can shorten the
 * configured one, never lengthen it) and applies the policy gate. Throws ToolInputError for a call that
 * cannot run as asked, and Error for settings the user must fix.
 */
export async function planRun(input: unknown, presetDir: string): Promise<RunPlan> {
  const target = await resolveTarget(input, LM_RUN_CODE_INPUT, presetDir);
  const runtime = runtimeKey(target.language);
  if (!runtime) {
    throw new ToolInputError(
      `Language "${target.language}" cannot run in the sandbox. Runnable: ${RUNNABLE_LANGUAGES_TEXT}.`,
    );
  }
  let settings: RunSettings;
  let configured: RunLimits;
  try {
    settings = readRunSettings();
    configured = resolveLimits(settings.limits);
  } catch (e) {
    throw new Error(`Sandbox Guard cannot run code: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const image = resolveRuntime(runtime, { images: settings.images })?.image ?? '';
  const timeout = decideTimeout(target.input.timeout_seconds, configured.timeoutMs / 1000);
  const gate = await checkRunGate(target.code, target.effective.policy, { languageId: target.language });
  return {
    target,
    runtime,
    image,
    settings,
    limits: { ...configured, timeoutMs: Math.round(timeout.seconds * 1000) },
    timeout,
    gate,
    sha256: sha256Hex(target.code),
  };
}

/** The confirmation for a plan the policy allows: image, every limit, clamping, the policy, each finding. */
export function planConfirmation(plan: RunPlan): { title: string; message: string } {
  return runConfirmation({
    language: plan.runtime,
    image: plan.image,
    limits: plan.limits,
    policy: plan.target.policy,
    findings: findingsOut(plan.gate.findings, plan.target.code),
    timeoutSeconds: plan.timeout.seconds,
    timeoutClamped: plan.timeout.clamped,
    fileName: plan.target.fileName,
  });
}
