import type { JsContext } from './javascriptContext';
import { cookIdentifier } from './javascriptLiterals';
import { evalValue } from './javascriptEval';
import { flow, type AliasSink } from './javascriptFlow';
import { fold } from './javascriptFold';
import { member } from './javascriptValues';
import type { SyntaxNode } from './types';

/**
 * The `Function` constructor without the name `Function`: `(() => {}).constructor`,
 * `[].constructor.constructor`, `Object.getPrototypeOf(async function () {}).constructor`, and the same with
 * computed keys (`[]['constr' + 'uctor']`, `x[c][c]` with `const c = 'constructor'`).
 */
export function collectConstructors(ctx: JsContext, alias: AliasSink): void {
  const text = ctx.text;
  for (const o of ctx.occurrences('constructor')) {
    // Only `.constructor` (class constructors and object keys are not accesses); a comment may sit between.
    const c = text[prevSignificant(text, o.start)];
    if (c !== '.' && c !== '/') continue;
    const prop = ctx.nodeAt(o.start, o.end);
    const p = prop && ctx.parent(prop);
    if (!p || ctx.type(p) !== 'member_expression' || !ctx.isField(p, 'property', prop)) continue;
    start(ctx, p, ctx.field(p, 'object'), alias);
  }
  const found: SyntaxNode[] = [];
  const declared = () => ctx.stringDeclarations();
  ctx.lexicalConstants = lexicalConstants(ctx, declared);
  try {
    for (const s of computedSubscripts(ctx, declared))
      if (fold(ctx, ctx.field(s, 'index')) === 'constructor') found.push(s);
  } finally {
    ctx.lexicalConstants = undefined;
  }
  for (const s of found) start(ctx, s, ctx.field(s, 'object'), alias);
}

/** Objects whose `constructor` is worth evaluating precisely up front (cheap, and often `Function`). */
const EVALUATED_OBJECTS = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'generator_function',
  'class',
  'call_expression',
  'parenthesized_expression',
]);

function start(ctx: JsContext, access: SyntaxNode, object: SyntaxNode | null, alias: AliasSink): void {
  // A name's value costs a scan of its uses; `x.constructor` of an unknown x is followed as "some
  // constructor" instead, and a call of it is re-checked precisely (see recordCall).
  let v = member(undefined, 'constructor');
  if (object && worthEvaluating(ctx, object)) {
    v = member(evalValue(ctx, object), 'constructor');
  }
  if (v) flow(ctx, access, v, true, alias);
}

/** Literals and calls, possibly behind `.__proto__` (`(() => {}).__proto__.constructor`). */
function worthEvaluating(ctx: JsContext, object: SyntaxNode): boolean {
  if (ctx.type(object) === 'identifier') return ctx.functionNames().has(cookIdentifier(ctx.source(object)));
  let o: SyntaxNode | null = object;
  for (let i = 0; o && i < 4; i++) {
    const t = ctx.type(o);
    if (EVALUATED_OBJECTS.has(t)) return true;
    const prop = t === 'member_expression' ? ctx.field(o, 'property') : null;
    if (!prop || ctx.source(prop) !== '__proto__') return false;
    o = ctx.field(o, 'object');
  }
  return false;
}

/**
 * Name → constant by declaration alone (`const c = 'constr' + 'uctor'`), ignoring scopes: if any
 * declaration of the name folds to `constructor`, that is its value.
 */
function lexicalConstants(ctx: JsContext, declared: () => Map<string, number[]>): (name: string) => unknown {
  const memo = new Map<string, unknown>();
  return (name) => {
    if (memo.has(name)) return memo.get(name);
    memo.set(name, undefined);
    let value: unknown;
    for (const at of declared().get(name) ?? []) {
      const id = ctx.nodeAt(at, at + name.length);
      const d = id && ctx.parent(id);
      if (!d || ctx.type(d) !== 'variable_declarator' || !ctx.isField(d, 'name', id)) continue;
      const v = fold(ctx, ctx.field(d, 'value'));
      if (v !== undefined && (value === undefined || v === 'constructor')) value = v;
    }
    memo.set(name, value);
    return value;
  };
}

/** Calls that can turn literals into a string key (so an index starting with one may fold to `constructor`). */
const DECODERS = /(?:String|atob|Buffer|decodeURI|decodeURIComponent|unescape|JSON|Array)\b/y;

/** `[A-Za-z_$]`, as the first character of an ASCII identifier. */
function identStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** `[\w$]`. */
function identPart(c: number): boolean {
  return identStart(c) || (c >= 48 && c <= 57);
}

/**
 * Subscripts whose key might fold to a string: the index starts with a literal, a decoding call, or a name
 * declared with a string-like initializer. `a[i]`, `a[0]`, `a[i + 1]` are skipped without touching the tree.
 */
function computedSubscripts(ctx: JsContext, declared: () => Map<string, number[]>): SyntaxNode[] {
  const text = ctx.text;
  const out: SyntaxNode[] = [];
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
    let j = i + 1;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    const c = text[j];
    if (c === undefined || c === ']' || (c >= '0' && c <= '9') || c === '-' || c === '.') continue;
    let candidate = c === "'" || c === '"' || c === '`' || c === '(' || c === '[';
    if (!candidate) {
      // Without `exec`: `a[i]` is everywhere, and a match array per subscript was this pass's garbage.
      const w = text.charCodeAt(j);
      if (!identStart(w)) continue;
      DECODERS.lastIndex = j;
      if (DECODERS.test(text)) candidate = true;
      else {
        let k = j + 1;
        while (k < text.length && identPart(text.charCodeAt(k))) k++;
        candidate = declared().has(text.slice(j, k));
      }
    }
    if (!candidate) continue;
    const before = prevSignificant(text, i);
    const b = text.charCodeAt(before);
    const operand =
      isWordCode(b) || b === 41 || b === 93 || b === 39 || b === 34 || b === 96 || b === 46 || b === 47;
    if (!operand || ctx.isMasked(i)) continue;
    const tok = ctx.root.descendantForIndex(i, i + 1);
    const s = tok && ctx.parent(tok);
    if (s && ctx.type(s) === 'subscript_expression') out.push(s);
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
}

function isWordCode(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127
  );
}

/** Index of the last non-space character before `pos` (-1 if none). */
function prevSignificant(text: string, pos: number): number {
  let i = pos - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i;
}

/**
 * Tree-sitter reads a line starting with `-->` as an HTML-like comment, as scripts do; ES modules do not,
 * and run what follows. Such a "comment" mentioning a loader or code evaluation is reported.
 */
export function collectHtmlComments(ctx: JsContext): void {
  const text = ctx.text;
  for (let i = text.indexOf('-->'); i >= 0; i = text.indexOf('-->', i + 3)) {
    if (ctx.isMasked(i)) continue;
    const node = ctx.root.descendantForIndex(i, i + 3);
    if (!node || ctx.type(node) !== 'html_comment') continue;
    const body = ctx.source(node);
    if (/\b(?:require|import|eval|Function|process|constructor|globalThis|fetch)\b/.test(body)) {
      ctx.facts.dynamicImports.push({
        start: node.startIndex,
        end: node.endIndex,
        reason: 'code after a `-->` line is a comment to scripts but runs in ES modules',
      });
    }
  }
}
