/** Offset ↔ line/column over one text (0-based lines, UTF-16 columns, as LSP uses). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  position(offset: number): { line: number; character: number } {
    const line = this.lineAt(offset);
    return { line, character: offset - this.starts[line] };
  }
  offset(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    return Math.min(
      this.starts[line] + character,
      line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length,
    );
  }
  lineStart(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)];
  }
}
