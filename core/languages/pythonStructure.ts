import { OP_ARROW, OP_POW, T_KEYWORD, T_NAME, T_NEWLINE, T_OP, type PythonTokens } from './pythonLexer';
import type { Span } from './types';

/** A Python scope: the module, a function or lambda, a class body, or a comprehension. */
export interface Scope {
  id: number;
  kind: 'module' | 'function' | 'class' | 'comprehension';
  start: number;
  end: number;
  /** Parts of the range evaluated in the enclosing scope: parameter defaults and annotations, a comprehension's first iterable. */
  holes: Span[];
  parent: Scope | null;
  /** Indentation of the statements directly in the scope's body. */
  bodyIndent: number;
  /** For `def`/`class` scopes: the token of the name. */
  nameTok?: number;
}

/** A parameter name: the function scope it binds in, and its default value's tokens (from < to when present). */
export interface Param {
  scope: Scope;
  from: number;
  to: number;
}

const COMMA = 44;
const COLON = 58;
const SEMI = 59;
const EQUALS = 61;
const STAR = 42;
const SLASH = 47;
const LPAR = 40;
const LSQB = 91;

const COMPOUND = new Set([
  'if',
  'elif',
  'else',
  'while',
  'for',
  'try',
  'except',
  'finally',
  'with',
  'def',
  'class',
  'async',
]);

export function scopeContains(scope: Scope, offset: number): boolean {
  if (offset < scope.start || offset >= scope.end) return false;
  for (const h of scope.holes) if (offset >= h.start && offset < h.end) return false;
  return true;
}

/**
 * The statement and scope structure of a file, read from its tokens: statements (split at NEWLINE, `;` and
 * the `:` of a compound header), indentation, function/class/lambda/comprehension scopes and parameters.
 * Python's block structure is lexical (indentation and brackets), so this is exact for valid code and
 * degrades gracefully in broken code, at a fraction of the cost of visiting the syntax tree.
 */
export class PythonStructure {
  readonly module: Scope;
  /** Scopes sorted by start; the module first. */
  readonly scopes: Scope[] = [];
  /** Token → statement index. */
  readonly stmtOf: Int32Array;
  readonly stmtFirst: number[] = [];
  /** Token index of the statement's terminator (NEWLINE, `;` or header `:`), exclusive end. */
  readonly stmtEnd: number[] = [];
  /** Last `=` at bracket depth 0 in the statement, or -1. */
  readonly stmtLastEq: number[] = [];
  readonly stmtIndent: number[] = [];
  /** The statement is a compound header (`if x:`, `def f():`). */
  readonly stmtHeader: Uint8Array;
  /** The statement follows a header on the same line (`if x: y = 1`). */
  readonly stmtAfterHeader: Uint8Array;
  readonly params = new Map<number, Param>();
  /** `def` name token → the function's scope. */
  readonly defScopes = new Map<number, Scope>();
  /** The innermost compound statement whose body holds the statement, or -1 (the scope's own body). */
  readonly stmtBlock: Int32Array;
  /** For header statements: the offset where their body ends. */
  readonly blockEnd: Int32Array;

  constructor(
    private readonly tokens: PythonTokens,
    private readonly text: string,
  ) {
    this.module = {
      id: 0,
      kind: 'module',
      start: 0,
      end: text.length + 1,
      holes: [],
      parent: null,
      bodyIndent: 0,
    };
    this.stmtOf = new Int32Array(tokens.count);
    const headers: number[] = [];
    const after: number[] = [];
    this.splitStatements(headers, after);
    this.stmtHeader = new Uint8Array(this.stmtFirst.length);
    this.stmtAfterHeader = new Uint8Array(this.stmtFirst.length);
    for (const s of headers) this.stmtHeader[s] = 1;
    for (const s of after) this.stmtAfterHeader[s] = 1;
    this.stmtBlock = new Int32Array(this.stmtFirst.length).fill(-1);
    this.blockEnd = new Int32Array(this.stmtFirst.length);
    const found: Scope[] = [];
    this.blockScopes(found);
    this.expressionScopes(found);
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    this.scopes.push(this.module);
    const stack: Scope[] = [this.module];
    for (const s of found) {
      while (stack.length > 1 && stack[stack.length - 1].end <= s.start) stack.pop();
      s.parent = stack[stack.length - 1];
      stack.push(s);
      this.scopes.push(s);
    }
    for (let i = 0; i < this.scopes.length; i++) this.scopes[i].id = i;
  }

