import { LIMITS, REQUIRE_NAMES } from './javascriptConstants';
import type { JsContext } from './javascriptContext';
import { fold, named, toStr } from './javascriptFold';
import { cookIdentifier, cookLiteral, parseNumber } from './javascriptLiterals';
import { normalizeSpecifier, type Binding, type PathStep } from './javascriptNames';
import { SOME_FUNCTION, globalValue, member, prototypeOf, type Value } from './javascriptValues';
import type { SyntaxNode } from './types';

const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'instantiation_expression',
]);
const FUNCTION_LITERALS = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'generator_function',
  'class',
]);

/** What an expression evaluates to, as far as tracked values go (see `Value`); undefined when untracked. */
export function evalValue(ctx: JsContext, node: SyntaxNode | null | undefined, depth = 0): Value | undefined {
  if (!node || depth > LIMITS.depth || !ctx.step()) return undefined;
  const t = ctx.type(node);
  if (TRANSPARENT.has(t)) return evalValue(ctx, named(ctx, node)[0], depth + 1);
  if (FUNCTION_LITERALS.has(t)) return SOME_FUNCTION;
  switch (t) {
    case 'identifier':
      return identifierValue(ctx, node, depth);
    case 'await_expression': {
      const v = evalValue(ctx, named(ctx, node)[0], depth + 1);
      return v?.kind === 'promise' ? v.value : v;
    }
    case 'type_assertion':
    case 'sequence_expression': {
      const kids = named(ctx, node);
      return evalValue(ctx, kids[kids.length - 1], depth + 1);
    }
    case 'member_expression': {
      const obj = ctx.field(node, 'object');
      const prop = ctx.field(node, 'property');
      if (!obj || !prop || ctx.type(prop) !== 'property_identifier') return undefined;
      return member(evalValue(ctx, obj, depth + 1), cookIdentifier(ctx.source(prop)));
    }
    case 'subscript_expression': {
      const key = fold(ctx, ctx.field(node, 'index'), depth + 1);
      if (key === undefined) return undefined;
      return member(evalValue(ctx, ctx.field(node, 'object'), depth + 1), toStr(key));
    }
    case 'call_expression': {
      const fn = ctx.field(node, 'function');
      if (!fn) return undefined;
      const args = argNodes(ctx, node);
      if (ctx.type(fn) === 'import') {
        const spec = fold(ctx, args?.[0], depth + 1);
        return typeof spec === 'string'
          ? { kind: 'module', module: normalizeSpecifier(spec), path: [] }
          : undefined;
      }
      return callResult(ctx, evalValue(ctx, fn, depth + 1), args, depth + 1);
    }
    case 'new_expression': {
      const c = evalValue(ctx, ctx.field(node, 'constructor'), depth + 1);
      return isFunctionConstructor(c) ? SOME_FUNCTION : undefined;
    }
    case 'ternary_expression':
      return (
        evalValue(ctx, ctx.field(node, 'consequence'), depth + 1) ??
        evalValue(ctx, ctx.field(node, 'alternative'), depth + 1)
      );
    case 'binary_expression': {
      const op = ctx.field(node, 'operator');
      if (!op || !/^(?:&&|\|\||\?\?)$/.test(ctx.source(op))) return undefined;
      return (
        evalValue(ctx, ctx.field(node, 'left'), depth + 1) ??
        evalValue(ctx, ctx.field(node, 'right'), depth + 1)
      );
    }
    case 'assignment_expression':
    case 'augmented_assignment_expression':
      return evalValue(ctx, ctx.field(node, 'right'), depth + 1);
    case 'array':
      return arrayValue(ctx, node, depth);
    case 'object':
      return objectValue(ctx, node, depth);
    default:
      return undefined;
  }
}

export function identifierValue(ctx: JsContext, node: SyntaxNode, depth = 0): Value | undefined {
  const name = cookIdentifier(ctx.source(node));
  const b = ctx.names.resolve(name, node.startIndex);
  if (!b) return globalValue(name, ctx.trackedGlobals);
  const v = bindingValue(ctx, b, depth);
  // A parameter named `require` (bundles, `(function (require) {...})(require)`) is taken to be one.
  if (!v && b.kind === 'param' && REQUIRE_NAMES.has(name)) return { kind: 'require', form: name };
  return v;
}

