import {
  OP_WALRUS,
  T_FEND,
  T_KEYWORD,
  T_NAME,
  T_NEWLINE,
  T_OP,
  T_STRING,
  type PythonTokens,
} from './pythonLexer';
import type { PythonStructure } from './pythonStructure';

/** Questions about a token's surroundings that the token stream answers without the syntax tree. */

const DOT = 46;
const COMMA = 44;
const EQUALS = 61;
const COLON = 58;
const SEMI = 59;
const LPAR = 40;
const RPAR = 41;
const LSQB = 91;
const RSQB = 93;
const LBRACE = 123;
const RBRACE = 125;

function isKeyword(t: PythonTokens, i: number, word: string): boolean {
  return i >= 0 && i < t.count && t.kind[i] === T_KEYWORD && t.names[i] === word;
}

/** Whether token `tok` sits between a `for` and its `in` (a loop target such as `for a, b in`). */
export function inForTarget(t: PythonTokens, tok: number): boolean {
  const d = t.depth[tok];
  for (let k = tok - 1, n = 0; k >= 0 && n < 64; k--, n++) {
    if (t.kind[k] === T_NEWLINE || t.depth[k] < d - 2) return false;
    if (t.kind[k] === T_KEYWORD) {
      const w = t.names[k];
      if (w === 'for') return true;
      if (w === 'in' || w === 'lambda' || w === 'if' || w === 'import') return false;
    }
    if (t.kind[k] === T_OP && (t.op[k] === EQUALS || t.op[k] === COLON) && t.depth[k] <= d) return false;
  }
  return false;
}

/** Where the iterable of `for <target> in <iterable>` ends: the header's `:` or the comprehension's next clause. */
export function iterableEnd(t: PythonTokens, st: PythonStructure, target: number, from: number): number {
  const d = t.depth[target];
  if (d === 0) return st.stmtEnd[st.stmtOf[target]];
  let e = from;
  while (e < t.count && t.depth[e] >= d) {
    if (t.depth[e] === d && (isKeyword(t, e, 'for') || isKeyword(t, e, 'if') || isKeyword(t, e, 'async')))
      break;
    if (
      t.depth[e] === d &&
      t.kind[e] === T_OP &&
      (t.op[e] === RPAR || t.op[e] === RSQB || t.op[e] === RBRACE)
    )
      break;
    const m = t.match[e];
    e = m > e ? m + 1 : e + 1;
  }
  return e;
}

/** An opening `(` or `[` that follows an expression: a call or subscript, not a display. */
export function isCallOrSubscript(t: PythonTokens, bracket: number): boolean {
  const p = bracket - 1;
  if (p < 0 || t.op[bracket] === LBRACE) return true;
  const k = t.kind[p];
  if (k === T_NAME || k === T_STRING || k === T_FEND) return true;
  return k === T_OP && (t.op[p] === RPAR || t.op[p] === RSQB || t.op[p] === RBRACE);
}

/**
 * Whether the expression starting at `tok` can be stored under a name: the value of an assignment,
 * default, walrus or `for` iterable, or an element of a tuple or list display. A call argument, a
 * subscript or a dict value cannot.
 */
export function mayFlowIntoName(t: PythonTokens, st: PythonStructure, tok: number): boolean {
  const prev = tok - 1;
  if (prev < 0) return false;
  if (t.kind[prev] === T_KEYWORD) {
    const w = t.names[prev];
    if (w === 'in') return inForTarget(t, prev);
    return w === 'else' || w === 'or' || w === 'and';
  }
  if (t.kind[prev] !== T_OP) return false;
  const op = t.op[prev];
  if (op === OP_WALRUS) return true;
  if (op === EQUALS) {
    if (t.depth[prev] === 0) return true;
    // A default in `def f(x=value)` flows into the parameter; a keyword argument does not.
    return isKeyword(t, t.parent[prev] - 2, 'def');
  }
  if (op === COMMA || op === LPAR || op === LSQB) {
    const bracket = op === COMMA ? t.parent[prev] : prev;
    if (bracket >= 0) return !isCallOrSubscript(t, bracket);
    const s = st.stmtOf[tok];
    return (st.stmtLastEq[s] >= 0 && st.stmtLastEq[s] < tok) || isKeyword(t, st.stmtFirst[s], 'for');
  }
  if (op !== COLON) return false;
  // `f = lambda: value`: a lambda earlier in the same logical line.
  for (let k = prev - 1, n = 0; k >= 0 && n < 512 && t.kind[k] !== T_NEWLINE; k--, n++) {
    if (isKeyword(t, k, 'lambda')) return true;
  }
  return false;
}

/** Whether token `next` ends the expression before it (rather than continuing it with an operator). */
export function endsValue(t: PythonTokens, next: number): boolean {
  if (next >= t.count) return true;
  const k = t.kind[next];
  if (k === T_NEWLINE) return true;
  if (k === T_KEYWORD) {
    const w = t.names[next];
    return w === 'if' || w === 'else' || w === 'or' || w === 'and' || w === 'for' || w === 'async';
  }
  if (k !== T_OP) return false;
  const op = t.op[next];
  return (
    op === COMMA ||
    op === RPAR ||
    op === RSQB ||
    op === RBRACE ||
    op === SEMI ||
    op === COLON ||
    op === EQUALS
  );
}

/**
 * For `name = <value>` as a whole statement, where the value spans tokens [first, last]: the token of
 * `name`; otherwise -1.
 */
export function simpleAssignmentTarget(
  t: PythonTokens,
  st: PythonStructure,
  first: number,
  last: number,
): number {
  const eq = first - 1;
  const target = first - 2;
  if (target < 0 || t.kind[eq] !== T_OP || t.op[eq] !== EQUALS || t.kind[target] !== T_NAME) return -1;
  const s = st.stmtOf[first];
  return st.stmtFirst[s] === target && st.stmtLastEq[s] === eq && st.stmtEnd[s] === last + 1 ? target : -1;
}

/** Whether tokens [from, to) are a plain dotted name `a.b.c`. */
export function isDottedName(t: PythonTokens, from: number, to: number): boolean {
  if (to <= from || t.kind[from] !== T_NAME) return false;
  for (let k = from + 1; k < to; k += 2) {
    if (t.kind[k] !== T_OP || t.op[k] !== DOT || k + 1 >= to) return false;
    if (t.kind[k + 1] !== T_NAME && t.kind[k + 1] !== T_KEYWORD) return false;
  }
  return true;
}

/**
 * The first token of the expression whose attribute is token `attr` (`self` in `self.run`, `A` in
 * `A().run`, `x` in `x[0].run`), stepping back over dots, calls and subscripts.
 */
export function chainHead(t: PythonTokens, attr: number, maxSteps: number): number {
  let head = attr - 2;
  for (let n = 0; head >= 0 && n < maxSteps; n++) {
    if (t.kind[head] === T_OP && t.match[head] >= 0 && t.match[head] < head) {
      head = t.match[head];
      const before = head - 1;
      // `f(...)` or `x[...]`: the call or subscript belongs to the chain.
      if (
        before >= 0 &&
        (t.kind[before] === T_NAME ||
          (t.kind[before] === T_OP && t.match[before] >= 0 && t.match[before] < before))
      ) {
        head = before;
        continue;
      }
    }
    if (head >= 2 && t.kind[head - 1] === T_OP && t.op[head - 1] === DOT) head -= 2;
    else break;
  }
  return Math.max(0, head);
}
