import type { Span } from './types';

export interface LiteralNode extends Span {
  /** True for a string-like node, false for an interpolation/expansion inside one (which is code). */
  literal: boolean;
}

interface Open extends LiteralNode {
  /** Where the current literal segment of this node began. */
  from: number;
}

/**
 * The literal parts of possibly interpolated strings: `"a#{b}c"` yields `"a` and `c"`, and strings inside
 * the interpolation are literal again. `nodes` must be in tree pre-order (ancestors before descendants,
 * siblings by start), which is what `descendantsOfType` returns. Shared by the Ruby, shell and Java
 * analyzers. Malformed nesting (possible inside ERROR nodes) is clamped, never thrown on.
 */
export function literalSpans(nodes: readonly LiteralNode[]): Span[] {
  const out: Span[] = [];
  const stack: Open[] = [];
  const emit = (start: number, end: number) => {
    if (end <= start) return;
    const last = out.at(-1);
    if (last && last.end === start) last.end = end;
    else out.push({ start, end });
  };
  const close = () => {
    const top = stack.pop()!;
    if (top.literal) emit(top.from, top.end);
    const parent = stack.at(-1);
    if (parent) parent.from = Math.max(parent.from, top.end);
  };
  for (const node of nodes) {
    while (stack.length > 0 && stack.at(-1)!.end <= node.start) close();
    const parent = stack.at(-1);
    let { start, end } = node;
    if (parent) {
      start = Math.max(start, parent.from);
      end = Math.min(end, parent.end);
      if (end <= start) continue;
      if (parent.literal) emit(parent.from, start);
      parent.from = end;
    }
    stack.push({ start, end, literal: node.literal, from: start });
  }
  while (stack.length > 0) close();
  return out;
}
