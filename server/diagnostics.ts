import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/findings';
import type { RuleOrigin } from '../core/policy';
import type { PolicyProblem } from '../core/policyLoader';
import { Severity } from '../core/severity';
import type { DocumentCheck } from './checker';
import type { EntryLocation } from './policyLocator';
import { DIAGNOSTIC_SOURCE, type PolicyInfo } from './protocol';
import { ruleDocsUrl } from '../core/ruleDocs';

/** Carried in `Diagnostic.data`, so code actions know the rule without re-running the check. */
export interface FindingData {
  ruleId: string;
  origin: RuleOrigin;
}

export function isFindingData(v: unknown): v is FindingData {
  const d = v as FindingData | undefined;
  return typeof d?.ruleId === 'string' && typeof d.origin?.source === 'string';
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  [Severity.HIGH]: DiagnosticSeverity.Error,
  [Severity.MEDIUM]: DiagnosticSeverity.Warning,
  [Severity.LOW]: DiagnosticSeverity.Information,
  [Severity.SAFE]: DiagnosticSeverity.Hint,
};

export function rangeOf(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(Math.max(start, end)) };
}

function findingDiagnostic(
  doc: TextDocument,
  f: Finding,
  locate: (origin: RuleOrigin) => EntryLocation | undefined,
): Diagnostic {
  const diagnostic: Diagnostic = {
    range: rangeOf(doc, f.start, f.end),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: { href: ruleDocsUrl(f.ruleId) },
    message: f.message,
    data: { ruleId: f.ruleId, origin: f.origin } satisfies FindingData,
  };
  const at = locate(f.origin);
  if (at) {
    diagnostic.relatedInformation = [
      { location: { uri: at.uri, range: at.range }, message: `policy entry for ${f.ruleId} (${at.label})` },
    ];
  }
  return diagnostic;
}

function notice(
  code: string,
  message: string,
  severity: DiagnosticSeverity = DiagnosticSeverity.Information,
): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity,
    source: DIAGNOSTIC_SOURCE,
    code,
    message: `Sandbox Guard: ${message}`,
  };
}

/** The diagnostics for one checked document: unsuppressed findings, plus one notice per reason the check is partial. */
export function checkDiagnostics(
  doc: TextDocument,
  check: DocumentCheck,
  policy: PolicyInfo,
  locate: (origin: RuleOrigin) => EntryLocation | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of check.findings) if (!f.suppressed) out.push(findingDiagnostic(doc, f, locate));
  const gate = check.blocked ? ' Run in Sandbox treats the file as blocked.' : '';
  if (check.skipped === 'too-large') out.push(notice('check-skipped', `${check.incomplete}.${gate}`));
  else if (check.skipped === 'failed')
    out.push(notice('check-failed', `${check.incomplete}.${gate}`, DiagnosticSeverity.Warning));
  else if (check.timedOut) out.push(notice('check-timeout', `${check.incomplete}.${gate}`));
  if (check.truncated) {
    out.push(
      notice(
        'findings-truncated',
        `only the first ${check.findings.length} findings are shown (the per-file limit).`,
      ),
    );
  }
  if (policy.warning) out.push(notice('policy-warning', policy.warning, DiagnosticSeverity.Warning));
  return out;
}

/** A policy file's own problems, at their exact place in its text. */
export function policyProblemDiagnostics(doc: TextDocument, problems: PolicyProblem[]): Diagnostic[] {
  return problems.map((p) => ({
    range: rangeOf(doc, p.offset, p.offset + p.length),
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: 'policy-problem',
    message: p.message,
  }));
}
