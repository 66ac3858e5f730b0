import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { GrammarId, ParserHost } from '../core/parsing';

const FILES: Record<GrammarId, string> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  go: 'tree-sitter-go.wasm',
  java: 'tree-sitter-java.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  bash: 'tree-sitter-bash.wasm',
};

/**
 * Where the WASM files are: `dist/grammars` next to the bundle at run time; from source (tests run with
 * tsx), the same folder that `npm run build` fills.
 */
function grammarDir(): string {
  const candidates = [join(__dirname, 'grammars'), join(__dirname, '..', 'dist', 'grammars')];
  const found = candidates.find((d) => existsSync(join(d, 'tree-sitter.wasm')));
  if (!found) throw new Error(`tree-sitter grammars not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

let loading: Promise<ParserHost> | undefined;

/** Loads every grammar once per process and returns a host that parses with them. */
export function loadParsers(): Promise<ParserHost> {
  loading ??= (async () => {
    const dir = grammarDir();
    await Parser.init({ locateFile: (name: string) => join(dir, name) });
    const parsers = new Map<GrammarId, Parser>();
    for (const [id, file] of Object.entries(FILES) as [GrammarId, string][]) {
      const lang = await Language.load(join(dir, file));
      const p = new Parser();
      p.setLanguage(lang);
      parsers.set(id, p);
    }
    return {
      parse(grammar: GrammarId, text: string, previous?: Tree): Tree | undefined {
        const p = parsers.get(grammar);
        return p?.parse(text, previous) ?? undefined;
      },
    };
  })();
  return loading;
}
