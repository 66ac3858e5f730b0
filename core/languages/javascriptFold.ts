import { LIMITS } from './javascriptConstants';
import type { JsContext } from './javascriptContext';
import {
  cookIdentifier,
  cookLiteral,
  decodeBytes,
  encodeBytes,
  latin1,
  base64Bytes,
  parseNumber,
} from './javascriptLiterals';
import type { Binding } from './javascriptNames';
import type { SyntaxNode } from './types';

/** The bytes of a `Buffer` built from constants (`Buffer.from('Y3A=', 'base64')`). */
export class Bytes {
  constructor(readonly bytes: readonly number[]) {}
}

/** A statically known value. */
export type Const = string | number | boolean | null | Bytes | readonly Const[];

/** Values of the parameters of a callback being folded (`.map(c => String.fromCharCode(c))`). */
type Env = ReadonlyMap<string, Const>;

/** Array methods that do not change the array: a constant array bound to a name stays constant under them. */
const READ_ONLY_METHODS = new Set([
  'join',
  'concat',
  'slice',
  'at',
  'indexOf',
  'lastIndexOf',
  'includes',
  'toString',
  'length',
  'map',
  'filter',
  'find',
  'some',
  'every',
  'reduce',
  'forEach',
  'flat',
  'toReversed',
  'toSorted',
  'entries',
  'keys',
  'values',
]);

const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
]);

/**
 * Folds an expression to a constant where JavaScript semantics make the value static: literals with
 * escapes, `+`, templates, `[...].join('')`, `.split('').reverse().join('')`, `String.fromCharCode`, `atob`,
 * `Buffer.from(..., 'base64').toString()`, simple `.map` callbacks and `const` (or never reassigned) names.
 * Bounded in depth, length and total steps, so hostile input yields `undefined` rather than a hang.
 */
export function fold(
  ctx: JsContext,
  node: SyntaxNode | null | undefined,
  depth = 0,
  env?: Env,
): Const | undefined {
  if (!node || depth > LIMITS.depth || !ctx.step()) return undefined;
  const t = ctx.type(node);
  if (TRANSPARENT.has(t)) return fold(ctx, named(ctx, node)[0], depth + 1, env);
  switch (t) {
    case 'string':
      return stringLiteral(ctx, node);
    case 'template_string':
      return template(ctx, node, depth, env, false);
    case 'number':
      return parseNumber(ctx.source(node));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'type_assertion':
    case 'sequence_expression': {
      const kids = named(ctx, node);
      return fold(ctx, kids[kids.length - 1], depth + 1, env);
    }
    case 'binary_expression':
      return binary(ctx, node, depth, env);
    case 'unary_expression':
      return unary(ctx, node, depth, env);
    case 'ternary_expression': {
      const c = fold(ctx, ctx.field(node, 'condition'), depth + 1, env);
      if (c === undefined) return undefined;
      return fold(ctx, ctx.field(node, truthy(c) ? 'consequence' : 'alternative'), depth + 1, env);
    }
    case 'array':
      return array(ctx, node, depth, env);
    case 'identifier':
      return identifier(ctx, node, depth, env);
    case 'member_expression': {
      const prop = ctx.field(node, 'property');
      if (!prop || cookIdentifier(ctx.source(prop)) !== 'length') return undefined;
      return lengthOf(fold(ctx, ctx.field(node, 'object'), depth + 1, env));
    }
    case 'subscript_expression': {
      const obj = fold(ctx, ctx.field(node, 'object'), depth + 1, env);
      const idx = fold(ctx, ctx.field(node, 'index'), depth + 1, env);
      return index(obj, idx);
    }
    case 'call_expression':
      return call(ctx, node, depth, env);
    default:
      return undefined;
  }
}

/** Named children that are not comments. */
export function named(ctx: JsContext, node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const c of node.namedChildren) {
    if (!c) continue;
    const t = ctx.type(c);
    if (t !== 'comment' && t !== 'html_comment') out.push(c);
  }
  return out;
}

function stringLiteral(ctx: JsContext, node: SyntaxNode): string | undefined {
  const src = ctx.source(node);
  if (src.length < 2 || src[src.length - 1] !== src[0]) return undefined;
  return cookLiteral(src.slice(1, -1), false);
}

