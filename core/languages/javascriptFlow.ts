import { LIMITS, SPECIAL_CALL_ROOTS } from './javascriptConstants';
import type { JsContext } from './javascriptContext';
import {
  argNodes,
  callResult,
  descriptor,
  elementsOf,
  evalValue,
  foldableKey,
  isFunctionConstructor,
  keyOf,
} from './javascriptEval';
import { fold, named, toStr } from './javascriptFold';
import { cookIdentifier } from './javascriptLiterals';
import { commasBefore } from './javascriptNames';
import { addDynamic, recordCall, recordValueUse } from './javascriptRecord';
import { SOME_FUNCTION, member, prototypeOf, qualifiedName, type Value } from './javascriptValues';
import type { SyntaxNode } from './types';

/** Wrappers that pass a value through unchanged. */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'non_null_expression',
  'as_expression',
  'satisfies_expression',
  'type_assertion',
  'instantiation_expression',
]);

/** Places where a value is consumed without being called or passed on (`typeof eval`, `x === eval`, `${eval}`). */
const INERT = new Set([
  'expression_statement',
  'unary_expression',
  'update_expression',
  'template_substitution',
  'if_statement',
  'while_statement',
  'do_statement',
  'for_statement',
  'switch_statement',
  'switch_case',
  'else_clause',
  'binary_expression',
  'empty_statement',
]);

const PATTERN_TYPES = new Set(['object_pattern', 'array_pattern', 'identifier']);

const NO_ARGUMENTS: readonly SyntaxNode[] = [];

/** Whether what a call of `v` reports or returns depends on its arguments (listing them costs tree calls). */
function needsArguments(v: Value): boolean {
  switch (v.kind) {
    case 'module':
      return v.module === 'module';
    case 'global':
      return v.path.length > 0 && SPECIAL_CALL_ROOTS.has(v.path[0]);
    case 'require':
    case 'invoker':
    case 'someConstructor':
    case 'then':
      return true;
    default:
      return false;
  }
}

/** Called with every identifier a tracked value gets bound to (declared or assigned), so its uses are followed. */
export type AliasSink = (id: SyntaxNode, value: Value) => void;

/** Containers nested deeper than this are treated as an escape (keeps values small on hostile input). */
const MAX_NESTING = 16;

/**
 * Follows a tracked value outwards from the expression that produces it: member accesses, calls, wrappers,
 * containers and assignments, until it is called (reported), bound to a name (followed through `alias`),
 * consumed, or escapes somewhere it cannot be followed (reported as a use of the value).
 */
