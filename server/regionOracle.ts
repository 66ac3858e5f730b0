import type { Tree } from 'web-tree-sitter';
import type { RegionKind, RegionOracle } from './suppressionEdit';

// Node type names across the bundled grammars (python, javascript/typescript/tsx, go, java, c/cpp, ruby, bash).
const CODE_INSIDE_LITERAL =
  /^(template_substitution|interpolation|string_interpolation|expansion|command_substitution)$/;
const COMMENT = /comment/;
const LITERAL = /string|heredoc|template|regex|jsx_text|char_literal|raw_string/;

/**
 * Whether an offset is in code, a string literal or a comment, from the document's syntax tree, so that a
 * suppression comment is never inserted where it would become part of a string or break a statement.
 */
export function regionOracle(tree: Tree | undefined, text: string): RegionOracle {
  if (!tree) return () => 'code';
  return (offset: number): RegionKind => {
    if (offset >= text.length) return 'code';
    let node = tree.rootNode.descendantForIndex(offset, offset + 1);
    for (; node; node = node.parent) {
      if (CODE_INSIDE_LITERAL.test(node.type)) return 'code';
      const inside = node.startIndex <= offset && offset < node.endIndex;
      if (!inside) continue;
      if (COMMENT.test(node.type)) return 'comment';
      if (LITERAL.test(node.type) && node.startIndex < offset) return 'string';
    }
    return 'code';
  };
}