function template(
  ctx: JsContext,
  node: SyntaxNode,
  depth: number,
  env: Env | undefined,
  raw: boolean,
): string | undefined {
  const src = ctx.text;
  const end = node.endIndex - 1;
  if (src[end] !== '`' || end <= node.startIndex) return undefined;
  let pos = node.startIndex + 1;
  let out = '';
  for (const sub of named(ctx, node)) {
    if (ctx.type(sub) !== 'template_substitution') continue;
    const part = raw ? src.slice(pos, sub.startIndex) : cookLiteral(src.slice(pos, sub.startIndex), true);
    if (part === undefined) return undefined;
    const v = fold(ctx, named(ctx, sub)[0], depth + 1, env);
    if (v === undefined) return undefined;
    out += part + toStr(v);
    if (out.length > LIMITS.foldLength) return undefined;
    pos = sub.endIndex;
  }
  const last = raw ? src.slice(pos, end) : cookLiteral(src.slice(pos, end), true);
  if (last === undefined) return undefined;
  out += last;
  return out.length > LIMITS.foldLength ? undefined : out;
}

function operator(ctx: JsContext, node: SyntaxNode): string {
  const op = ctx.field(node, 'operator');
  return op ? ctx.source(op) : '';
}

function binary(ctx: JsContext, node: SyntaxNode, depth: number, env: Env | undefined): Const | undefined {
  const op = operator(ctx, node);
  if (op === '+') {
    // `'a' + 'b' + ... + 'z'` nests to the left as deep as it is long: walk the spine iteratively.
    const rights: SyntaxNode[] = [];
    let cur: SyntaxNode | null = node;
    while (cur && ctx.type(cur) === 'binary_expression' && operator(ctx, cur) === '+') {
      const r = ctx.field(cur, 'right');
      if (!r || !ctx.step()) return undefined;
      rights.push(r);
      cur = ctx.field(cur, 'left');
    }
    let acc = fold(ctx, cur, depth + 1, env);
    for (let i = rights.length - 1; i >= 0 && acc !== undefined; i--) {
      const r = fold(ctx, rights[i], depth + 1, env);
      acc = r === undefined ? undefined : plus(acc, r);
    }
    return acc;
  }
  const l = fold(ctx, ctx.field(node, 'left'), depth + 1, env);
  if (l === undefined) return undefined;
  if (op === '||') return truthy(l) ? l : fold(ctx, ctx.field(node, 'right'), depth + 1, env);
  if (op === '&&') return truthy(l) ? fold(ctx, ctx.field(node, 'right'), depth + 1, env) : l;
  if (op === '??') return l !== null ? l : fold(ctx, ctx.field(node, 'right'), depth + 1, env);
  const r = fold(ctx, ctx.field(node, 'right'), depth + 1, env);
  if (r === undefined) return undefined;
  const a = toNum(l);
  const b = toNum(r);
  switch (op) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '**':
      return Math.abs(b) > 64 ? undefined : a ** b;
    case '|':
      return a | b;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '>>>':
      return a >>> b;
    case '===':
    case '==':
      return typeof l === typeof r ? l === r : undefined;
    case '!==':
    case '!=':
      return typeof l === typeof r ? l !== r : undefined;
    default:
      return undefined;
  }
}

function unary(ctx: JsContext, node: SyntaxNode, depth: number, env: Env | undefined): Const | undefined {
  const op = operator(ctx, node);
  const v = fold(ctx, ctx.field(node, 'argument'), depth + 1, env);
  if (v === undefined) return undefined;
  switch (op) {
    case '-':
      return -toNum(v);
    case '+':
      return toNum(v);
    case '~':
      return ~toNum(v);
    case '!':
      return !truthy(v);
    case 'typeof':
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? typeof v : 'object';
    default:
      return undefined;
  }
}

