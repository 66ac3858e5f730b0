import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import type { ParserHost } from '../../core/parsing';
import { loadParsers, readPiece } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  host = await loadParsers(['python', 'javascript']);
});

function leaves(node: Node, out: string[] = []): string[] {
  if (node.childCount === 0) out.push(`${node.type}@${node.startIndex}-${node.endIndex}`);
  for (let i = 0; i < node.childCount; i++) leaves(node.child(i) as Node, out);
  return out;
}

describe('ParserHost reads text in pieces', () => {
  it('never ends a piece between the halves of a surrogate pair', () => {
    const text = `${'x'.repeat(1023)}😀 and more`;
    const piece = readPiece(text, 0);
    assert.equal(piece.length, 1025);
    assert.equal(piece.codePointAt(1023), 0x1f600);
    assert.equal(readPiece(text, 1025), ' and more');
  });

  it('reads identifiers with characters outside the BMP across piece boundaries', () => {
    // `𝑥` (U+1D465) is a letter Python accepts in names; split into lone surrogates it is a syntax error.
    for (const pad of ['', 'a', 'ab']) {
      const lines: string[] = [];
      for (let i = 0; i < 300; i++) lines.push(`${pad}𝑥𝑦${i} = 𝑥𝑦${i} + 1`);
      const text = `${lines.join('\n')}\n`;
      const tree = host.parse('python', text);
      assert.ok(tree);
      assert.equal(tree.rootNode.hasError, false, `misread with padding "${pad}"`);
      assert.equal(tree.rootNode.childCount, 300);
      tree.delete();
    }
  });

  it('an incremental reparse after an edit gives the same tree as a fresh parse', () => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(`const v${i} = /re-${i}/.test(s) ? "é😀${i}" : f(v${i - 1});`);
    const text = `${lines.join('\n')}\n`;
    const tree = host.parse('javascript', text);
    assert.ok(tree);
    const at = text.indexOf('v200 =') + 2;
    const edited = `${text.slice(0, at)}x${text.slice(at)}`;
    tree.edit({
      startIndex: at,
      oldEndIndex: at,
      newEndIndex: at + 1,
      startPosition: { row: 200, column: 8 },
      oldEndPosition: { row: 200, column: 8 },
      newEndPosition: { row: 200, column: 9 },
    });
    const again = host.parse('javascript', edited, tree);
    const fresh = host.parse('javascript', edited);
    assert.ok(again && fresh);
    assert.deepEqual(leaves(again.rootNode), leaves(fresh.rootNode));
    assert.equal(again.rootNode.hasError, false);
    for (const t of [tree, again, fresh]) t.delete();
  });
});