export function flow(
  ctx: JsContext,
  start: SyntaxNode,
  value: Value,
  fromReference: boolean,
  alias: AliasSink,
): void {
  let cur = start;
  let v = value;
  let reference = fromReference;
  let flagged = false;
  let nesting = 0;
  /** Where the tracked value was before it went into a container: escapes of the container are reported there. */
  let origin: SyntaxNode | undefined;
  const escape = (node: SyntaxNode) => {
    if (!flagged) recordValueUse(ctx, v, v.kind === 'container' && origin ? origin : node);
  };
  /** `require` that is not simply called or accessed is "used as a value" (issue: reported as dynamic). */
  const usedAsValue = (node: SyntaxNode) => {
    if (v.kind === 'require' && reference && !flagged) {
      flagged = true;
      addDynamic(ctx, `\`${v.form}\` is used as a value, so what it loads cannot be followed`, {
        start: node.startIndex,
        end: node.endIndex,
      });
    }
  };
  for (let steps = 0; ; steps++) {
    if (steps === 48) ctx.ensureAncestry(cur);
    if (steps > LIMITS.walkSteps) {
      escape(cur);
      return;
    }
    const p = ctx.parent(cur);
    if (!p) return;
    const pt = ctx.type(p);
    if (TRANSPARENT.has(pt)) {
      if (pt === 'type_assertion' && ctx.type(cur) === 'type_arguments') return;
      cur = p;
      continue;
    }
    let next: Value | undefined;
    switch (pt) {
      case 'await_expression':
        next = v.kind === 'promise' ? v.value : v;
        break;
      case 'member_expression': {
        if (!ctx.isField(p, 'object', cur)) return;
        const prop = ctx.field(p, 'property');
        if (!prop || ctx.type(prop) !== 'property_identifier') return;
        next = member(v, cookIdentifier(ctx.source(prop)));
        break;
      }
      case 'subscript_expression': {
        if (!ctx.isField(p, 'object', cur)) return;
        const index = ctx.field(p, 'index');
        const key = foldableKey(ctx, index) ? fold(ctx, index) : undefined;
        if (key === undefined) {
          unresolvedMember(ctx, v, p);
          return;
        }
        next = member(v, toStr(key));
        break;
      }
      case 'call_expression': {
        if (!ctx.isField(p, 'function', cur)) return;
        const args = needsArguments(v) ? argNodes(ctx, p) : NO_ARGUMENTS;
        if (v.kind === 'then') {
          // `import('m').then((m) => ...)`: the callback's first parameter is the module.
          const cb = args?.[0];
          const ct = cb ? ctx.type(cb) : '';
          if (cb && (ct === 'arrow_function' || ct === 'function_expression' || ct === 'function')) {
            const single = ctx.field(cb, 'parameter');
            const params = ctx.field(cb, 'parameters');
            let first = single ?? (params ? named(ctx, params)[0] : undefined);
            if (
              first &&
              (ctx.type(first) === 'required_parameter' || ctx.type(first) === 'optional_parameter')
            ) {
              first = ctx.field(first, 'pattern') ?? undefined;
            }
            if (first) bindPattern(ctx, first, v.value, alias);
          }
          return;
        }
        recordCall(ctx, v, p, cur, args);
        next = callResult(ctx, v, args, 0);
        // Calls into modules nobody asked about (relative files by default) are not followed.
        if (next?.kind === 'module' && !ctx.followsModule(next.module)) return;
        reference = false;
        break;
      }
      case 'new_expression': {
        if (!ctx.isField(p, 'constructor', cur)) return;
        recordCall(ctx, v, p, cur, needsArguments(v) ? argNodes(ctx, p) : NO_ARGUMENTS);
        next = isFunctionConstructor(v) ? SOME_FUNCTION : undefined;
        reference = false;
        break;
      }
      case 'arguments': {
        const r = argumentUse(ctx, v, p, cur);
        if (!r) {
          escape(cur);
          return;
        }
        next = r.value;
        cur = r.call;
        if (next === undefined) return;
        v = next;
        continue;
      }
      case 'sequence_expression': {
        const kids = named(ctx, p);
        if (kids[kids.length - 1]?.id !== cur.id) return;
        usedAsValue(cur);
        next = v;
        break;
      }
      case 'ternary_expression':
        if (ctx.isField(p, 'condition', cur)) return;
        usedAsValue(cur);
        next = v;
        break;
      case 'binary_expression': {
        const op = ctx.field(p, 'operator');
        if (!op || !/^(?:&&|\|\||\?\?)$/.test(ctx.source(op))) return;
        usedAsValue(cur);
        next = v;
        break;
      }
      case 'variable_declarator':
        if (!ctx.isField(p, 'value', cur)) return;
        usedAsValue(cur);
        bindPattern(ctx, ctx.field(p, 'name'), v, alias);
        return;
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        if (!ctx.isField(p, 'right', cur)) return;
        if (pt === 'augmented_assignment_expression') {
          const op = ctx.field(p, 'operator');
          if (!op || !/^(?:\|\|=|&&=|\?\?=)$/.test(ctx.source(op))) return;
        }
        usedAsValue(cur);
        const left = ctx.field(p, 'left');
        if (left && PATTERN_TYPES.has(ctx.type(left))) bindPattern(ctx, left, v, alias);
        else escape(cur);
        next = v;
        break;
      }
      case 'array': {
        if (ctx.type(cur) === 'spread_element') return;
        if (++nesting > MAX_NESTING) {
          escape(cur);
          return;
        }
        usedAsValue(cur);
        origin ??= cur;
        next = { kind: 'container', entries: new Map([[String(commasBefore(p, cur)), v]]) };
        break;
      }
      case 'pair': {
        if (!ctx.isField(p, 'value', cur)) return;
        const k = ctx.field(p, 'key');
        const key = k ? keyOf(ctx, k) : undefined;
        const obj = ctx.parent(p);
        if (key === undefined || !obj || ++nesting > MAX_NESTING) {
          escape(cur);
          return;
        }
        usedAsValue(cur);
        origin ??= cur;
        v = { kind: 'container', entries: new Map([[key, v]]) };
        cur = obj;
        continue;
      }
      case 'object':
        if (ctx.type(cur) !== 'shorthand_property_identifier') return;
        if (++nesting > MAX_NESTING) {
          escape(cur);
          return;
        }
        usedAsValue(cur);
        origin ??= cur;
        next = { kind: 'container', entries: new Map([[cookIdentifier(ctx.source(cur)), v]]) };
        break;
      default:
        if (INERT.has(pt) || (pt.includes('type') && pt !== 'type_assertion')) return;
        escape(cur);
        return;
    }
    if (next === undefined) return;
    v = next;
    cur = p;
  }
}

/**
 * A tracked value passed as an argument: `Reflect.apply(eval, ...)`, `Reflect.construct(Function, ...)`,
 * `Object.getPrototypeOf(fn)` and `Reflect.get(globalThis, 'eval')` keep it tracked; anything else is an
 * escape (undefined).
 */
