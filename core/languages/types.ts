/**
 * What a language analyzer extracts from one source text. All offsets are UTF-16 code-unit offsets into
 * the text (web-tree-sitter's `startIndex`/`endIndex` are exactly that), half-open [start, end).
 */
export interface Span {
  start: number;
  end: number;
}

export interface ImportRef extends Span {
  /**
   * The resolved module name. Python: dotted (`os.path`; `from pkg import sub` yields both `pkg` and
   * `pkg.sub`). JS/TS: the specifier without a `node:` prefix (`fs/promises`). Other languages: the name as
   * their import syntax spells it (`java.io.File`, `os/exec`, `stdlib.h`).
   */
  module: string;
  /** How it was imported, for messages: `import`, `from`, `require`, `import()`, `__import__`, `include`... */
  form: string;
}

export interface DynamicImportRef extends Span {
  /** Why it is unresolvable, for the message: "argument of __import__ is not a constant". */
  reason: string;
}

export interface CallRef extends Span {
  /**
   * The qualified name the callee resolves to through imports, aliases and builtins: `os.system`,
   * `subprocess.run`, `eval`, `child_process.exec`, `Function`, `process.binding`. Only callees that
   * resolve to an imported module member or a global/builtin (not shadowed locally) are reported.
   */
  name: string;
}

export interface EncodingRef extends Span {
  encoding: string;
}

export interface LanguageFacts {
  /** Comment spans (including the comment markers). */
  comments: Span[];
  /** String literal spans (including quotes); for f-strings/templates, only the literal parts. */
  strings: Span[];
  imports: ImportRef[];
  dynamicImports: DynamicImportRef[];
  calls: CallRef[];
  /** A declared source encoding other than UTF-8/ASCII/Latin-1 (PEP 263). */
  encoding?: EncodingRef;
}

/** The language-agnostic interface of the web-tree-sitter syntax node that analyzers use. */
export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
