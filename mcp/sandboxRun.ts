// The one call from the MCP tools into the Docker runner: gate + hardened run, output collected in memory
// (already capped by the runner's output limit), cancellation wired to the MCP request's signal.
import type { ParserHost } from '../core/parsing';
import type { Policy } from '../core/policy';
import { startRun } from '../sandbox/runner';
import type { RunLimits } from '../sandbox/limits';
import type { RunResult } from '../sandbox/types';

export interface SandboxCall {
  code: string;
  languageId: string;
  stdin?: string;
  policy: Policy;
  policySource: string;
  limits: RunLimits;
  images: Record<string, string>;
  /** `mcp:<client name>` for the audit log and the container label. */
  actor: string;
  auditLog?: string;
  parsers?: ParserHost;
  /** Shown in the audit log's `file` field. */
  fileName: string;
  signal?: AbortSignal;
  /** Progress for the caller (image pulls can take minutes). */
  progress?: (message: string) => void;
}

export interface SandboxOutcome {
  result: RunResult;
  stdout: string;
  stderr: string;
}

// The runner keeps plain colour (meant for a terminal); an agent reads text, so colour codes are noise.
const SGR = /\x1b\[[0-9;:]*m/g;

export async function runInSandbox(call: SandboxCall): Promise<SandboxOutcome> {
  const out: string[] = [];
  const err: string[] = [];
  let lastPullReport = 0;
  const handle = startRun(
    {
      code: call.code,
      languageId: call.languageId,
      fileName: call.fileName,
      policy: call.policy,
      policySource: call.policySource,
      limits: call.limits,
      stdin: call.stdin !== undefined,
    },
    {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      status: (e) => {
        if (e.kind === 'pulling') {
          const now = Date.now();
          if (now - lastPullReport < 1000) return;
          lastPullReport = now;
          const pct = e.total ? ` ${Math.floor(((e.current ?? 0) / e.total) * 100)}%` : '';
          call.progress?.(`pulling image ${e.image}:${pct} ${e.text}`);
        } else if (e.kind === 'warning') {
          call.progress?.(e.message);
        }
      },
    },
    {
      images: call.images,
      actor: call.actor,
      audit: call.auditLog ? { path: call.auditLog } : undefined,
      parsers: call.parsers,
      pull: 'missing',
    },
  );
  if (call.stdin !== undefined) {
    if (call.stdin.length > 0) handle.writeStdin(call.stdin);
    handle.endStdin();
  }
  const onAbort = () => void handle.stop();
  if (call.signal?.aborted) onAbort();
  else call.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await handle.result;
    return { result, stdout: out.join('').replace(SGR, ''), stderr: err.join('').replace(SGR, '') };
  } finally {
    call.signal?.removeEventListener('abort', onAbort);
  }
}
