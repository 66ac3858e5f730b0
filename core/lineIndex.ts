/**
 * Offset ↔ line/column over one text (0-based lines, UTF-16 columns, as LSP uses). The line table is built
 * on first use: the engine makes one per check but needs it only when a suppression comment exists.
 */
export class LineIndex {
  private table?: number[];
  constructor(readonly text: string) {}
  private get starts(): number[] {
    if (!this.table) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.table = starts;
    }
    return this.table;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  position(offset: number): { line: number; character: number } {
    const line = this.lineAt(offset);
    return { line, character: offset - this.starts[line] };
  }
  offset(line: number, character: number): number {
    const starts = this.starts;
    if (line >= starts.length) return this.text.length;
    return Math.min(starts[line] + character, line + 1 < starts.length ? starts[line + 1] : this.text.length);
  }
  lineStart(line: number): number {
    const starts = this.starts;
    return starts[Math.min(line, starts.length - 1)];
  }
}