/** The first tracked value a binding can hold (its import, initializer, defaults or assignments). */
export function bindingValue(ctx: JsContext, b: Binding, depth: number): Value | undefined {
  if (b.valueState === 2) return b.value;
  if (b.valueState === 1) return undefined;
  b.valueState = 1;
  let v: Value | undefined = b.importValue ?? b.carried[0];
  if (!v && (b.kind === 'function' || b.kind === 'class')) v = SOME_FUNCTION;
  if (!v && b.kind === 'global') v = globalValue(b.name, ctx.trackedGlobals);
  if (!v && b.init) v = atPath(evalValue(ctx, b.init, depth + 1), b.path);
  for (const d of b.defaults) v ??= evalValue(ctx, d, depth + 1);
  for (const w of b.writes) v ??= atPath(evalValue(ctx, w.rhs, depth + 1), w.path);
  b.value = v;
  b.valueState = 2;
  return v;
}

function atPath(v: Value | undefined, path: readonly PathStep[]): Value | undefined {
  for (const step of path) {
    if (step === null) continue;
    v = member(v, step);
  }
  return v;
}

export function isFunctionConstructor(v: Value | undefined): boolean {
  return (
    !!v &&
    (v.kind === 'someConstructor' || (v.kind === 'global' && v.path.length === 1 && v.path[0] === 'Function'))
  );
}

