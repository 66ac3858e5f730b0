import type { Language } from 'web-tree-sitter';
import { LIMITS } from './javascriptConstants';
import { cookIdentifier } from './javascriptLiterals';
import type { NameTable } from './javascriptNames';
import type { LanguageFacts, Span, SyntaxNode, Tree } from './types';

const FIELD_NAMES = [
  'function',
  'arguments',
  'object',
  'property',
  'index',
  'name',
  'alias',
  'value',
  'left',
  'right',
  'key',
  'body',
  'parameter',
  'parameters',
  'pattern',
  'constructor',
  'condition',
  'consequence',
  'alternative',
  'source',
  'kind',
  'declaration',
  'operator',
  'argument',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

const fieldCache = new WeakMap<Language, Map<FieldName, number>>();

function fieldIds(language: Language): Map<FieldName, number> {
  let ids = fieldCache.get(language);
  if (!ids) {
    ids = new Map();
    for (const f of FIELD_NAMES) {
      const id = language.fieldIdForName(f);
      if (id !== null && id !== undefined) ids.set(f, id);
    }
    fieldCache.set(language, ids);
  }
  return ids;
}

const IDENT_WITH_ESCAPES = /(?:[\w$]|\\u(?:\{[0-9a-fA-F]{1,8}\}|[0-9a-fA-F]{4}))+/y;

/**
 * Shared state of one analysis: the tree with cached node lookups (every web-tree-sitter call crosses into
 * WASM, so parents and types are cached by node id), the masked regions, the step budget and the facts.
 */
export class JsContext {
  readonly root: SyntaxNode;
  readonly facts: LanguageFacts;
  /** Comments and string-like literals merged, in order: offsets inside them are not code. */
  private readonly masked: Span[];
  private readonly fields: Map<FieldName, number>;
  private readonly parents = new Map<number, SyntaxNode | null>();
  private readonly types = new Map<number, string>();
  private readonly found = new Map<string, Span[]>();
  private readonly escaped = new Map<string, Span[]>();
  private steps = 0;
  private index?: WordIndex;
  private withBodies?: Span[];
  private initializedNames?: Set<string>;
  private stringDecls?: Map<string, number[]>;
  private functionDecls?: Set<string>;
  /** Set once by the analyzer: the name table works on this context. */
  names!: NameTable;
  /**
   * While set, folding reads names from this instead of scope-exact bindings: a cheap over-approximation
   * used when scanning many subscripts for a hidden `constructor` key.
   */
  lexicalConstants?: (name: string) => unknown;

  constructor(
    tree: Tree,
    readonly text: string,
    comments: Span[],
    strings: Span[],
    /** Globals whose calls are reported (constants plus the caller's extras). */
    readonly trackedGlobals: ReadonlySet<string>,
    /** Modules whose member calls are reported; undefined = all. */
    readonly callModules: ReadonlySet<string> | undefined,
  ) {
    this.root = tree.rootNode;
    this.fields = fieldIds(tree.language);
    this.masked = mergeSpans(comments, strings);
    this.facts = { comments, strings, imports: [], dynamicImports: [], calls: [] };
    this.findEscapedIdentifiers();
  }

  /**
   * Whether calls into `module` are followed and reported. Explicit `callModules` decide (a module also
   * matches by its package root: `fs` covers `fs/promises`); by default every package is followed but not
   * relative files (`./utils.exec` can match no policy rule). `module` always is: it hands out `require`.
   */
  followsModule(module: string): boolean {
    if (module === 'module') return true;
    const m = this.callModules;
    if (!m) return !/^(?:\.|\/|[a-zA-Z]:|file:)/.test(module);
    return m.has('*') || m.has(module) || m.has(packageRoot(module));
  }

  /** Counts one unit of folding/evaluation work; false once the budget for this text is spent. */
  step(): boolean {
    return ++this.steps <= LIMITS.steps;
  }

  type(node: SyntaxNode): string {
    let t = this.types.get(node.id);
    if (t === undefined) {
      t = node.type;
      this.types.set(node.id, t);
    }
    return t;
  }

  /**
   * web-tree-sitter finds a parent by descending from the root, so climbing k levels costs k × depth. A
   * long climb calls this once: one cursor descent records every ancestor of `node` in the cache.
   */
  ensureAncestry(node: SyntaxNode): void {
    const known = this.parents.get(node.id);
    if (known && this.parents.has(known.id)) return;
    let cur: SyntaxNode | null = this.root;
    for (let i = 0; i < 1_000_000 && cur && cur.id !== node.id; i++) {
      const next: SyntaxNode | null = cur.childWithDescendant(node);
      if (!next || next.id === cur.id) return;
      this.parents.set(next.id, cur);
      cur = next;
    }
  }

  parent(node: SyntaxNode): SyntaxNode | null {
    let p = this.parents.get(node.id);
    if (p === undefined) {
      p = node.parent;
      this.parents.set(node.id, p);
    }
    return p;
  }

  field(node: SyntaxNode, name: FieldName): SyntaxNode | null {
    const id = this.fields.get(name);
    return id === undefined ? null : node.childForFieldId(id);
  }

  /** Whether `node` is the child of `parent` in field `name`. */
  isField(parent: SyntaxNode, name: FieldName, node: SyntaxNode): boolean {
    const f = this.field(parent, name);
    return f !== null && f.id === node.id;
  }

  source(node: SyntaxNode): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  /** The node spanning exactly [start, end), if there is one. */
  nodeAt(start: number, end: number): SyntaxNode | null {
    const n = this.root.descendantForIndex(start, end);
    return n && n.startIndex === start && n.endIndex === end ? n : null;
  }

  isMasked(offset: number): boolean {
    const m = this.masked;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid].end <= offset) lo = mid + 1;
      else if (m[mid].start > offset) hi = mid - 1;
      else return true;
    }
    return false;
  }

  /** Finds, in one pass, where each of `names` occurs as a whole word in code (not comments or strings). */
  prefetch(names: Iterable<string>): void {
    const wanted = [...new Set(names)].filter((n) => !this.found.has(n) && IDENTIFIER.test(n));
    if (wanted.length === 0) return;
    // One pass indexes every word of the text (by a hash, no strings allocated); lookups are then cheap.
    const index = (this.index ??= new WordIndex(this.text));
    for (const n of wanted) {
      const list: Span[] = [];
      for (const at of index.starts(wordKey(n, 0, n.length))) {
        if (this.text.startsWith(n, at) && this.text.charCodeAt(at - 1) !== 92 && !this.isMasked(at)) {
          list.push({ start: at, end: at + n.length });
        }
      }
      this.found.set(n, this.withEscaped(n, list));
    }
  }

  private withEscaped(name: string, list: Span[]): Span[] {
    const esc = this.escaped.get(name);
    return esc ? [...list, ...esc].sort((a, b) => a.start - b.start) : list;
  }

  occurrences(name: string): Span[] {
    if (!this.found.has(name)) this.prefetch([name]);
    return this.found.get(name) ?? [];
  }

  /** Identifiers spelled with `\u` escapes, under the name they denote (`\u0065val` is `eval`). */
  private findEscapedIdentifiers(): void {
    const text = this.text;
    let from = 0;
    let lastEnd = -1;
    for (;;) {
      const i = text.indexOf('\\u', from);
      if (i < 0) return;
      from = i + 2;
      if (i < lastEnd || this.isMasked(i)) continue;
      let start = i;
      while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
      IDENT_WITH_ESCAPES.lastIndex = start;
      const m = IDENT_WITH_ESCAPES.exec(text);
      if (!m) continue;
      const end = start + m[0].length;
      lastEnd = end;
      const name = cookIdentifier(m[0]);
      const list = this.escaped.get(name) ?? [];
      list.push({ start, end });
      this.escaped.set(name, list);
    }
  }

  /**
   * Whether `name` is ever given a value with `=` (a declaration initializer, an assignment, a default,
   * or a destructuring target). A name that never is cannot be a folded constant, which lets folding skip
   * the scope lookup (the costly part) for most names.
   */
  initialized(name: string): boolean {
    if (!this.initializedNames) this.scanAssignments();
    return (this.initializedNames as Set<string>).has(name);
  }

  private scanAssignments(): void {
    const found = scanAssignments(this.text);
    this.initializedNames = found.initialized;
    this.functionDecls = found.functions;
  }

  /**
   * Names declared with an initializer that may produce a string (`const k = 'constructor'`,
   * `let k = [..].join('')`, `var k = a + b`) → offsets of the declared name. Cheap pre-filter for the
   * places that fold speculatively (computed keys everywhere, timer arguments).
   */
  stringDeclarations(): Map<string, number[]> {
    if (!this.stringDecls) {
      this.stringDecls = new Map();
      STRING_DECL.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = STRING_DECL.exec(this.text))) {
        const at = m.index + m[0].indexOf(m[1], m[0].search(/\s/));
        const list = this.stringDecls.get(m[1]);
        if (list) list.push(at);
        else this.stringDecls.set(m[1], [at]);
      }
    }
    return this.stringDecls;
  }

  /** Names declared as functions or classes, or assigned a function expression (lexically). */
  functionNames(): Set<string> {
    if (!this.functionDecls) this.scanAssignments();
    return this.functionDecls as Set<string>;
  }

  /** Whether `offset` is inside the body of a `with` statement, where a name may be a property of an object. */
  inWith(offset: number): boolean {
    if (!this.withBodies) {
      this.withBodies = [];
      for (const o of this.occurrences('with')) {
        const kw = this.nodeAt(o.start, o.end);
        const stmt = kw && this.parent(kw);
        const body = stmt && this.type(stmt) === 'with_statement' ? this.field(stmt, 'body') : null;
        if (body) this.withBodies.push({ start: body.startIndex, end: body.endIndex });
      }
    }
    return this.withBodies.some((s) => offset >= s.start && offset < s.end);
  }

  /** Names written with escapes anywhere in code (so their plain spelling may never appear). */
  escapedNames(): Iterable<string> {
    return this.escaped.keys();
  }
}