  private splitStatements(headers: number[], after: number[]): void {
    const t = this.tokens;
    let first = 0;
    let lastEq = -1;
    let lambdas = 0;
    let afterHeader = false;
    let lineIndent = 0;
    let compound = false;
    const close = (end: number, header: boolean): void => {
      if (end > first || header) {
        const s = this.stmtFirst.length;
        this.stmtFirst.push(first);
        this.stmtEnd.push(end);
        this.stmtLastEq.push(lastEq);
        this.stmtIndent.push(lineIndent);
        for (let k = first; k <= end && k < t.count; k++) this.stmtOf[k] = s;
        if (header) headers.push(s);
        if (afterHeader) after.push(s);
      }
      first = end + 1;
      lastEq = -1;
      lambdas = 0;
      compound = this.startsCompound(first);
    };
    if (t.count > 0) {
      lineIndent = this.indentAt(0);
      compound = this.startsCompound(0);
    }
    for (let i = 0; i < t.count; i++) {
      const k = t.kind[i];
      if (k === T_NEWLINE) {
        close(i, false);
        afterHeader = false;
        if (i + 1 < t.count) lineIndent = this.indentAt(i + 1);
        continue;
      }
      if (t.depth[i] !== 0) continue;
      if (k === T_KEYWORD && t.names[i] === 'lambda') lambdas++;
      else if (k === T_OP) {
        const op = t.op[i];
        if (op === SEMI) close(i, false);
        else if (op === EQUALS) lastEq = i;
        else if (op === COLON) {
          if (lambdas > 0) lambdas--;
          else if (compound) {
            close(i, true);
            afterHeader = true;
          }
        }
      }
    }
    if (first < t.count) close(t.count, false);
  }

  private startsCompound(i: number): boolean {
    const t = this.tokens;
    if (i >= t.count) return false;
    if (t.kind[i] === T_KEYWORD) return COMPOUND.has(t.names[i]);
    if (t.kind[i] === T_NAME && (t.names[i] === 'match' || t.names[i] === 'case')) {
      // Soft keywords: a header only if the line ends with `:` at depth 0 (`match = 1` is an assignment).
      const next = i + 1;
      if (next >= t.count || t.kind[next] === T_NEWLINE) return false;
      if (t.kind[next] === T_OP && t.op[next] === EQUALS) return false;
      for (let k = next; k < t.count; k++) {
        if (t.kind[k] === T_NEWLINE)
          return t.kind[k - 1] === T_OP && t.op[k - 1] === COLON && t.depth[k - 1] === 0;
      }
    }
    return false;
  }

  /** Indentation of the line holding token i (tabs to multiples of 8, as Python counts). */
  private indentAt(i: number): number {
    const s = this.tokens.start[i];
    let b = s;
    while (b > 0 && this.text[b - 1] !== '\n' && this.text[b - 1] !== '\r') b--;
    let col = 0;
    for (let k = b; k < s; k++) {
      const c = this.text[k];
      if (c === '\t') col = (Math.floor(col / 8) + 1) * 8;
      else if (c === '\f') col = 0;
      else col++;
    }
    return col;
  }

