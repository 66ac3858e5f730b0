// Turns engine findings and run outcomes into the tools' structured results and their text summaries.
// No Node or vscode imports: the extension's language-model tools format their results with the same code.
import type { Finding } from '../core/findings';
import { LineIndex } from '../core/lineIndex';
import { severityName, type SeverityName } from '../core/severity';
import type { RunReason } from './schemas';

export interface FindingOut {
  rule: string;
  kind: Finding['kind'];
  severity: SeverityName;
  severity_level: number;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
  blocking: boolean;
  suppressed: boolean;
}

export interface PolicyRef {
  name: string;
  source: string;
  threshold: SeverityName;
}

/** Findings with 1-based line/column positions in `code`. */
export function findingsOut(findings: readonly Finding[], code: string): FindingOut[] {
  const index = new LineIndex(code);
  return findings.map((f) => {
    const s = index.position(f.start);
    const e = index.position(f.end);
    return {
      rule: f.ruleId,
      kind: f.kind,
      severity: severityName(f.severity),
      severity_level: f.severity,
      line: s.line + 1,
      column: s.character + 1,
      end_line: e.line + 1,
      end_column: e.character + 1,
      message: f.message,
      blocking: f.blocking,
      suppressed: f.suppressed,
    };
  });
}

/** `3:1 HIGH [call:os.system] BLOCKS: message` */
export function findingLine(f: FindingOut): string {
  const mark = f.blocking ? 'BLOCKS' : f.suppressed ? 'suppressed' : 'reported';
  return `${f.line}:${f.column} ${f.severity} [${f.rule}] ${mark}: ${f.message}`;
}

export interface CheckSummary {
  verdict: 'allowed' | 'blocked';
  language: string;
  policy: PolicyRef;
  findings: FindingOut[];
  truncated: boolean;
  timed_out: boolean;
  notes: string[];
}

export function checkSummaryText(r: CheckSummary): string {
  const n = r.findings.length;
  const blocking = r.findings.filter((f) => f.blocking).length;
  const head =
    r.verdict === 'blocked'
      ? `BLOCKED: run_code would refuse this ${r.language} code`
      : `Allowed: run_code would run this ${r.language} code`;
  const lines = [
    `${head} (policy ${r.policy.name}, threshold ${r.policy.threshold}). ${n} finding${n === 1 ? '' : 's'}${n ? `, ${blocking} blocking` : ''}.`,
    ...r.findings.map(findingLine),
  ];
  if (r.truncated) lines.push('(more findings exist than are listed)');
  if (r.timed_out)
    lines.push('The check ran out of time: findings are partial and the code counts as blocked.');
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

export interface RunSummary {
  exit_code: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  reason: RunReason;
  duration_ms: number;
  findings: FindingOut[];
  language: string;
  image: string | null;
  timeout_seconds: number;
  timeout_clamped: boolean;
  requested_timeout_seconds: number | null;
  policy: PolicyRef;
  message: string;
  notes: string[];
}

/** The headline of a run: why it ended, in words. */
export function reasonText(r: Pick<RunSummary, 'reason' | 'exit_code' | 'timeout_seconds'>): string {
  switch (r.reason) {
    case 'exit':
      return `exited with code ${r.exit_code}`;
    case 'timeout':
      return `killed at the time limit (${r.timeout_seconds} s)`;
    case 'oom':
      return 'killed: out of memory';
    case 'output_limit':
      return 'killed: output limit reached (output truncated)';
    case 'stopped':
      return 'stopped (request cancelled)';
    case 'blocked':
      return 'refused by the policy: nothing ran';
    case 'busy':
      return 'refused: the server is at its limit of concurrent runs; nothing ran';
    case 'unavailable':
      return 'refused: the requested libraries are not available; nothing ran';
    case 'error':
      return 'the sandbox could not run it';
  }
}

/** Per stream, in the text summary; the structured result always has the whole (already capped) output. */
export const TEXT_OUTPUT_CHARS = 100_000;

function fenced(label: string, full: string): string {
  const cut = full.length > TEXT_OUTPUT_CHARS;
  const text = cut ? full.slice(0, TEXT_OUTPUT_CHARS) : full;
  // A fence longer than any backtick run in the output, so the output cannot close it.
  const longest = (text.match(/`+/g) ?? []).reduce((n, s) => Math.max(n, s.length), 2);
  const fence = '`'.repeat(longest + 1);
  const more = cut
    ? `\n(${full.length - TEXT_OUTPUT_CHARS} more characters in the structured result's ${label})`
    : '';
  return `${label}:\n${fence}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}${more}`;
}

export function runSummaryText(r: RunSummary): string {
  const lines: string[] = [];
  const ran = !['blocked', 'busy', 'unavailable', 'error'].includes(r.reason);
  if (!ran) {
    lines.push(r.message);
  } else {
    // The message repeats the headline (plus clamping, which the notes below also state).
    lines.push(
      `The ${r.language} program ${reasonText(r)} after ${(r.duration_ms / 1000).toFixed(2)} s in ${r.image ?? 'the sandbox'} (no network).`,
    );
  }
  const shown =
    r.reason === 'blocked' ? r.findings : r.findings.filter((f) => f.severity_level > 0 || f.blocking);
  if (shown.length > 0) {
    lines.push(r.reason === 'blocked' ? 'Blocking findings:' : 'Findings (none blocks):');
    lines.push(...shown.map((f) => `  ${findingLine(f)}`));
  }
  if (ran) {
    lines.push(fenced('stdout', r.stdout), fenced('stderr', r.stderr));
  }
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