/** What calling a tracked value returns, with the call's argument nodes (undefined: not statically known). */
export function callResult(
  ctx: JsContext,
  v: Value | undefined,
  args: readonly SyntaxNode[] | undefined,
  depth: number,
): Value | undefined {
  if (!v || depth > LIMITS.depth) return undefined;
  switch (v.kind) {
    case 'require': {
      const spec = fold(ctx, args?.[0], depth + 1);
      return typeof spec === 'string'
        ? { kind: 'module', module: normalizeSpecifier(spec), path: [] }
        : undefined;
    }
    case 'invoker':
      if (v.mode === 'bind') return v.target;
      if (v.mode === 'call') return callResult(ctx, v.target, args?.slice(1), depth + 1);
      return callResult(ctx, v.target, elementsOf(ctx, args?.[1]), depth + 1);
    case 'module':
      if (v.module === 'module' && v.path[v.path.length - 1] === 'createRequire')
        return { kind: 'require', form: 'createRequire' };
      return undefined;
    case 'global':
      switch (v.path.join('.')) {
        case 'Function':
          return SOME_FUNCTION;
        case 'Object.getPrototypeOf':
        case 'Reflect.getPrototypeOf':
          return prototypeOf(evalValue(ctx, args?.[0], depth + 1));
        case 'Reflect.get': {
          const key = fold(ctx, args?.[1], depth + 1);
          return key === undefined ? undefined : member(evalValue(ctx, args?.[0], depth + 1), toStr(key));
        }
        case 'Reflect.apply':
          return callResult(ctx, evalValue(ctx, args?.[0], depth + 1), elementsOf(ctx, args?.[2]), depth + 1);
        case 'Reflect.construct':
          return isFunctionConstructor(evalValue(ctx, args?.[0], depth + 1)) ? SOME_FUNCTION : undefined;
        case 'Object.getOwnPropertyDescriptor':
        case 'Reflect.getOwnPropertyDescriptor':
          return descriptor(evalValue(ctx, args?.[0], depth + 1), fold(ctx, args?.[1], depth + 1));
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

/** `Object.getOwnPropertyDescriptor(v, key)`: its `value` (and `get`) hold the property. */
export function descriptor(v: Value | undefined, key: unknown): Value | undefined {
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  const p = member(v, String(key));
  return p ? { kind: 'container', entries: new Map([['value', p]]) } : undefined;
}

/** The argument nodes of a call, or undefined when they cannot be listed (spread, tagged template). */
export function argNodes(ctx: JsContext, call: SyntaxNode): SyntaxNode[] | undefined {
  const a = ctx.field(call, 'arguments');
  if (!a || ctx.type(a) !== 'arguments') return undefined;
  const out = named(ctx, a);
  return out.some((n) => ctx.type(n) === 'spread_element') ? undefined : out;
}

/** The elements of an array literal (for `f.apply(x, [...])`), or undefined when not a plain literal. */
export function elementsOf(ctx: JsContext, node: SyntaxNode | undefined): SyntaxNode[] | undefined {
  if (!node) return [];
  if (ctx.type(node) !== 'array') return undefined;
  const out = named(ctx, node);
  return out.some((n) => ctx.type(n) === 'spread_element') ? undefined : out;
}

/** The static name of a property key node (`a`, `'a'`, `1`, `['a' + 'b']`). */
export function keyOf(ctx: JsContext, node: SyntaxNode): string | undefined {
  switch (ctx.type(node)) {
    case 'property_identifier':
    case 'identifier':
    case 'shorthand_property_identifier':
    case 'shorthand_property_identifier_pattern':
      return cookIdentifier(ctx.source(node));
    case 'string': {
      const s = ctx.source(node);
      return s.length >= 2 ? cookLiteral(s.slice(1, -1), false) : undefined;
    }
    case 'number': {
      const n = parseNumber(ctx.source(node));
      return n === undefined ? undefined : String(n);
    }
    case 'computed_property_name': {
      const v = fold(ctx, named(ctx, node)[0]);
      return v === undefined ? undefined : toStr(v);
    }
    default:
      return undefined;
  }
}

function arrayValue(ctx: JsContext, node: SyntaxNode, depth: number): Value | undefined {
  const entries = new Map<string, Value>();
  let index = 0;
  for (let i = 0; i < node.childCount && entries.size < LIMITS.containerEntries; i++) {
    const c = node.child(i);
    if (!c) continue;
    const t = ctx.type(c);
    if (t === ',') index++;
    else if (t !== '[' && t !== ']' && t !== 'comment' && t !== 'spread_element') {
      const v = evalValue(ctx, c, depth + 1);
      if (v) entries.set(String(index), v);
    }
    if (!ctx.step()) break;
  }
  return entries.size > 0 ? { kind: 'container', entries } : undefined;
}

function objectValue(ctx: JsContext, node: SyntaxNode, depth: number): Value | undefined {
  const entries = new Map<string, Value>();
  for (const c of named(ctx, node)) {
    if (entries.size >= LIMITS.containerEntries || !ctx.step()) break;
    const t = ctx.type(c);
    if (t === 'pair') {
      const k = ctx.field(c, 'key');
      const key = k ? keyOf(ctx, k) : undefined;
      const v = key === undefined ? undefined : evalValue(ctx, ctx.field(c, 'value'), depth + 1);
      if (key !== undefined && v) entries.set(key, v);
    } else if (t === 'shorthand_property_identifier') {
      const v = identifierValue(ctx, c, depth + 1);
      if (v) entries.set(cookIdentifier(ctx.source(c)), v);
    } else if (t === 'spread_element') {
      const v = evalValue(ctx, named(ctx, c)[0], depth + 1);
      if (v?.kind === 'container') for (const [k, e] of v.entries) entries.set(k, e);
    }
  }
  return entries.size > 0 ? { kind: 'container', entries } : undefined;
}

/** Whether an argument is certainly a string (a literal, a template, a concatenation with one, or a folded string). */
export function isStringTyped(ctx: JsContext, node: SyntaxNode | undefined, depth = 0): boolean {
  if (!node || depth > LIMITS.depth) return false;
  const t = ctx.type(node);
  if (t === 'string' || t === 'template_string') return true;
  if (t === 'parenthesized_expression') return isStringTyped(ctx, named(ctx, node)[0], depth + 1);
  if (t === 'binary_expression') {
    const op = ctx.field(node, 'operator');
    if (op && ctx.source(op) === '+') {
      return (
        isStringTyped(ctx, ctx.field(node, 'left') ?? undefined, depth + 1) ||
        isStringTyped(ctx, ctx.field(node, 'right') ?? undefined, depth + 1)
      );
    }
    return false;
  }
  // A name is only worth folding (a scope lookup) if it is declared with something string-like; a call
  // only if it could be a string builder. Anything else is not taken for code.
  if (t === 'identifier') {
    if (!ctx.stringDeclarations().has(cookIdentifier(ctx.source(node)))) return false;
  } else if (t !== 'call_expression' && t !== 'member_expression') return false;
  return typeof fold(ctx, node, depth + 1) === 'string';
}

/** Whether an index identifier is worth folding as a property key (see `JsContext.stringDeclarations`). */
export function foldableKey(ctx: JsContext, index: SyntaxNode | null): boolean {
  return (
    !!index &&
    (ctx.type(index) !== 'identifier' || ctx.stringDeclarations().has(cookIdentifier(ctx.source(index))))
  );
}