const STRING_DECL =
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;\n]{0,80})?=\s*(?:['"`[(]|(?:String|atob|Buffer|decodeURI|decodeURIComponent|unescape|JSON|Array)\b|[A-Za-z_$][\w$]*\s*(?:\+|\.\s*(?:concat|split|join|reverse|replace|slice|substr|substring|toLowerCase|toUpperCase|repeat|padStart|padEnd|trim|map|at|charAt)\b))/g;

const IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*$/u;

/** `fs/promises` → `fs`, `@scope/pkg/sub` → `@scope/pkg`. */
function packageRoot(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const FUNCTION_VALUE = /\s*(?:async\b\s*)?(?:function\b|class\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/y;
const DECLARED_NAME = /\s*\*?\s*([A-Za-z_$][\w$]*)/y;

/**
 * One pass over the `=` signs and the `function`/`class` keywords: which names are ever given a value with
 * `=` (see `JsContext.initialized`) and which are declared or assigned as functions.
 */
function scanAssignments(text: string): { initialized: Set<string>; functions: Set<string> } {
  const initialized = new Set<string>();
  const functions = new Set<string>();
  const word = (c: number) =>
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
  const space = (c: number) => c === 32 || (c >= 9 && c <= 13);
  /** The word ending at `e` (inclusive) and the index before it. */
  const wordAt = (e: number): [string, number] => {
    let j = e;
    while (j >= 0 && word(text.charCodeAt(j))) j--;
    return [text.slice(j + 1, e + 1), j];
  };
  for (let i = text.indexOf('='); i >= 0; i = text.indexOf('=', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 61 || next === 62) {
      i++;
      continue;
    }
    let j = i - 1;
    while (j >= 0 && space(text.charCodeAt(j))) j--;
    const c = text.charCodeAt(j);
    if (c === 93 || c === 125) {
      // A destructuring target: every word inside the brackets, up to a bounded distance back.
      for (const w of text
        .slice(Math.max(0, j - 400), j)
        .match(/[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/g) ?? []) {
        initialized.add(w);
      }
      continue;
    }
    let [name, k] = wordAt(j);
    // `name: Type =`: the name is before the colon (simple types only; others cannot be folded).
    while (k >= 0 && space(text.charCodeAt(k))) k--;
    if (text.charCodeAt(k) === 58) {
      if (name) initialized.add(name);
      k--;
      while (k >= 0 && space(text.charCodeAt(k))) k--;
      name = wordAt(k)[0];
    }
    if (!name) continue;
    initialized.add(name);
    FUNCTION_VALUE.lastIndex = i + 1;
    if (FUNCTION_VALUE.test(text)) functions.add(name);
  }
  for (const kw of ['function', 'class']) {
    for (let i = text.indexOf(kw); i >= 0; i = text.indexOf(kw, i + kw.length)) {
      if (i > 0 && word(text.charCodeAt(i - 1))) continue;
      DECLARED_NAME.lastIndex = i + kw.length;
      const m = DECLARED_NAME.exec(text);
      if (m && !word(text.charCodeAt(i + kw.length))) functions.add(m[1]);
    }
  }
  return { initialized, functions };
}

function isWordCode(d: number): boolean {
  return (
    (d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95 || d === 36 || d > 127
  );
}

/** A word's index key: a hash of its characters and length (collisions are resolved by comparing text). */
function wordKey(text: string, start: number, end: number): number {
  let h = text.charCodeAt(start);
  for (let i = start + 1; i < end; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h ^ ((end - start) << 24)) | 0;
}

/**
 * Every identifier-like word's start, chained by `wordKey` in typed arrays: building it allocates no array
 * or string per word (a file has tens of thousands), which kept each keystroke's garbage and GC time down.
 * Masked regions are included (callers filter); words starting with a digit are skipped.
 */
class WordIndex {
  /** Per bucket: the last word in it, or -1. */
  private readonly head: Int32Array;
  private key: Int32Array;
  private pos: Int32Array;
  /** Per word: the previous word in the same bucket, or -1. */
  private next: Int32Array;
  private count = 0;
  private readonly mask: number;

  constructor(text: string) {
    const n = text.length;
    let buckets = 16;
    while (buckets < n >> 3) buckets <<= 1;
    this.mask = buckets - 1;
    this.head = new Int32Array(buckets).fill(-1);
    const cap = Math.max(16, n >> 3);
    this.key = new Int32Array(cap);
    this.pos = new Int32Array(cap);
    this.next = new Int32Array(cap);
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (!isWordCode(c)) {
        i++;
        continue;
      }
      const s = i;
      let h = c;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (!isWordCode(d)) break;
        h = (h * 31 + d) | 0;
      }
      if (c >= 48 && c <= 57) continue;
      this.add((h ^ ((i - s) << 24)) | 0, s);
    }
  }

  private add(key: number, at: number): void {
    if (this.count === this.pos.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.key = grow(this.key);
      this.pos = grow(this.pos);
      this.next = grow(this.next);
    }
    const w = this.count++;
    const b = key & this.mask;
    this.key[w] = key;
    this.pos[w] = at;
    this.next[w] = this.head[b];
    this.head[b] = w;
  }

  /** Starts of the words with this key, in text order. */
  starts(key: number): number[] {
    const out: number[] = [];
    for (let w = this.head[key & this.mask]; w !== -1; w = this.next[w])
      if (this.key[w] === key) out.push(this.pos[w]);
    return out.reverse();
  }
}

function mergeSpans(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const s = j >= b.length || (i < a.length && a[i].start <= b[j].start) ? a[i++] : b[j++];
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { start: last.start, end: s.end };
    } else out.push(s);
  }
  return out;
}