function argumentUse(
  ctx: JsContext,
  v: Value,
  args: SyntaxNode,
  arg: SyntaxNode,
): { call: SyntaxNode; value: Value | undefined } | undefined {
  const call = ctx.parent(args);
  if (!call || ctx.type(call) !== 'call_expression' || commasBefore(args, arg) !== 0) return undefined;
  const callee = ctx.field(call, 'function');
  if (!callee || ctx.type(callee) !== 'member_expression') return undefined;
  const prop = ctx.field(callee, 'property');
  const method = prop ? ctx.source(prop) : '';
  if (!/^(?:apply|construct|getPrototypeOf|get|getOwnPropertyDescriptor)$/.test(method)) return undefined;
  const fn = evalValue(ctx, callee);
  const list = argNodes(ctx, call);
  if (fn?.kind !== 'global') return undefined;
  switch (fn.path.join('.')) {
    case 'Reflect.apply': {
      const inner = elementsOf(ctx, list?.[2]);
      recordCall(ctx, v, call, callee, inner);
      return { call, value: callResult(ctx, v, inner, 0) };
    }
    case 'Reflect.construct':
      recordCall(ctx, v, call, callee, elementsOf(ctx, list?.[1]));
      return { call, value: isFunctionConstructor(v) ? SOME_FUNCTION : undefined };
    case 'Object.getPrototypeOf':
    case 'Reflect.getPrototypeOf':
      return { call, value: prototypeOf(v) };
    case 'Reflect.get': {
      const key = fold(ctx, list?.[1]);
      return { call, value: key === undefined ? undefined : member(v, toStr(key)) };
    }
    case 'Object.getOwnPropertyDescriptor':
    case 'Reflect.getOwnPropertyDescriptor':
      return { call, value: descriptor(v, fold(ctx, list?.[1])) };
    default:
      return undefined;
  }
}

/**
 * `globalThis[name](...)` or `require[name](...)` with a name that cannot be folded could be `eval` or a
 * loader: reported as a dynamic import. Reads like `window[key]` that are not called are left alone.
 */
function unresolvedMember(ctx: JsContext, v: Value, subscript: SyntaxNode): void {
  const p = ctx.parent(subscript);
  if (!p) return;
  const pt = ctx.type(p);
  const called =
    (pt === 'call_expression' && ctx.isField(p, 'function', subscript)) ||
    (pt === 'new_expression' && ctx.isField(p, 'constructor', subscript));
  if (!called) return;
  let what: string | undefined;
  if (v.kind === 'global' && v.path.length === 0) what = 'the global object';
  else if (
    v.kind === 'require' ||
    (v.kind === 'global' && (v.path[0] === 'process' || v.path[0] === 'require'))
  )
    what = qualifiedName(v);
  else if (v.kind === 'module' && v.module === 'module') what = 'Module';
  if (!what) return;
  addDynamic(ctx, `a member of ${what} is called by a computed name that cannot be resolved`, {
    start: subscript.startIndex,
    end: subscript.endIndex,
  });
}

/**
 * Hands every name a declaration target or assignment pattern binds to `alias`, with the part of `value`
 * it receives (`const { exec: run } = cp` binds `run` to `cp.exec`). Iterative: patterns can nest deeply.
 */
export function bindPattern(ctx: JsContext, target: SyntaxNode | null, value: Value, alias: AliasSink): void {
  if (!target) return;
  const stack: Array<[SyntaxNode, Value]> = [[target, value]];
  let budget = LIMITS.walkSteps;
  while (stack.length > 0 && budget-- > 0) {
    const [n, v] = stack.pop() as [SyntaxNode, Value];
    const t = ctx.type(n);
    if (t === 'identifier') alias(n, v);
    else if (t === 'assignment_pattern' || t === 'object_assignment_pattern') {
      const left = ctx.field(n, 'left');
      if (left && ctx.type(left) === 'shorthand_property_identifier_pattern') {
        const m = member(v, cookIdentifier(ctx.source(left)));
        if (m) alias(left, m);
      } else if (left) stack.push([left, v]);
    } else if (t === 'object_pattern') {
      for (const c of named(ctx, n)) {
        const ct = ctx.type(c);
        if (ct === 'shorthand_property_identifier_pattern') {
          const m = member(v, cookIdentifier(ctx.source(c)));
          if (m) alias(c, m);
        } else if (ct === 'pair_pattern') {
          const k = ctx.field(c, 'key');
          const key = k ? keyOf(ctx, k) : undefined;
          const m = key === undefined ? undefined : member(v, key);
          const target = ctx.field(c, 'value');
          if (m && target) stack.push([target, m]);
        } else if (ct === 'object_assignment_pattern' || ct === 'rest_pattern') stack.push([c, v]);
      }
    } else if (t === 'rest_pattern') {
      const inner = named(ctx, n)[0];
      if (inner) stack.push([inner, v]);
    } else if (t === 'array_pattern') {
      for (const c of named(ctx, n)) {
        if (ctx.type(c) === 'rest_pattern') continue;
        const m = member(v, String(commasBefore(n, c)));
        if (m) stack.push([c, m]);
      }
    }
  }
}
