import type { SyntaxNode } from './types';

/**
 * Budgeted access to the syntax tree. Every lookup crosses into WebAssembly and tree-sitter finds nodes
 * by walking down from the root, so lookups are counted: a realistic 10 000-line file needs a few
 * hundred, and past the budget the analysis reports what it cannot follow instead of spending more.
 */
export class PythonTreeAccess {
  private lookups = 0;
  private topLevel: SyntaxNode[] | undefined;
  private topStarts: number[] | undefined;

  constructor(
    private readonly root: SyntaxNode,
    private readonly budget: number,
  ) {}

  /** Counts one lookup against the budget; false once it is spent. */
  spend(): boolean {
    return ++this.lookups <= this.budget;
  }

  /**
   * The smallest node spanning [start, end). Searching from the top-level statement that holds the range
   * (found by binary search) spares tree-sitter a linear scan of every statement of the module.
   */
  descendant(start: number, end: number): SyntaxNode | null {
    if (!this.topLevel) {
      this.topLevel = this.root.children.filter((c): c is SyntaxNode => c !== null);
      this.topStarts = this.topLevel.map((c) => c.startIndex);
    }
    const starts = this.topStarts as number[];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= start) lo = mid;
      else hi = mid - 1;
    }
    const top = this.topLevel[lo];
    if (top && top.startIndex <= start && top.endIndex >= end) return top.descendantForIndex(start, end);
    return this.root.descendantForIndex(start, end);
  }

  /** The node (of `type`, if given) that spans exactly [start, end), if there is one. */
  nodeSpanning(start: number, end: number, type?: string): SyntaxNode | undefined {
    let n: SyntaxNode | null = this.descendant(start, end);
    for (let k = 0; n && k < 8; k++) {
      if (n.startIndex !== start) return undefined;
      const e = n.endIndex;
      if (e > end) return undefined;
      if (e === end && (type === undefined || n.type === type)) return n;
      n = n.parent;
    }
    return undefined;
  }
}
