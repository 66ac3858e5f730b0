/** Where rules are documented; diagnostics' codeDescription and SARIF helpUri point here. */
export const RULE_DOCS_URL = 'https://github.com/sandbox-guard/sandbox-guard/blob/main/docs/rules.md';

/** A rule's anchor: `module:subprocess` → `…/rules.md#module-subprocess`; pattern ids by their own id. */
export function ruleDocsUrl(ruleId: string): string {
  const kind = /^(module|call):/.exec(ruleId)?.[1];
  const anchor = kind ?? (ruleId === 'dynamic-import' || ruleId === 'source-encoding' ? ruleId : 'patterns');
  return `${RULE_DOCS_URL}#${anchor}`;
}
