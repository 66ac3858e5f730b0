import type { LanguageFacts } from './types';

/**
 * An analyzer that stops part-way must not look like clean code: its imports and calls after that point were
 * never seen. It reports a dynamic import on the first line (at the policy's dynamic_import_severity, which
 * blocks under `recommended`), so the run gate fails closed while the findings collected so far are kept.
 */
export function analysisFailed(facts: LanguageFacts, text: string, error: unknown): LanguageFacts {
  const firstLine = text.indexOf('\n');
  facts.dynamicImports.push({
    start: 0,
    end: firstLine === -1 ? text.length : firstLine,
    reason: `the analysis stopped early (${error instanceof Error ? error.message : String(error)}), so imports and calls in this file could not all be checked`,
  });
  return facts;
}
