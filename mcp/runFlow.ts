// run_code and execute_code: language check, timeout clamp, policy gate (blocked code never waits for a
// slot and never gets a container), library checks, a bounded run slot, then the hardened run.
import type { Policy } from '../core/policy';
import { Severity } from '../core/severity';
import { sha256Hex } from '../sandbox/auditLog';
import { checkRunGate, summarizeFindings } from '../sandbox/gate';
import { resolveRuntime, runtimeKey } from '../sandbox/languages';
import { SlotRefused } from './concurrency';
import { policyRef, type CallContext, type ServerContext } from './context';
import { findingsOut, reasonText, type RunSummary } from './format';
import {
  parseLibraries,
  parseProbeOutput,
  probeLanguage,
  probeProgram,
  type ProbeLanguage,
} from './libraryProbe';
import { decideTimeout, type TimeoutDecision } from './limits';
import { mapReason, refusalMessage, summarizeRun } from './runSummary';
import { runInSandbox, type SandboxCall } from './sandboxRun';
import type { RunReason } from './schemas';
import { RUNNABLE_LANGUAGES_TEXT } from './tools/languages';

export interface RunParams {
  tool: 'run_code' | 'execute_code';
  code: string;
  language: string;
  stdin?: string;
  timeoutSeconds?: number;
  libraries?: string[];
}

export interface RunFlowResult {
  summary: RunSummary;
  /** Nothing ran because of a refusal or a sandbox failure (a program's own failure is not an error). */
  isError: boolean;
}

const PROBE_TIMEOUT_SECONDS = 20;

export async function runFlow(
  p: RunParams,
  server: ServerContext,
  call: CallContext,
): Promise<RunFlowResult> {
  const started = Date.now();
  const notes: string[] = [];
  const timeout = decideTimeout(p.timeoutSeconds, server.options.limits.timeoutMs / 1000);
  if (timeout.note) notes.push(timeout.note);
  const notRun = (
    reason: RunReason,
    message: string,
    image: string | null,
    findings: RunSummary['findings'] = [],
  ): RunFlowResult => ({
    isError: true,
    summary: {
      exit_code: null,
      stdout: '',
      stderr: '',
      truncated: false,
      reason,
      duration_ms: Date.now() - started,
      findings,
      language: p.language,
      image,
      timeout_seconds: timeout.seconds,
      timeout_clamped: timeout.clamped,
      requested_timeout_seconds: timeout.requested ?? null,
      policy: policyRef(server),
      message,
      notes,
    },
  });
  const audit = (verdict: 'invalid' | 'refused', reason: string) =>
    server.audit.record({
      actor: call.actor,
      tool: p.tool,
      verdict,
      reason,
      code: p.code,
      language: p.language,
      policy: server.policy.name,
      policySource: server.policySource,
      durationMs: Date.now() - started,
    });

  const key = runtimeKey(p.language);
  const runtime = key ? resolveRuntime(key, { images: server.options.images }) : undefined;
  if (!key || !runtime) {
    await audit('invalid', 'unsupported-language');
    return notRun(
      'error',
      `Language "${p.language}" cannot run in the sandbox. Runnable: ${RUNNABLE_LANGUAGES_TEXT}.`,
      null,
    );
  }
  const image = runtime.image;

  // Grammars that fail to load leave the gate to fail closed, with its own message.
  const parsers = await server.parsers(p.language).catch(() => undefined);
  const gate = await checkRunGate(p.code, server.policy, { languageId: p.language, parsers });
  if (gate.blocked) {
    // Refused here, before any slot or Docker call: blocked code never waits and never gets a container.
    await server.audit.recordRun({
      time: new Date().toISOString(),
      actor: call.actor,
      file: p.tool,
      sha256: sha256Hex(p.code),
      language: key,
      image,
      policy: server.policy.name,
      policySource: server.policySource,
      findings: summarizeFindings(gate.findings),
      verdict: 'refused',
      exitCode: null,
      durationMs: Date.now() - started,
      reason: 'blocked',
      truncated: false,
      limits: { ...server.options.limits, timeoutMs: Math.round(timeout.seconds * 1000) },
    });
    if (gate.problem) notes.push(`policy check: ${gate.problem}`);
    return notRun(
      'blocked',
      refusalMessage(gate, server.policy.name),
      image,
      findingsOut(gate.blocking, p.code),
    );
  }

  const libraries = p.libraries ?? [];
  const probeLang = probeLanguage(key);
  let names: string[] = [];
  if (libraries.length > 0) {
    const staticRefusal = libraryNames(libraries, key, probeLang, image);
    if (typeof staticRefusal === 'string') {
      await audit('refused', 'libraries-unavailable');
      return notRun('unavailable', staticRefusal, image, findingsOut(gate.findings, p.code));
    }
    names = staticRefusal;
  }

  const run = (
    code: string,
    policy: Policy,
    languageId: string,
    seconds: number,
    fileName: string,
    stdin?: string,
  ): SandboxCall => ({
    code,
    languageId,
    stdin,
    policy,
    policySource: policy === server.policy ? server.policySource : `mcp:${fileName}`,
    limits: { ...server.options.limits, timeoutMs: Math.round(seconds * 1000) },
    images: server.options.images,
    actor: call.actor,
    auditLog: server.options.auditLog,
    parsers,
    fileName,
    signal: call.signal,
    progress: call.progress,
  });

  let release: (() => void) | undefined;
  try {
    try {
      release = await server.slots.acquire(call.signal, (position) =>
        call.progress(`waiting for a free sandbox slot (${position} in queue, ${server.slots.max} running)`),
      );
    } catch (e) {
      if (e instanceof SlotRefused) {
        await audit('refused', 'busy');
        return notRun('busy', `Not run: ${e.message}.`, image, findingsOut(gate.findings, p.code));
      }
      await audit('refused', 'cancelled');
      return notRun('stopped', 'Not run: the request was cancelled while waiting for a sandbox slot.', image);
    }

    if (names.length > 0 && probeLang) {
      const refusal = await probeLibraries(names, key, probeLang, image, server.policy, timeout, call, run);
      if (refusal) {
        await audit('refused', 'libraries-unavailable');
        return notRun('unavailable', refusal, image, findingsOut(gate.findings, p.code));
      }
      notes.push(
        `libraries ${libraries.join(', ')}: provided by the image ${image} (versions are not checked)`,
      );
    }

    call.progress(`running in ${image}`);
    const outcome = await runInSandbox(
      run(p.code, server.policy, p.language, timeout.seconds, p.tool, p.stdin),
    );
    return summarizeRun(outcome, {
      code: p.code,
      language: p.language,
      timeout,
      policy: policyRef(server),
      notes,
    });
  } finally {
    release?.();
  }
}

