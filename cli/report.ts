import { LineIndex } from '../core/lineIndex';
import type { CheckResult, Finding } from '../core/findings';
import { severityName, type SeverityName } from '../core/severity';

/** One finding as the CLI prints it: 1-based lines and columns (UTF-16 code units, as editors count). */
export interface ReportedFinding {
  ruleId: string;
  severity: SeverityName;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  blocking: boolean;
}

export interface ReportedFile {
  path: string;
  language: string;
  findings: ReportedFinding[];
}

export interface FileResult {
  path: string;
  result: CheckResult;
  findings: Array<{ finding: Finding; reported: ReportedFinding }>;
}

/**
 * Suppressed findings are hidden unless they block: a suppression never lowers the run gate, so a blocking one
 * stays visible to explain a `blocked: true`.
 */
export function reportFile(path: string, text: string, result: CheckResult): FileResult {
  const lines = new LineIndex(text);
  const findings = result.findings
    .filter((f) => !f.suppressed || f.blocking)
    .map((finding) => {
      const s = lines.position(finding.start);
      const e = lines.position(finding.end);
      const reported: ReportedFinding = {
        ruleId: finding.ruleId,
        severity: severityName(finding.severity),
        message: finding.message,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        blocking: finding.blocking,
      };
      return { finding, reported };
    });
  return { path, result, findings };
}
