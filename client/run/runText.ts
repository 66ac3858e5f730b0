import { severityName } from '../../core/severity';
import type { RunResult } from '../../sandbox/types';

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The run terminal's last line: exit code, duration and why the run ended. */
export function footerText(r: RunResult): string {
  const why: Record<RunResult['reason'], string> = {
    exit: 'exited',
    timeout: `timed out after ${seconds(r.limits.timeoutMs)}, killed`,
    oom: 'killed: out of memory',
    'output-limit': 'killed: output limit reached, output truncated',
    stopped: 'stopped by user',
    blocked: 'refused by the policy',
    error: r.error ? `error: ${r.error.message}` : 'error',
  };
  const code = r.exitCode === null ? 'no exit code' : `exit code ${r.exitCode}`;
  return `■ ${code} · ${seconds(r.durationMs)} · ${why[r.reason]}${r.truncated && r.reason !== 'output-limit' ? ' (output truncated)' : ''}`;
}

/** One notification line for a refused run: the policy and the first blocking findings. */
export function refusalSummary(r: RunResult, policyName: string, lineOf: (offset: number) => number): string {
  if (r.gate.problem) return `Sandbox Guard refused to run this file: ${r.gate.problem}.`;
  const blocking = r.gate.blocking;
  const shown = blocking
    .slice(0, 3)
    .map((f) => `line ${lineOf(f.start) + 1}: ${f.subject} (${severityName(f.severity)}, ${f.ruleId})`)
    .join('; ');
  const more = blocking.length > 3 ? `; and ${blocking.length - 3} more` : '';
  return `Sandbox Guard refused to run this file: ${blocking.length} blocking finding${blocking.length === 1 ? '' : 's'} under policy "${policyName}": ${shown}${more}.`;
}