function installHint(key: string): string {
  return `Configure an image that already contains them (sandbox-guard mcp --image ${key}=IMAGE) or run the code without them.`;
}

/** The package names to probe for, or the refusal when they cannot be checked at all. */
function libraryNames(
  libraries: string[],
  key: string,
  probeLang: ProbeLanguage | undefined,
  image: string,
): string[] | string {
  if (!probeLang) {
    return `Not run: libraries cannot be installed (the sandbox has no network), and for ${key} this server cannot check whether the image ${image} provides ${libraries.join(', ')}. ${installHint(key)}`;
  }
  const { ok, bad } = parseLibraries(libraries, probeLang);
  if (bad.length > 0) {
    return `Not run: not a package name${bad.length === 1 ? '' : 's'}: ${bad.map((b) => JSON.stringify(b)).join(', ')}. Give plain names such as "numpy" or "numpy>=1.26" (python) or "lodash" or "lodash@4" (javascript).`;
  }
  return [...new Set(ok.map((l) => l.name))];
}

/** Undefined when the image provides every library; otherwise the refusal message. */
async function probeLibraries(
  names: string[],
  key: string,
  probeLang: ProbeLanguage,
  image: string,
  policy: Policy,
  timeout: TimeoutDecision,
  call: CallContext,
  run: (code: string, policy: Policy, languageId: string, seconds: number, fileName: string) => SandboxCall,
): Promise<string | undefined> {
  // The probe is our own program, built from names that passed a strict pattern. The caller's policy is for
  // the caller's code and would flag the probe's own imports (os, importlib); every runtime limit still applies.
  const probePolicy: Policy = {
    ...policy,
    name: 'library-probe',
    severityThreshold: Severity.SAFE,
    patterns: [],
    restrictedModules: [],
    restrictedCalls: [],
  };
  const seconds = Math.min(timeout.seconds, PROBE_TIMEOUT_SECONDS);
  call.progress(`checking that ${image} provides ${names.join(', ')}`);
  const outcome = await runInSandbox(
    run(probeProgram(probeLang, names), probePolicy, key, seconds, 'library-probe'),
  );
  const r = outcome.result;
  if (r.reason !== 'exit' || r.exitCode !== 0) {
    const why = r.error
      ? `${r.error.message} ${r.error.hint}`
      : `the probe ${reasonText({ reason: mapReason(r.reason), exit_code: r.exitCode, timeout_seconds: seconds })}`;
    return `Not run: could not check whether the image ${image} provides ${names.join(', ')}: ${why}`;
  }
  const { missing } = parseProbeOutput(outcome.stdout, names);
  if (missing.length > 0) {
    return `Not run: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed in the image ${image}, and libraries cannot be installed because the sandbox has no network. ${installHint(key)}`;
  }
  return undefined;
}