  /** Function and class scopes, from headers and the indentation of the lines that follow. */
  private blockScopes(found: Scope[]): void {
    const t = this.tokens;
    const open: { scope: Scope; indent: number }[] = [];
    const blocks: { stmt: number; indent: number }[] = [];
    const n = this.stmtFirst.length;
    let moduleIndentSet = false;
    let lineHeader = -1;
    for (let s = 0; s < n; s++) {
      const f0 = this.stmtFirst[s];
      const startsLine = f0 === 0 || t.kind[f0 - 1] === T_NEWLINE;
      const indent = this.stmtIndent[s];
      if (startsLine) {
        lineHeader = -1;
        if (!moduleIndentSet) {
          this.module.bodyIndent = indent;
          moduleIndentSet = true;
        }
        while (open.length > 0 && open[open.length - 1].indent >= indent) {
          (open.pop() as { scope: Scope }).scope.end = t.start[this.stmtFirst[s]];
        }
        while (blocks.length > 0 && blocks[blocks.length - 1].indent >= indent) {
          this.blockEnd[(blocks.pop() as { stmt: number }).stmt] = t.start[this.stmtFirst[s]];
        }
        const top = open[open.length - 1];
        if (top && top.scope.bodyIndent < 0) top.scope.bodyIndent = indent;
      }
      this.stmtBlock[s] =
        lineHeader >= 0 ? lineHeader : blocks.length > 0 ? blocks[blocks.length - 1].stmt : -1;
      if (!this.stmtHeader[s]) continue;
      {
        const colon = this.stmtEnd[s];
        if (colon + 1 < t.count && t.kind[colon + 1] === T_NEWLINE) blocks.push({ stmt: s, indent });
        else {
          let e = colon + 1;
          while (e < t.count && t.kind[e] !== T_NEWLINE) e++;
          this.blockEnd[s] = e < t.count ? t.end[e] : this.text.length + 1;
          lineHeader = s;
        }
      }
      let d = this.stmtFirst[s];
      if (t.kind[d] === T_KEYWORD && t.names[d] === 'async') d++;
      if (t.kind[d] !== T_KEYWORD || (t.names[d] !== 'def' && t.names[d] !== 'class')) continue;
      const isDef = t.names[d] === 'def';
      const colon = this.stmtEnd[s];
      let j = d + 2;
      if (isOp(t, j, LSQB) && t.match[j] > j) j = t.match[j] + 1;
      const scope: Scope = {
        id: 0,
        kind: isDef ? 'function' : 'class',
        start: 0,
        end: 0,
        holes: [],
        parent: null,
        bodyIndent: -1,
        nameTok: d + 1,
      };
      if (isDef) {
        if (!isOp(t, j, LPAR) || t.match[j] < 0 || t.match[j] > colon) continue;
        scope.start = t.start[j];
        this.defScopes.set(d + 1, scope);
        this.readParams(j + 1, t.match[j], scope, true);
        const ret = t.match[j] + 1;
        if (isOp(t, ret, OP_ARROW) && ret + 1 < colon)
          scope.holes.push({ start: t.start[ret + 1], end: t.start[colon] });
      } else {
        scope.start = t.end[colon];
      }
      found.push(scope);
      const nextTok = colon + 1;
      if (nextTok < t.count && t.kind[nextTok] === T_NEWLINE) {
        open.push({ scope, indent: this.stmtIndent[s] });
      } else {
        // One-line body: ends with the logical line.
        let e = nextTok;
        while (e < t.count && t.kind[e] !== T_NEWLINE) e++;
        scope.end = e < t.count ? t.end[e] : this.text.length + 1;
        scope.bodyIndent = this.stmtIndent[s];
      }
    }
    for (const b of blocks) this.blockEnd[b.stmt] = this.text.length + 1;
    for (const o of open) {
      o.scope.end = this.text.length + 1;
      if (o.scope.bodyIndent < 0) o.scope.bodyIndent = o.indent + 1;
    }
    for (const f of found) if (f.bodyIndent < 0) f.bodyIndent = 0;
  }

  /**
   * Reads a parameter list in tokens [from, to): records each name as a parameter of `scope`, and the
   * defaults and annotations (evaluated outside the function) as holes.
   */
  private readParams(from: number, to: number, scope: Scope, annotations: boolean): void {
    const t = this.tokens;
    const base = from < t.count ? t.depth[from] : 0;
    let expectName = true;
    for (let k = from; k < to; k++) {
      if (t.depth[k] !== base) continue;
      if (t.kind[k] === T_OP) {
        const op = t.op[k];
        if (op === COMMA) {
          expectName = true;
          continue;
        }
        if (op === STAR || op === OP_POW || op === SLASH) continue;
        if ((op === EQUALS || (op === COLON && annotations)) && k + 1 < to) {
          let e = k + 1;
          while (
            e < to &&
            !(t.depth[e] === base && t.kind[e] === T_OP && (t.op[e] === COMMA || t.op[e] === EQUALS))
          )
            e++;
          if (e > k + 1) {
            scope.holes.push({ start: t.start[k + 1], end: t.end[e - 1] });
            if (op === EQUALS) {
              // The default belongs to the parameter just before it.
              for (let p = k - 1; p >= from; p--) {
                const param = this.params.get(p);
                if (param && param.scope === scope) {
                  param.from = k + 1;
                  param.to = e;
                  break;
                }
                if (t.depth[p] === base && t.kind[p] === T_OP && t.op[p] === COMMA) break;
              }
            }
          }
          k = e - 1;
          continue;
        }
        continue;
      }
      if (t.kind[k] === T_NAME && expectName) {
        this.params.set(k, { scope, from: 0, to: 0 });
        expectName = false;
      }
    }
  }

