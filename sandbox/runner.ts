// Run in Sandbox: the one entry point the extension, the CLI and the MCP server use.
//
//   const handle = startRun(request, sink, options);
//   handle.writeStdin('...'); handle.endStdin();   // only with request.stdin
//   await handle.stop();                            // Ctrl+C, closing the terminal
//   const result = await handle.result;             // never rejects
//
// A run: resolve language/image/limits → policy gate (refuse with the blocking findings unless forced) →
// open the audit log → stage the code (read-only) → a fresh hardened container (hardening.ts) → stream
// output to the sink (byte-capped, decoded, sanitised) → kill on timeout / output limit / stop → report
// (`finished`) → remove the container and the staged files → append one audit line → resolve `result`.
// Shapes: types.ts (RunRequest, RunSink, RunStatus, RunResult, RunHandle, RunnerOptions).
import { performance } from 'node:perf_hooks';
import { AUDIT_ENV, AuditWriter, resolveAuditPath, sha256Hex, type AuditEntry } from './auditLog';
import { codeTarball, stageCodeDir, type StagedCode } from './codeDelivery';
import { ContainerRun } from './containerRun';
import { connectDocker } from './dockerClient';
import { SandboxError } from './errors';
import { checkRunGate, describeRefusal, summarizeFindings, type GateVerdict } from './gate';
import { CODE_DIR, hardenedCreateOptions, LABELS } from './hardening';
import {
  containerFileName,
  expandCommand,
  resolveRuntime,
  runtimeKey,
  type LanguageRuntime,
} from './languages';
import { DEFAULT_LIMITS, resolveLimits, type RunLimits } from './limits';
import type {
  GateSummary,
  RunHandle,
  RunnerOptions,
  RunRequest,
  RunResult,
  RunSink,
  RunStatus,
} from './types';
import { sweepSoon } from './sweep';

export type * from './types';
// One import point for callers (extension, CLI, MCP server).
export { SandboxError, type SandboxErrorCode, type SandboxErrorInfo } from './errors';
export { connectDocker, type DockerConnection } from './dockerClient';
export { sweepExpired } from './sweep';
export { DEFAULT_LIMITS, describeLimits, formatBytes, parseByteSize, type RunLimits } from './limits';
export { LANGUAGES, RUNNABLE_LANGUAGES, runtimeKey } from './languages';

/** Container deadline label = start of create + timeout + this; the sweep removes it after that. */
const CONTAINER_GRACE_MS = 2 * 60_000;
/** Staging dirs outlive pulls and runs by far; they are tiny. */
const STAGING_GRACE_MS = 6 * 3600_000;

/** What a run has established so far; filled in step by step so every exit path can report and clean up. */
interface RunContext {
  image: string;
  limits: RunLimits;
  gate: GateSummary;
  staged?: StagedCode;
  audit?: AuditWriter;
}

const NO_GATE: GateSummary = { blocked: false, overridden: false, findings: [], blocking: [] };

function gateSummary(v: GateVerdict): GateSummary {
  return {
    blocked: v.blocked,
    overridden: v.overridden,
    findings: v.findings,
    blocking: v.blocking,
    ...(v.problem ? { problem: v.problem } : {}),
  };
}

