import { analyzePython } from '../../core/languages/python';
import type { LanguageFacts } from '../../core/languages/types';
import { loadParsers } from '../../runtime/grammars';

/** Facts of a Python text, with each span replaced by the text it covers (what a reader checks). */
export interface ReadableFacts {
  facts: LanguageFacts;
  imports: { module: string; form: string; text: string }[];
  calls: { name: string; text: string }[];
  dynamic: { reason: string; text: string }[];
  comments: string[];
  strings: string[];
  encoding?: { encoding: string; text: string };
}

export async function analyze(source: string): Promise<ReadableFacts> {
  const host = await loadParsers(['python']);
  const tree = host.parse('python', source);
  if (!tree) throw new Error('python grammar did not parse');
  try {
    const facts = analyzePython(tree, source);
    const text = (s: { start: number; end: number }): string => source.slice(s.start, s.end);
    return {
      facts,
      imports: facts.imports.map((i) => ({ module: i.module, form: i.form, text: text(i) })),
      calls: facts.calls.map((c) => ({ name: c.name, text: text(c) })),
      dynamic: facts.dynamicImports.map((d) => ({ reason: d.reason, text: text(d) })),
      comments: facts.comments.map(text),
      strings: facts.strings.map(text),
      encoding: facts.encoding
        ? { encoding: facts.encoding.encoding, text: text(facts.encoding) }
        : undefined,
    };
  } finally {
    tree.delete();
  }
}

/** The distinct qualified names reported as calls or references. */
export async function callNames(source: string): Promise<string[]> {
  const f = await analyze(source);
  return [...new Set(f.calls.map((c) => c.name))].sort();
}

/** The distinct module names reported as imports. */
export async function importNames(source: string): Promise<string[]> {
  const f = await analyze(source);
  return [...new Set(f.imports.map((i) => i.module))].sort();
}
