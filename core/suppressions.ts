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
  /** Every directive inside [from, to), as `matchAll` over that slice would find them. */
  const scan = (from: number, to: number, firstMarker: number) => {
    const chunk = text.slice(from, to);
    DIRECTIVE.lastIndex = firstMarker - from;
    for (let m = DIRECTIVE.exec(chunk); m; m = DIRECTIVE.exec(chunk)) {
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
      const line = lines.lineAt(from + m.index) + (m[1] === '-next-line' ? 1 : 0);
      let set = byLine.get(line);
      if (!set) byLine.set(line, (set = new Set()));
      for (const id of ids) set.add(id);
    }
  };
  // Markers are rare: find them in the whole text, then look only at the comments that hold one (slicing
  // every comment cost an allocation per comment on every keystroke).
  let at = text.indexOf(SUPPRESSION_MARKER);
  const inside = (c: Span, m: number) => m !== -1 && c.start <= m && m + SUPPRESSION_MARKER.length <= c.end;
  if (at === -1) {
    // No directive anywhere.
  } else if (!comments) {
    scan(0, text.length, at);
  } else if (!sortedAndDisjoint(comments)) {
    for (const c of comments) {
      const m = text.indexOf(SUPPRESSION_MARKER, c.start);
      if (inside(c, m)) scan(c.start, c.end, m);
    }
  } else {
    for (let i = 0; at !== -1;) {
      i = firstEndingAfter(comments, at, i);
      if (i >= comments.length) break;
      const c = comments[i];
      if (inside(c, at)) {
        scan(c.start, c.end, at);
        at = text.indexOf(SUPPRESSION_MARKER, c.end);
        i++;
      } else {
        // Not in a comment (c is the first comment ending after it): nothing before c.start is either.
        at = text.indexOf(SUPPRESSION_MARKER, Math.max(at + 1, c.start));
      }
    }
  }
  if (byLine.size === 0 && file.size === 0) return { isSuppressed: () => false };
  return {
    isSuppressed(ruleId: string, offset: number): boolean {
      if (file.has('*') || file.has(ruleId)) return true;
      const set = byLine.get(lines.lineAt(offset));
      return set !== undefined && (set.has('*') || set.has(ruleId));
    },
  };
}

function sortedAndDisjoint(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) return false;
  return true;
}

/** Index of the first comment (sorted, disjoint) ending after `offset`, searching from `lo`. */
function firstEndingAfter(comments: readonly Span[], offset: number, lo = 0): number {
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