function array(ctx: JsContext, node: SyntaxNode, depth: number, env: Env | undefined): Const[] | undefined {
  const out: Const[] = [];
  for (const el of named(ctx, node)) {
    if (ctx.type(el) === 'spread_element') {
      const v = fold(ctx, named(ctx, el)[0], depth + 1, env);
      if (typeof v === 'string') out.push(...v);
      else if (Array.isArray(v)) out.push(...(v as Const[]));
      else return undefined;
    } else {
      const v = fold(ctx, el, depth + 1, env);
      if (v === undefined) return undefined;
      out.push(v);
    }
    if (out.length > LIMITS.foldLength) return undefined;
  }
  return out;
}

function identifier(
  ctx: JsContext,
  node: SyntaxNode,
  depth: number,
  env: Env | undefined,
): Const | undefined {
  const name = cookIdentifier(ctx.source(node));
  if (env?.has(name)) return env.get(name);
  if (ctx.lexicalConstants) return ctx.lexicalConstants(name) as Const | undefined;
  if (!ctx.initialized(name)) return name === 'NaN' ? NaN : name === 'Infinity' ? Infinity : undefined;
  const b = ctx.names.resolve(name, node.startIndex);
  if (!b) return name === 'NaN' ? NaN : name === 'Infinity' ? Infinity : undefined;
  if (ctx.inWith(node.startIndex)) return undefined;
  return bindingConstant(ctx, b, depth);
}

/** The constant a binding always holds, if it has one: `const`, or `let`/`var` never written again. */
export function bindingConstant(ctx: JsContext, b: Binding, depth: number): Const | undefined {
  if (b.constState === 2) return b.constant as Const | undefined;
  if (b.constState === 1) return undefined;
  b.constState = 1;
  let v: Const | undefined;
  const fixed =
    b.kind === 'const' || ((b.kind === 'let' || b.kind === 'var') && !b.opaque && b.writes.length === 0);
  if (fixed && b.init && b.defaults.length === 0) {
    v = fold(ctx, b.init, depth + 1);
    for (const step of b.path) {
      if (v === undefined || step === null || !Array.isArray(v)) {
        v = undefined;
        break;
      }
      v = (v as Const[])[Number(step)];
    }
    // Arrays and buffers are mutable: only trust them when every use of the name leaves them as they are.
    if ((Array.isArray(v) || v instanceof Bytes) && !ctx.names.readsOf(b).every((r) => readOnlyUse(ctx, r)))
      v = undefined;
  }
  b.constant = v;
  b.constState = 2;
  return v;
}

function readOnlyUse(ctx: JsContext, ref: SyntaxNode): boolean {
  const p = ctx.parent(ref);
  if (!p) return false;
  const pt = ctx.type(p);
  if (pt === 'spread_element') return true;
  if (pt === 'member_expression') {
    const prop = ctx.field(p, 'property');
    return prop !== null && READ_ONLY_METHODS.has(ctx.source(prop));
  }
  if (pt === 'subscript_expression' && ctx.isField(p, 'object', ref)) {
    const gp = ctx.parent(p);
    const gt = gp ? ctx.type(gp) : '';
    if (gt === 'update_expression' || gt === 'augmented_assignment_expression') return false;
    return !(gt === 'assignment_expression' && gp && ctx.isField(gp, 'left', p));
  }
  return false;
}

function call(ctx: JsContext, node: SyntaxNode, depth: number, env: Env | undefined): Const | undefined {
  const callee = ctx.field(node, 'function');
  const argsNode = ctx.field(node, 'arguments');
  if (!callee || !argsNode) return undefined;
  const ct = ctx.type(callee);
  if (ctx.type(argsNode) === 'template_string') {
    return isGlobalMember(ctx, callee, 'String', 'raw')
      ? template(ctx, argsNode, depth, env, true)
      : undefined;
  }
  if (ct === 'identifier') {
    const args = argList(ctx, argsNode, depth, env);
    if (!args) return undefined;
    const fname = cookIdentifier(ctx.source(callee));
    if (shadowed(ctx, fname, callee.startIndex)) return undefined;
    return globalFunction(fname, args);
  }
  let method: string | undefined;
  let recv: SyntaxNode | null = null;
  if (ct === 'member_expression') {
    const prop = ctx.field(callee, 'property');
    method = prop ? cookIdentifier(ctx.source(prop)) : undefined;
    recv = ctx.field(callee, 'object');
  } else if (ct === 'subscript_expression') {
    const k = fold(ctx, ctx.field(callee, 'index'), depth + 1, env);
    method = typeof k === 'string' ? k : undefined;
    recv = ctx.field(callee, 'object');
  }
  if (method === undefined || !recv) return undefined;
  if (method === 'map' || method === 'reduce') return callback(ctx, recv, method, argsNode, depth, env);
  const args = argList(ctx, argsNode, depth, env);
  if (!args) return undefined;
  if (ctx.type(recv) === 'identifier') {
    const rname = cookIdentifier(ctx.source(recv));
    if (
      (rname === 'String' || rname === 'Array' || rname === 'Buffer' || rname === 'JSON') &&
      !shadowed(ctx, rname, recv.startIndex)
    ) {
      return staticCall(rname, method, args);
    }
  }
  const r = fold(ctx, recv, depth + 1, env);
  if (r === undefined) return undefined;
  return bounded(methodCall(r, method, args));
}

