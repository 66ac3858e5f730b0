import type { Policy } from '../core/policy';
import { Severity } from '../core/severity';
import type { FileResult } from './report';
import { RULE_DOCS_URL, ruleDocsUrl } from '../core/ruleDocs';
import { VERSION } from './version';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note' | 'none'> = {
  [Severity.HIGH]: 'error',
  [Severity.MEDIUM]: 'warning',
  [Severity.LOW]: 'note',
  [Severity.SAFE]: 'none',
};

function toUri(path: string): string {
  return path === '-' ? 'stdin' : path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0, one run, rules listed once with their documentation link. */
export function toSarif(files: FileResult[], policy: Policy): object {
  const rules: Array<{ id: string; severity: Severity; description: string }> = [];
  const index = new Map<string, number>();
  const results = [];
  for (const f of files) {
    for (const { finding, reported } of f.findings) {
      let i = index.get(finding.ruleId);
      if (i === undefined) {
        i = rules.length;
        index.set(finding.ruleId, i);
        rules.push({ id: finding.ruleId, severity: finding.severity, description: finding.description });
      }
      results.push({
        ruleId: finding.ruleId,
        ruleIndex: i,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: toUri(f.path) },
              region: {
                startLine: reported.line,
                startColumn: reported.column,
                endLine: reported.endLine,
                endColumn: reported.endColumn,
              },
            },
          },
        ],
        properties: { blocking: finding.blocking, severity: reported.severity },
        ...(finding.suppressed ? { suppressions: [{ kind: 'inSource' }] } : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sandbox-guard',
            version: VERSION,
            informationUri: RULE_DOCS_URL,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description || r.id },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results,
        properties: { policy: policy.name, severityThreshold: Severity[policy.severityThreshold] },
      },
    ],
  };
}
