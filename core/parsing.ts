import type { Tree } from 'web-tree-sitter';

/**
 * Parses source text for a grammar. Core never loads grammars itself (that is I/O); the server, the CLI
 * and tests pass a host built by `runtime/grammars.ts`. `previous` enables tree-sitter's incremental
 * reparse: the caller must already have applied `previous.edit(...)` for the change.
 */
export interface ParserHost {
  parse(grammar: GrammarId, text: string, previous?: Tree): Tree | undefined;
}

export type GrammarId =
  'python' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'java' | 'c' | 'cpp' | 'ruby' | 'bash';