/** Folds arguments, expanding spreads; undefined if any is unknown. */
function argList(
  ctx: JsContext,
  argsNode: SyntaxNode,
  depth: number,
  env: Env | undefined,
): Const[] | undefined {
  const out: Const[] = [];
  for (const a of named(ctx, argsNode)) {
    if (ctx.type(a) === 'spread_element') {
      const v = fold(ctx, named(ctx, a)[0], depth + 1, env);
      if (typeof v === 'string') out.push(...v);
      else if (Array.isArray(v)) out.push(...(v as Const[]));
      else return undefined;
      continue;
    }
    const v = fold(ctx, a, depth + 1, env);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function isGlobalMember(ctx: JsContext, node: SyntaxNode, object: string, prop: string): boolean {
  if (ctx.type(node) !== 'member_expression') return false;
  const o = ctx.field(node, 'object');
  const p = ctx.field(node, 'property');
  return (
    !!o &&
    !!p &&
    ctx.type(o) === 'identifier' &&
    cookIdentifier(ctx.source(o)) === object &&
    cookIdentifier(ctx.source(p)) === prop &&
    !shadowed(ctx, object, o.startIndex)
  );
}

/** Whether a global name (`String`, `atob`) is shadowed by a local binding where it is used. */
function shadowed(ctx: JsContext, name: string, offset: number): boolean {
  return ctx.lexicalConstants ? false : !!ctx.names.resolve(name, offset);
}

/** `.map(c => ...)`, `.map(String.fromCharCode)` and `.reduce((a, c) => ..., init)` over a constant array. */
function callback(
  ctx: JsContext,
  recv: SyntaxNode,
  method: 'map' | 'reduce',
  argsNode: SyntaxNode,
  depth: number,
  env: Env | undefined,
): Const | undefined {
  const r = fold(ctx, recv, depth + 1, env);
  const items = typeof r === 'string' ? undefined : Array.isArray(r) ? (r as Const[]) : undefined;
  if (!items) return undefined;
  const [fn, init] = named(ctx, argsNode);
  if (!fn) return undefined;
  if (method === 'map' && isGlobalMember(ctx, fn, 'String', 'fromCharCode')) {
    // map passes (item, index, array): fromCharCode reads all three, as JavaScript does.
    const out: Const[] = [];
    for (let i = 0; i < items.length; i++) {
      const s = staticCall('String', 'fromCharCode', [items[i], i, items]);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const t = ctx.type(fn);
  if (t !== 'arrow_function' && t !== 'function_expression') return undefined;
  const params = paramNames(ctx, fn);
  let body = ctx.field(fn, 'body');
  if (!params || !body) return undefined;
  if (ctx.type(body) === 'statement_block') {
    const stmts = named(ctx, body);
    if (stmts.length !== 1 || ctx.type(stmts[0]) !== 'return_statement') return undefined;
    body = named(ctx, stmts[0])[0] ?? null;
    if (!body) return undefined;
  }
  if (method === 'map') {
    const out: Const[] = [];
    for (let i = 0; i < items.length; i++) {
      const v = fold(ctx, body, depth + 1, withParams(env, params, [items[i], i, items]));
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  let acc: Const | undefined = init ? fold(ctx, init, depth + 1, env) : items[0];
  for (let i = init ? 0 : 1; i < items.length && acc !== undefined; i++) {
    acc = bounded(fold(ctx, body, depth + 1, withParams(env, params, [acc, items[i], i, items])));
  }
  return acc;
}

function paramNames(ctx: JsContext, fn: SyntaxNode): string[] | undefined {
  const single = ctx.field(fn, 'parameter');
  if (single) return [cookIdentifier(ctx.source(single))];
  const params = ctx.field(fn, 'parameters');
  if (!params) return undefined;
  const out: string[] = [];
  for (const p of named(ctx, params)) {
    const id = ctx.type(p) === 'identifier' ? p : ctx.field(p, 'pattern');
    if (!id || ctx.type(id) !== 'identifier') return undefined;
    out.push(cookIdentifier(ctx.source(id)));
  }
  return out;
}

function withParams(env: Env | undefined, names: string[], values: Const[]): Env {
  const m = new Map(env ?? []);
  names.forEach((n, i) => m.set(n, values[i] ?? null));
  return m;
}

function globalFunction(name: string, args: Const[]): Const | undefined {
  const a = args[0];
  try {
    switch (name) {
      case 'atob': {
        const bytes = typeof a === 'string' ? base64Bytes(a) : undefined;
        return bytes ? latin1(bytes) : undefined;
      }
      case 'decodeURIComponent':
        return typeof a === 'string' ? decodeURIComponent(a) : undefined;
      case 'decodeURI':
        return typeof a === 'string' ? decodeURI(a) : undefined;
      case 'unescape':
        return typeof a === 'string' ? unescape(a) : undefined;
      case 'String':
        return a === undefined ? '' : toStr(a);
      case 'Number':
        return a === undefined ? 0 : toNum(a);
      case 'parseInt': {
        const radix = args[1];
        return typeof a === 'string' || typeof a === 'number'
          ? parseInt(String(a), typeof radix === 'number' ? radix : undefined)
          : undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

function staticCall(receiver: string, method: string, args: Const[]): Const | undefined {
  try {
    if (receiver === 'String') {
      if ((method === 'fromCharCode' || method === 'fromCodePoint') && args.length <= LIMITS.foldLength) {
        const codes = args.map(toNum);
        if (method === 'fromCharCode')
          return String.fromCharCode(...codes.map((c) => (Number.isFinite(c) ? c : 0)));
        return String.fromCodePoint(...codes);
      }
      return undefined;
    }
    if (receiver === 'Array') {
      if (method === 'from')
        return typeof args[0] === 'string'
          ? [...args[0]]
          : Array.isArray(args[0])
            ? [...(args[0] as Const[])]
            : undefined;
      if (method === 'of') return [...args];
      return undefined;
    }
    if (receiver === 'Buffer' && method === 'from') {
      const [src, enc] = args;
      if (typeof src === 'string') {
        const bytes = encodeBytes(src, typeof enc === 'string' ? enc : 'utf8');
        return bytes ? new Bytes(bytes) : undefined;
      }
      if (Array.isArray(src) && src.every((b) => typeof b === 'number'))
        return new Bytes((src as number[]).map((b) => b & 0xff));
      return undefined;
    }
    if (receiver === 'JSON' && method === 'parse' && typeof args[0] === 'string') {
      const v: unknown = JSON.parse(args[0]);
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null
        ? v
        : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function methodCall(r: Const, method: string, args: Const[]): Const | undefined {
  const [a, b] = args;
  if (r instanceof Bytes) {
    if (method === 'toString') return decodeBytes(r.bytes, typeof a === 'string' ? a : 'utf8');
    return undefined;
  }
  if (typeof r === 'string') {
    switch (method) {
      case 'split': {
        if (a === undefined) return [r];
        if (typeof a !== 'string') return undefined;
        const parts = r.split(a);
        return typeof b === 'number' ? parts.slice(0, b) : parts;
      }
      case 'concat':
        return r + args.map(toStr).join('');
      case 'toLowerCase':
      case 'toLocaleLowerCase':
        return r.toLowerCase();
      case 'toUpperCase':
      case 'toLocaleUpperCase':
        return r.toUpperCase();
      case 'slice':
        return r.slice(optNum(a), optNum(b));
      case 'substring':
        return r.substring(toNum(a ?? 0), optNum(b));
      case 'substr':
        return r.substr(toNum(a ?? 0), optNum(b));
      case 'charAt':
        return r.charAt(toNum(a ?? 0));
      case 'at':
        return r.at(toNum(a ?? 0));
      case 'charCodeAt':
        return r.charCodeAt(toNum(a ?? 0));
      case 'codePointAt':
        return r.codePointAt(toNum(a ?? 0));
      case 'repeat': {
        const n = toNum(a ?? 0);
        return n >= 0 && r.length * n <= LIMITS.foldLength ? r.repeat(n) : undefined;
      }
      case 'replace':
      case 'replaceAll':
        if (typeof a !== 'string' || typeof b !== 'string') return undefined;
        return method === 'replace' ? r.replace(a, () => b) : r.split(a).join(b);
      case 'trim':
        return r.trim();
      case 'trimStart':
      case 'trimLeft':
        return r.trimStart();
      case 'trimEnd':
      case 'trimRight':
        return r.trimEnd();
      case 'padStart':
      case 'padEnd': {
        const n = toNum(a ?? 0);
        if (n > LIMITS.foldLength) return undefined;
        const fill = b === undefined ? ' ' : toStr(b);
        return method === 'padStart' ? r.padStart(n, fill) : r.padEnd(n, fill);
      }
      case 'normalize':
        return r.normalize(typeof a === 'string' ? a : 'NFC');
      case 'toString':
      case 'valueOf':
        return r;
      case 'indexOf':
        return r.indexOf(toStr(a ?? 'undefined'));
      default:
        return undefined;
    }
  }
  if (Array.isArray(r)) {
    const arr = r as Const[];
    switch (method) {
      case 'join':
        return arr.map((x) => (x === null ? '' : toStr(x))).join(a === undefined ? ',' : toStr(a));
      case 'reverse':
      case 'toReversed':
        return [...arr].reverse();
      case 'concat':
        return arr.concat(...args.map((x) => (Array.isArray(x) ? (x as Const[]) : [x])));
      case 'slice':
        return arr.slice(optNum(a), optNum(b));
      case 'at':
        return arr.at(toNum(a ?? 0));
      case 'flat':
        return arr.flat() as Const[];
      case 'sort':
      case 'toSorted':
        return args.length === 0 ? [...arr].sort() : undefined;
      case 'toString':
        return toStr(arr);
      default:
        return undefined;
    }
  }
  return undefined;
}

function bounded(v: Const | undefined): Const | undefined {
  if (typeof v === 'string' || Array.isArray(v)) return v.length > LIMITS.foldLength ? undefined : v;
  return v;
}

function optNum(v: Const | undefined): number | undefined {
  return v === undefined ? undefined : toNum(v);
}

function lengthOf(v: Const | undefined): number | undefined {
  return typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
}

function index(obj: Const | undefined, idx: Const | undefined): Const | undefined {
  if (obj === undefined || idx === undefined) return undefined;
  if (idx === 'length') return lengthOf(obj);
  if (typeof idx !== 'number' && !(typeof idx === 'string' && /^\d+$/.test(idx))) return undefined;
  const i = Number(idx);
  if (typeof obj === 'string') return i < obj.length ? obj[i] : undefined;
  if (Array.isArray(obj)) return i < obj.length ? (obj as Const[])[i] : undefined;
  return undefined;
}

function truthy(v: Const): boolean {
  return v instanceof Bytes || Array.isArray(v) ? true : Boolean(v);
}

export function toStr(v: Const): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (v instanceof Bytes) return decodeBytes(v.bytes, 'utf8') ?? '';
  if (Array.isArray(v)) return (v as Const[]).map((x) => (x === null ? '' : toStr(x))).join(',');
  return String(v);
}

function toNum(v: Const): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number(toStr(v));
}

function plus(a: Const, b: Const): Const | undefined {
  const stringy = (x: Const) => typeof x === 'string' || Array.isArray(x) || x instanceof Bytes;
  if (stringy(a) || stringy(b)) {
    const s = toStr(a) + toStr(b);
    return s.length > LIMITS.foldLength ? undefined : s;
  }
  return toNum(a) + toNum(b);
}
