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
  if (!found)
    throw new Error(`tree-sitter grammars not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

let init: Promise<string> | undefined;
const parsers = new Map<GrammarId, Promise<Parser>>();
const ready = new Map<GrammarId, Parser>();
let loadChain: Promise<unknown> = Promise.resolve();

const host: ParserHost = {
  parse(grammar: GrammarId, text: string, previous?: Tree): Tree | undefined {
    return ready.get(grammar)?.parse(text, previous) ?? undefined;
  },
};

/**
 * Loads grammars once per process (all of them, or just `only`, which keeps a CLI run over one language
 * fast) and returns the host that parses with every grammar loaded so far.
 */
export async function loadParsers(only?: GrammarId[]): Promise<ParserHost> {
  init ??= (async () => {
    const dir = grammarDir();
    await Parser.init({ locateFile: (name: string) => join(dir, name) });
    return dir;
  })();
  const dir = await init;
  const wanted = only ?? (Object.keys(FILES) as GrammarId[]);
  for (const id of wanted) {
    let p = parsers.get(id);
    if (!p) {
      // One at a time: web-tree-sitter links each grammar's WASM module into one shared table, and
      // concurrent Language.load calls race there ("bad export type for ..._external_scanner_create").
      const previous = loadChain;
      p = previous.then(async () => {
        const parser = new Parser();
        parser.setLanguage(await Language.load(join(dir, FILES[id])));
        ready.set(id, parser);
        return parser;
      });
      loadChain = p.catch(() => undefined);
      parsers.set(id, p);
    }
    await p;
  }
  return host;
}
