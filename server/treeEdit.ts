import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, Point } from 'web-tree-sitter';

/**
 * Tree-sitter counts rows by `\n` only, while LSP lines also break at a lone `\r`. Both count columns in
 * UTF-16 code units (web-tree-sitter converts), so for text without a lone `\r` the LSP line is the row.
 */
function hasLoneCarriageReturn(text: string): boolean {
  return text.indexOf('\r') !== -1 && /\r(?!\n)/.test(text);
}

function pointAt(text: string, offset: number, doc: TextDocument, loneCR: boolean): Point {
  if (offset === 0) return { row: 0, column: 0 };
  const column = offset - (text.lastIndexOf('\n', offset - 1) + 1);
  if (!loneCR) return { row: doc.positionAt(offset).line, column };
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return { row, column };
}

function advance(start: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNewline - 1 };
}

/**
 * The tree-sitter edit for replacing [startIndex, oldEndIndex) of `doc` (its text before the change) with
 * `inserted`.
 */
export function treeEditFor(
  doc: TextDocument,
  startIndex: number,
  oldEndIndex: number,
  inserted: string,
): Edit {
  const text = doc.getText();
  const loneCR = hasLoneCarriageReturn(text);
  const startPosition = pointAt(text, startIndex, doc, loneCR);
  return {
    startIndex,
    oldEndIndex,
    newEndIndex: startIndex + inserted.length,
    startPosition,
    oldEndPosition: pointAt(text, oldEndIndex, doc, loneCR),
    newEndPosition: advance(startPosition, inserted),
  };
}
