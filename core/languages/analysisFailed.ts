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

/** Runs an analysis into fresh facts; an exception keeps what was collected and fails closed. Never throws. */
export function collectFacts(text: string, run: (facts: LanguageFacts) => void): LanguageFacts {
  const facts: LanguageFacts = { comments: [], strings: [], imports: [], dynamicImports: [], calls: [] };
  try {
    run(facts);
  } catch (e) {
    analysisFailed(facts, text, e);
  }
  return facts;
}
