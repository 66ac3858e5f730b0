import type { LineIndex } from './lineIndex';
import type { Span } from './languages/types';

/**
 * `sandbox-guard: ignore[rule-a, rule-b]` in a comment hides those findings on its own line;
 * `ignore-next-line[...]` on the next line; `ignore-file[...]` in the whole file. Without ids, every rule.
 * Only real comments count when the language is parsed, so a string that spells the marker hides nothing.
 * Suppression only hides a finding: it never changes whether the code may run (see Finding.suppressed).
 */
export const SUPPRESSION_MARKER = 'sandbox-guard:';
const DIRECTIVE = /sandbox-guard:\s*ignore(-file|-next-line)?\b(?:\[([^\]\n]*)\])?/g;

export interface Suppressions {
  isSuppressed(ruleId: string, offset: number): boolean;
}

export function findSuppressions(
  text: string,
  comments: readonly Span[] | undefined,
  lines: LineIndex,
): Suppressions {
  const byLine = new Map<number, Set<string>>();
  const file = new Set<string>();
  const scan = (from: number, to: number) => {
    const chunk = text.slice(from, to);
    if (!chunk.includes(SUPPRESSION_MARKER)) return;
    for (const m of chunk.matchAll(DIRECTIVE)) {
      const ids = m[2]
        ? m[2]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : ['*'];
      if (m[1] === '-file') {
        for (const id of ids) file.add(id);
        continue;
      }
      const line = lines.lineAt(from + (m.index ?? 0)) + (m[1] === '-next-line' ? 1 : 0);
      let set = byLine.get(line);
      if (!set) byLine.set(line, (set = new Set()));
      for (const id of ids) set.add(id);
    }
  };
  if (comments) for (const c of comments) scan(c.start, c.end);
  else scan(0, text.length);
  if (byLine.size === 0 && file.size === 0) return { isSuppressed: () => false };
  return {
    isSuppressed(ruleId: string, offset: number): boolean {
      if (file.has('*') || file.has(ruleId)) return true;
      const set = byLine.get(lines.lineAt(offset));
      return set !== undefined && (set.has('*') || set.has(ruleId));
    },
  };
}
