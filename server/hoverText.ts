import type { Finding } from '../core/findings';
import { severityName } from '../core/severity';
import type { EntryLocation } from './policyLocator';
import type { PolicyInfo } from './protocol';
import { ruleDocsUrl } from '../core/ruleDocs';

function verdict(f: Finding, policy: PolicyInfo): string {
  const sev = severityName(f.severity);
  if (policy.threshold === 'SAFE') {
    return `Reported only: the policy's threshold is SAFE, so nothing blocks Run in Sandbox.`;
  }
  return f.blocking
    ? `**Blocks Run in Sandbox**: severity ${sev} ≥ threshold ${policy.threshold}.`
    : `Does not block Run in Sandbox: severity ${sev} < threshold ${policy.threshold}.`;
}

function definedIn(f: Finding, at: EntryLocation | undefined): string {
  const preset = /^preset:(.+)$/.exec(f.origin.source)?.[1];
  const what = preset !== undefined ? `preset \`${preset}\`` : `policy file \`${f.origin.source}\``;
  if (!at) return `Defined in ${what}.`;
  const link = `${at.uri}#L${at.range.start.line + 1},${at.range.start.character + 1}`;
  return `Defined in ${what}: [${at.label}](${link}).`;
}

/** Markdown for one finding: what, why, the threshold verdict, and the policy entry that defined it. */
export function hoverMarkdown(f: Finding, policy: PolicyInfo, at: EntryLocation | undefined): string {
  const lines = [
    `**Sandbox Guard** · \`${f.ruleId}\` · ${severityName(f.severity)} ([docs](${ruleDocsUrl(f.ruleId)}))`,
    '',
    f.description ? f.description : f.message,
    '',
    verdict(f, policy),
  ];
  if (f.suppressed) {
    lines.push(
      '',
      f.blocking
        ? 'Suppressed by a `sandbox-guard: ignore` comment: hidden from the problems list, but Run in Sandbox still refuses it.'
        : 'Suppressed by a `sandbox-guard: ignore` comment.',
    );
  }
  lines.push('', `${definedIn(f, at)} Active policy: \`${policy.name}\` (${describeSource(policy.source)}).`);
  return lines.join('\n');
}

export function describeSource(source: string): string {
  const preset = /^preset:(.+)$/.exec(source)?.[1];
  return preset !== undefined ? `preset ${preset}` : source;
}