export function startRun(request: RunRequest, sink: RunSink, options: RunnerOptions = {}): RunHandle {
  const t0 = performance.now();
  let container: ContainerRun | undefined;
  let stopRequested = false;
  const stdinQueue: (string | Buffer | null)[] = [];

  const status = (event: RunStatus) => {
    try {
      sink.status?.(event);
    } catch {
      // A failing display never breaks the run.
    }
  };

  const result = execute();

  async function execute(): Promise<RunResult> {
    const timings: Record<string, number> = {};
    const ctx: RunContext = { image: request.image ?? '', limits: { ...DEFAULT_LIMITS }, gate: NO_GATE };
    const finish = (
      r: Omit<RunResult, 'durationMs' | 'image' | 'limits' | 'gate' | 'timings'>,
    ): RunResult => ({
      ...r,
      durationMs: Math.round(performance.now() - t0),
      image: ctx.image,
      limits: ctx.limits,
      gate: ctx.gate,
      timings: {},
    });
    let res: RunResult;
    try {
      res = await gateThenRun(ctx, timings, finish);
    } catch (e) {
      const err =
        e instanceof SandboxError
          ? e
          : new SandboxError(
              'docker-error',
              `Unexpected failure: ${(e as Error)?.message ?? String(e)}`,
              'Report this with the message.',
            );
      res = finish({ reason: 'error', exitCode: null, truncated: false, error: err.toJSON() });
    }
    status({ kind: 'finished', result: res });
    try {
      await container?.remove();
      await ctx.staged?.cleanup().catch(() => {});
    } finally {
      // Whatever cleanup did, the audit line is written and its file handle closed.
      res.timings = { ...timings, ...(container?.timings ?? {}) };
      await writeAudit(ctx.audit, res);
    }
    return res;
  }

  /** Everything up to the outcome; cleanup and the audit line are the caller's, on every path. */
  async function gateThenRun(
    ctx: RunContext,
    timings: Record<string, number>,
    finish: (r: Omit<RunResult, 'durationMs' | 'image' | 'limits' | 'gate' | 'timings'>) => RunResult,
  ): Promise<RunResult> {
    let runtime: LanguageRuntime | undefined = resolveRuntime(request.languageId, { images: options.images });
    if (!runtime && request.image && request.command) {
      runtime = { image: request.image, command: request.command, extension: '' };
    }
    if (!runtime) {
      throw new SandboxError(
        'unsupported-language',
        `No sandbox runtime for language "${request.languageId}".`,
        'Choose a supported language (python, javascript, typescript, shellscript, go, java, c, cpp, ruby), or give both an image and a command.',
      );
    }
    ctx.image = request.image ?? runtime.image;
    try {
      ctx.limits = resolveLimits(request.limits);
    } catch (e) {
      throw new SandboxError(
        'invalid-request',
        (e as Error).message,
        'Fix the limit in the settings or the command line.',
      );
    }
    const limits = ctx.limits;

    const verdict = await checkRunGate(request.code, request.policy, {
      languageId: request.languageId,
      force: request.force,
      parsers: options.parsers,
    });
    ctx.gate = gateSummary(verdict);
    timings.gated = Math.round(performance.now() - t0);

    // Overrides are always recorded, so the log must be writable before one may run.
    const auditPaths = resolveAuditPath(options.audit);
    const auditPath = verdict.overridden ? auditPaths.always : auditPaths.path;
    if (auditPath) {
      try {
        ctx.audit = await AuditWriter.open(auditPath);
      } catch (e) {
        if (verdict.overridden) {
          throw new SandboxError(
            'audit-unavailable',
            `The override was refused because it cannot be recorded in the audit log ${auditPath}: ${(e as Error).message}`,
            `Make ${auditPath} writable (or point ${AUDIT_ENV} at a writable file), then run again.`,
          );
        }
        status({
          kind: 'warning',
          message: `Audit log ${auditPath} is not writable: ${(e as Error).message}`,
        });
      }
    }
    if (!verdict.allowed) {
      return finish({
        reason: 'blocked',
        exitCode: null,
        truncated: false,
        refusal: describeRefusal(verdict, request.code, request.fileName),
      });
    }
    if (stopRequested) return finish({ reason: 'stopped', exitCode: null, truncated: false });

    const conn = options.connection ?? connectDocker();
    if (options.sweep !== false) sweepSoon(conn);
    const fileName = containerFileName(runtime, request.fileName);
    const argv = expandCommand(request.command ?? runtime.command, `${CODE_DIR}/${fileName}`);
    const delivery =
      options.delivery && options.delivery !== 'auto'
        ? options.delivery
        : conn.endpoint.local
          ? 'bind'
          : 'archive';
    const runId = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    if (delivery === 'bind') {
      ctx.staged = await stageCodeDir(
        fileName,
        request.code,
        Date.now() + limits.timeoutMs + STAGING_GRACE_MS,
      );
    }
    let body;
    try {
      body = hardenedCreateOptions({
        image: ctx.image,
        argv,
        limits,
        code: ctx.staged ? { kind: 'bind', hostDir: ctx.staged.dir } : { kind: 'volume' },
        env: runtime.env,
        user: options.user,
        stdin: request.stdin === true,
        tmpExec: runtime.tmpExec,
        runtime: options.runtime,
        network: options.network,
        labels: {
          [LABELS.run]: runId,
          [LABELS.deadline]: String(Date.now() + limits.timeoutMs + CONTAINER_GRACE_MS),
          [LABELS.client]: options.actor ?? 'api',
        },
      });
    } catch (e) {
      throw new SandboxError('invalid-request', (e as Error).message, 'Fix the sandbox settings.');
    }
    timings.prepared = Math.round(performance.now() - t0);
    container = new ContainerRun({
      conn,
      body,
      archive: delivery === 'archive' ? codeTarball(fileName, request.code) : undefined,
      limits,
      pull: options.pull ?? 'missing',
      output: sink,
      status,
      clock: () => performance.now() - t0,
      containerGrace: CONTAINER_GRACE_MS,
    });
    for (const d of stdinQueue.splice(0)) {
      if (d === null) container.endStdin();
      else container.writeStdin(d);
    }
    if (stopRequested) container.kill('stopped');
    const outcome = await container.run();
    return finish({
      reason: outcome.reason,
      exitCode: outcome.exitCode,
      truncated: outcome.truncated,
      ...(outcome.error ? { error: outcome.error.toJSON() } : {}),
    });
  }

  async function writeAudit(audit: AuditWriter | undefined, res: RunResult): Promise<void> {
    if (!audit) return;
    const entry: AuditEntry = {
      time: new Date().toISOString(),
      actor: options.actor ?? 'api',
      ...(request.fileName ? { file: request.fileName } : {}),
      sha256: sha256Hex(request.code),
      language: runtimeKey(request.languageId) ?? request.languageId,
      image: res.image,
      policy: request.policy.name,
      ...(request.policySource ? { policySource: request.policySource } : {}),
      findings: summarizeFindings(res.gate.findings),
      verdict:
        res.reason === 'blocked'
          ? 'refused'
          : res.reason === 'error'
            ? 'error'
            : res.gate.overridden
              ? 'overridden'
              : 'ran',
      exitCode: res.exitCode,
      durationMs: res.durationMs,
      reason: res.reason,
      truncated: res.truncated,
      limits: res.limits,
      network: options.network ?? 'none',
      ...(res.error ? { error: `${res.error.code}: ${res.error.message}` } : {}),
    };
    try {
      await audit.append(entry);
    } catch (e) {
      status({
        kind: 'warning',
        message: `Could not write the audit log ${audit.path}: ${(e as Error).message}`,
      });
    } finally {
      await audit.close().catch(() => {});
    }
  }

  return {
    result,
    async stop() {
      stopRequested = true;
      container?.kill('stopped');
      await result;
    },
    writeStdin(data) {
      if (!request.stdin) return;
      if (container) container.writeStdin(data);
      else stdinQueue.push(data);
    },
    endStdin() {
      if (!request.stdin) return;
      if (container) container.endStdin();
      else stdinQueue.push(null);
    },
  };
}