  /** Lambda and comprehension scopes, which live inside expressions. */
  private expressionScopes(found: Scope[]): void {
    const t = this.tokens;
    const comprehensions = new Set<number>();
    const lambdas: number[] = [];
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] !== T_KEYWORD) continue;
      const w = t.names[i];
      if (w === 'lambda') lambdas.push(i);
      else if (w === 'for' && t.depth[i] > 0) {
        const bracket = t.parent[i];
        if (bracket < 0 || comprehensions.has(bracket)) continue;
        comprehensions.add(bracket);
        found.push(this.comprehensionScope(i, bracket));
      }
    }
    // Inner lambdas first: an outer lambda's scan then steps over each inner one in one move, which keeps
    // `lambda: lambda: ... lambda: 1` linear.
    const bodyEnd = new Map<number, number>();
    for (let k = lambdas.length - 1; k >= 0; k--) this.lambdaScope(lambdas[k], found, bodyEnd);
  }

  private comprehensionScope(forTok: number, bracket: number): Scope {
    const t = this.tokens;
    const d = t.depth[forTok];
    const close = t.match[bracket];
    const end = close >= 0 ? t.end[close] : this.text.length + 1;
    const scope: Scope = {
      id: 0,
      kind: 'comprehension',
      start: t.start[bracket],
      end,
      holes: [],
      parent: null,
      bodyIndent: 0,
    };
    // The first iterable is evaluated in the enclosing scope.
    let k = forTok + 1;
    while (k < t.count && t.depth[k] >= d && !(t.depth[k] === d && isKeyword(t, k, 'in'))) k = skip(t, k);
    if (k < t.count && t.depth[k] === d) {
      let e = k + 1;
      while (
        e < t.count &&
        t.depth[e] >= d &&
        !(t.depth[e] === d && (isKeyword(t, e, 'for') || isKeyword(t, e, 'if') || isKeyword(t, e, 'async')))
      ) {
        e = skip(t, e);
      }
      if (e > k + 1) scope.holes.push({ start: t.start[k + 1], end: t.end[e - 1] });
    }
    return scope;
  }

  /**
   * A lambda's scope: parameters up to its `:`, then a body that runs to the next `,`, `;`, `:`, `for` or
   * newline at the lambda's depth, or to the end of the enclosing bracket. `bodyEnd` holds the token
   * after the body of every lambda to the right, already computed.
   */
  private lambdaScope(l: number, found: Scope[], bodyEnd: Map<number, number>): void {
    const t = this.tokens;
    const d = t.depth[l];
    const step = (k: number): number =>
      isKeyword(t, k, 'lambda') && bodyEnd.has(k) ? (bodyEnd.get(k) as number) : skip(t, k);
    let colon = l + 1;
    while (
      colon < t.count &&
      t.depth[colon] >= d &&
      !(t.depth[colon] === d && t.kind[colon] === T_OP && t.op[colon] === COLON)
    ) {
      if (t.kind[colon] === T_NEWLINE) return;
      colon = step(colon);
    }
    if (colon >= t.count || t.depth[colon] !== d) return;
    const scope: Scope = {
      id: 0,
      kind: 'function',
      start: t.end[l],
      end: 0,
      holes: [],
      parent: null,
      bodyIndent: 0,
    };
    this.readParams(l + 1, colon, scope, false);
    let e = colon + 1;
    while (e < t.count && t.depth[e] >= d) {
      if (t.depth[e] === d) {
        const k = t.kind[e];
        if (k === T_NEWLINE) break;
        if (k === T_KEYWORD && (t.names[e] === 'for' || t.names[e] === 'async')) break;
        if (k === T_OP && (t.op[e] === COMMA || t.op[e] === SEMI || t.op[e] === COLON)) break;
      }
      e = step(e);
    }
    bodyEnd.set(l, e);
    scope.end = e > colon + 1 ? t.end[e - 1] : t.end[colon];
    found.push(scope);
  }

  /** The innermost scope whose code includes `offset`. */
  innermost(offset: number): Scope {
    const list = this.scopes;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    let s: Scope | null = list[lo];
    while (s && !scopeContains(s, offset)) s = s.parent;
    return s ?? this.module;
  }

  /** The `return` statements of a function scope (not of functions nested in it): [first, end) token ranges of their values. */
  returnsOf(scope: Scope, max: number): [number, number][] {
    const t = this.tokens;
    const out: [number, number][] = [];
    let lo = 0;
    let hi = this.stmtFirst.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.start[this.stmtFirst[mid]] < scope.start) lo = mid + 1;
      else hi = mid;
    }
    for (let s = lo; s < this.stmtFirst.length && out.length < max; s++) {
      const f = this.stmtFirst[s];
      if (t.start[f] >= scope.end) break;
      if (t.kind[f] === T_KEYWORD && t.names[f] === 'return' && this.innermost(t.start[f]) === scope) {
        out.push([f + 1, this.stmtEnd[s]]);
      }
    }
    return out;
  }

  /** The scope a name bound at `offset` belongs to (walrus targets skip comprehensions). */
  bindingScope(offset: number, skipComprehensions = false): Scope {
    let s: Scope | null = this.innermost(offset);
    while (skipComprehensions && s && s.kind === 'comprehension') {
      s = s.parent;
      while (s && !scopeContains(s, offset) && s.kind !== 'module') s = s.parent;
    }
    return s ?? this.module;
  }

  /** True when code at `offset` runs in a function, lambda or comprehension nested inside `outer`. */
  inFunctionWithin(offset: number, outer: Scope): boolean {
    let s: Scope | null = this.innermost(offset);
    while (s && s !== outer) {
      if (s.kind === 'function' || s.kind === 'comprehension') return true;
      s = s.parent;
    }
    return false;
  }

  /**
   * Whether a binding at token `tok` has certainly run when code at `offset` (later, in the same scope)
   * runs: the use comes after it in the same block, or in the body of the header that binds it
   * (`for x in ...:`, `with ... as x:`, `except E as x:`).
   */
  dominates(tok: number, offset: number): boolean {
    const s = this.stmtOf[tok];
    // A binding takes effect when its statement (or header) is done: `eval = eval` reads the old value.
    const endTok = this.stmtEnd[s];
    if (offset <= (endTok < this.tokens.count ? this.tokens.start[endTok] : this.text.length + 1))
      return false;
    const block = this.stmtHeader[s] && !this.isDefinition(s) ? s : this.stmtBlock[s];
    return block < 0 || offset < this.blockEnd[block];
  }

  /** A `def` or `class` header: its name binds in the enclosing block, not in its body. */
  private isDefinition(s: number): boolean {
    const t = this.tokens;
    let f = this.stmtFirst[s];
    if (t.kind[f] === T_KEYWORD && t.names[f] === 'async') f++;
    return t.kind[f] === T_KEYWORD && (t.names[f] === 'def' || t.names[f] === 'class');
  }

  /**
   * Whether the statement holding token `tok` binds only on some paths in `scope`: inside an `if`, `try`,
   * loop, `with` or `match` (more indented than the scope's body, after a header on the same line, or in
   * a header itself, as a `for` target is).
   */
  isConditional(tok: number, scope: Scope): boolean {
    const s = this.stmtOf[tok];
    if (this.stmtAfterHeader[s] || this.stmtIndent[s] > scope.bodyIndent) return true;
    return this.stmtHeader[s] === 1 && !this.isDefinition(s);
  }
}

function isKeyword(t: PythonTokens, i: number, word: string): boolean {
  return t.kind[i] === T_KEYWORD && t.names[i] === word;
}

function isOp(t: PythonTokens, i: number, code: number): boolean {
  return i < t.count && t.kind[i] === T_OP && t.op[i] === code;
}

/** The next token after `i`, stepping over a bracketed group when `i` opens one. */
function skip(t: PythonTokens, i: number): number {
  const m = t.match[i];
  if (m > i && t.kind[i] === T_OP && (t.op[i] === 40 || t.op[i] === 91 || t.op[i] === 123)) return m;
  return i + 1;
}
