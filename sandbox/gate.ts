// The policy gate in front of every run: the same engine and policy as the diagnostics decide whether the
// text may run. It fails closed: an engine that cannot load or a check that runs out of time refuses, like a
// blocking finding. `force` lets a blocked run through; callers may set it only from a user-level setting
// (never workspace settings) or the user's own command-line flag, and the runner writes it to the audit log.
import { checkText } from '../core/engine';
import type { Finding } from '../core/findings';
import { grammarFor } from '../core/languages/registry';
import { LineIndex } from '../core/lineIndex';
import type { ParserHost } from '../core/parsing';
import type { Policy } from '../core/policy';
import { severityName, type SeverityName } from '../core/severity';
import { loadParsers } from '../runtime/grammars';

export interface GateVerdict {
  /** The run may go ahead (clean, or blocked and forced). */
  allowed: boolean;
  /** The policy blocks this text (or the check could not be completed). */
  blocked: boolean;
  /** Blocked, but the caller forced it. */
  overridden: boolean;
  /** Every finding of the check (blocking or not), as the diagnostics show them. */
  findings: Finding[];
  blocking: Finding[];
  /** Why the check itself failed (engine error, time budget), when it did. */
  problem?: string;
}

export interface GateOptions {
  languageId: string;
  /** Run even when blocked. Only from a user-level setting or an explicit CLI flag. */
  force?: boolean;
  /** Grammars; the one the language needs is loaded (once per process) when omitted. */
  parsers?: ParserHost;
}

export async function checkRunGate(code: string, policy: Policy, options: GateOptions): Promise<GateVerdict> {
  const force = options.force === true;
  const verdict = (blocked: boolean, findings: Finding[], problem?: string): GateVerdict => ({
    allowed: !blocked || force,
    blocked,
    overridden: blocked && force,
    findings,
    blocking: findings.filter((f) => f.blocking),
    ...(problem ? { problem } : {}),
  });
  let parsers = options.parsers;
  try {
    // Only the grammar this text needs: a run should not wait for ten grammars to load.
    const grammar = grammarFor(options.languageId);
    parsers ??= await loadParsers(grammar ? [grammar] : []);
  } catch (e) {
    return verdict(true, [], `the policy engine could not load its grammars: ${errorText(e)}`);
  }
  try {
    const r = checkText(code, policy, { languageId: options.languageId, parsers });
    if (r.timedOut && !r.blocked) {
      return verdict(true, r.findings, 'the policy check ran out of time before covering the whole text');
    }
    return verdict(r.blocked, r.findings);
  } catch (e) {
    return verdict(true, [], `the policy check failed: ${errorText(e)}`);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `12:5 HIGH no-eval: message` (1-based line and column). */
export function describeFinding(f: Finding, text: string, index = new LineIndex(text)): string {
  const p = index.position(f.start);
  return `${p.line + 1}:${p.character + 1} ${severityName(f.severity)} ${f.ruleId}: ${f.message}`;
}

/** The refusal shown to the user: why, each blocking finding, and how to proceed. */
export function describeRefusal(verdict: GateVerdict, text: string, file?: string): string {
  const where = file ? `${file}:` : '';
  const index = new LineIndex(text);
  const lines = [
    verdict.problem
      ? `Run refused: ${verdict.problem}.`
      : `Run refused by the policy: ${verdict.blocking.length} blocking finding${verdict.blocking.length === 1 ? '' : 's'}.`,
    ...verdict.blocking.map((f) => `  ${where}${describeFinding(f, text, index)}`),
  ];
  return lines.join('\n');
}

export interface FindingsSummary {
  total: number;
  blocking: number;
  bySeverity: Partial<Record<SeverityName, number>>;
  /** Distinct rule ids, blocking ones first (at most 20). */
  rules: string[];
}

export function summarizeFindings(findings: Finding[]): FindingsSummary {
  const bySeverity: Partial<Record<SeverityName, number>> = {};
  for (const f of findings) {
    const s = severityName(f.severity);
    bySeverity[s] = (bySeverity[s] ?? 0) + 1;
  }
  const ordered = [...findings.filter((f) => f.blocking), ...findings.filter((f) => !f.blocking)];
  return {
    total: findings.length,
    blocking: findings.filter((f) => f.blocking).length,
    bySeverity,
    rules: [...new Set(ordered.map((f) => f.ruleId))].slice(0, 20),
  };
}
