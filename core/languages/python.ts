import { Parser, type Language } from 'web-tree-sitter';
import { PythonAnalysis } from './pythonAnalyzer';
import { findPythonEncoding } from './pythonEncoding';
import { lexPython } from './pythonLexer';
import type { LanguageFacts, Tree } from './types';

/** exec/eval strings are analysed this many levels deep, up to this size. */
const MAX_SNIPPET_NESTING = 2;
const MAX_SNIPPET_LENGTH = 100_000;

const snippetParsers = new WeakMap<Language, Parser>();

/**
 * Extracts the facts the policy engine matches from one Python file.
 *
 * What is reported:
 * - imports: every import statement form, plus `__import__`, `importlib.import_module`/`__import__`,
 *   `sys.modules[...]`, `__loader__.load_module`, `pkgutil.resolve_name` with a constant argument, and a
 *   module reached as another module's attribute (`shutil.os`, form `module attribute`). `posix`/`nt` are
 *   also reported as `os`. Forms: `import`, `from` (the module of a from-import), `from-import` (each
 *   name it imports, as `module.name`; the `from` ref of the same statement is always present too),
 *   `__import__`, `importlib.import_module`, `sys.modules`, ...
 * - calls: every reference that resolves to a module member or a builtin, called or used as a value, by
 *   qualified name (`os.system`, `eval`, `str.lower`). Builtins reached through the builtins module
 *   (`builtins.eval`, `__builtins__['eval']`) are reported as the bare name; `posix.system` and
 *   `shutil.os.system` also as `os.system`.
 * - dynamic imports: an import function whose argument is not constant, an import function used as a
 *   value, `getattr` on a sensitive module (os, subprocess, builtins...) with a computed name, and (in
 *   hostile files past the analysis budget) whatever could not be followed.
 *
 * Spans (UTF-16 offsets, half-open):
 * - imports: the module name as written (`os.path` in `import os.path as p`; `.os` in `from .os import y`);
 *   `from-import` refs on the imported name (`system` in `from os import system`); dynamic imports on the
 *   argument (`'o' + 's'` in `__import__('o' + 's')`).
 * - calls: the callee expression, from its first token to the end of the member name (`os . system` in
 *   `os . system ('x')`, `getattr(os, 'system')` in `getattr(os, 'system')()`); a reference used as a value
 *   (`map(os.system, xs)`) is reported on the reference. One expression can carry several names
 *   (`getattr` and `os.system` on `getattr(os, 'system')(...)`).
 * - dynamic imports: the argument that is not constant, or the reference of an import function used as a value.
 * - encoding: the codec name in the PEP 263 comment.
 * - comments and strings come from a tokenizer that follows CPython's (PEP 701 f-strings); f-strings
 *   contribute their literal parts only (prefix and quotes included), never their replacement fields.
 */
export function analyzePython(tree: Tree, text: string): LanguageFacts {
  return analyze(tree, text, 0);
}

function analyze(tree: Tree, text: string, nesting: number): LanguageFacts {
  const tokens = lexPython(text);
  const facts: LanguageFacts = {
    comments: tokens.comments,
    strings: tokens.strings,
    imports: [],
    dynamicImports: [],
    calls: [],
  };
  if (nesting === 0) {
    const encoding = findPythonEncoding(text);
    if (encoding) facts.encoding = encoding;
  }
  const snippet =
    nesting < MAX_SNIPPET_NESTING
      ? (code: string) => analyzeSnippet(tree.language, code, nesting + 1)
      : undefined;
  try {
    new PythonAnalysis(tree, text, tokens, facts, snippet).run();
  } catch (e) {
    // The analysis is bounded and written not to throw. Should it still fail, keep what was found and
    // say the rest is unknown (at the dynamic-import severity), so that no input can hide code by
    // making the analyzer fail.
    const lineEnd = text.search(/[\r\n]/);
    facts.dynamicImports.push({
      start: 0,
      end: lineEnd < 0 ? text.length : lineEnd,
      reason: `the file could not be fully analysed (${e instanceof Error ? e.message : String(e)})`,
    });
  }
  return facts;
}

function analyzeSnippet(language: Language, code: string, nesting: number): LanguageFacts | undefined {
  if (code.length > MAX_SNIPPET_LENGTH) return undefined;
  let parser = snippetParsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    snippetParsers.set(language, parser);
  }
  const tree = parser.parse(code);
  if (!tree) return undefined;
  try {
    return analyze(tree, code, nesting);
  } finally {
    tree.delete();
  }
}
