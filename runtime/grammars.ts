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
/** tree-sitter's linear memory, created here so its size can be reported (it grows and never shrinks). */
let wasmMemory: { readonly buffer: ArrayBuffer } | undefined;

/** The WebAssembly global, which Node has but this project's TypeScript libs do not declare. */
const { Memory } = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (d: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
    };
  }
).WebAssembly;

/** Bytes of WASM memory tree-sitter holds (0 before the first grammar loads). */
export function treeSitterMemoryBytes(): number {
  return wasmMemory?.buffer.byteLength ?? 0;
}

/**
 * Bytes of that memory in 4 KiB pages that are not all zero: about what tree-sitter has ever used (pages
 * it freed stay resident), as opposed to what is reserved. Scans the memory: for diagnostics only.
 */
export function treeSitterMemoryTouchedBytes(): number {
  if (!wasmMemory) return 0;
  const words = new Uint32Array(wasmMemory.buffer);
  const perPage = 1024;
  let touched = 0;
  for (let page = 0; page < words.length; page += perPage) {
    for (let i = page; i < page + perPage; i++) {
      if (words[i] !== 0) {
        touched++;
        break;
      }
    }
  }
  return touched * perPage * 4;
}

const parsers = new Map<GrammarId, Promise<Parser>>();
const ready = new Map<GrammarId, Parser>();
let loadChain: Promise<unknown> = Promise.resolve();

/**
 * How much text tree-sitter is handed per read. Given a string, web-tree-sitter copies up to 5 119
 * characters into WASM memory on every read, and an incremental reparse reads at each place it resumes
 * lexing after a reused subtree: with 1 KiB pieces, reparsing after a keystroke in a 10 000-line file took
 * about a third less time (a full parse the same).
 */
const READ_CHUNK = 1024;

/**
 * The piece of `text` tree-sitter reads from `index`. It never ends between the two halves of a surrogate
 * pair: tree-sitter's UTF-16 decoder would read past the piece and see a lone surrogate, which turns a
 * name like `𝑥` into a syntax error (web-tree-sitter's own string reader splits pairs at its 5 119-character
 * boundaries).
 */
export function readPiece(text: string, index: number): string {
  let end = index + READ_CHUNK;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end++;
  return text.slice(index, end);
}

const host: ParserHost = {
  parse(grammar: GrammarId, text: string, previous?: Tree): Tree | undefined {
    const parser = ready.get(grammar);
    if (!parser) return undefined;
    return parser.parse((index: number) => readPiece(text, index), previous) ?? undefined;
  },
};

/**
 * Loads grammars once per process (all of them, or just `only`, which keeps a CLI run over one language
 * fast) and returns the host that parses with every grammar loaded so far.
 */
export async function loadParsers(only?: GrammarId[]): Promise<ParserHost> {
  init ??= (async () => {
    const dir = grammarDir();
    // emscripten's default: 32 MiB to start (only the pages tree-sitter touches are resident), 2 GiB at most.
    wasmMemory = new Memory({ initial: 512, maximum: 32768 });
    await Parser.init({ locateFile: (name: string) => join(dir, name), wasmMemory });
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
