import { STRING_EVAL_TIMERS } from './javascriptConstants';
import type { JsContext } from './javascriptContext';
import { elementsOf, evalValue, isStringTyped } from './javascriptEval';
import { fold } from './javascriptFold';
import { cookIdentifier } from './javascriptLiterals';
import { normalizeSpecifier } from './javascriptNames';
import { qualifiedName, type Value } from './javascriptValues';
import type { Span, SyntaxNode } from './types';

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function addImport(ctx: JsContext, module: string, form: string, at: Span): void {
  ctx.facts.imports.push({ start: at.start, end: at.end, module, form });
  // `import 'data:text/javascript,...'` runs code written in the string; URL imports run code from elsewhere.
  const scheme = /^(data|https?|blob):/i.exec(module);
  if (scheme && !form.includes('type')) {
    addDynamic(
      ctx,
      `the module is code from a ${scheme[1].toLowerCase()}: URL, not a package the policy can judge`,
      at,
    );
  }
}

export function addDynamic(ctx: JsContext, reason: string, at: Span): void {
  ctx.facts.dynamicImports.push({ start: at.start, end: at.end, reason });
}

function addCall(ctx: JsContext, v: Value, at: Span): void {
  const name = qualifiedName(v);
  if (!name) return;
  if (v.kind === 'module' && !ctx.followsModule(v.module)) return;
  ctx.facts.calls.push({ start: at.start, end: at.end, name });
}

/** A call of a module member or global method whose arguments do not matter. */
export function recordSimpleCall(ctx: JsContext, v: Value, at: Span): void {
  addCall(ctx, v, at);
}

/**
 * A call (or `new`) of a tracked value. Reported span: from the start of the call to the end of the callee
 * (`cp.exec`, `new Function`), so a multi-line argument list is not underlined. Module loaders also yield
 * the import, or a dynamic import when the name is not constant.
 */
export function recordCall(
  ctx: JsContext,
  v: Value,
  call: SyntaxNode,
  callee: SyntaxNode,
  args: readonly SyntaxNode[] | undefined,
): void {
  const at = { start: call.startIndex, end: callee.endIndex };
  switch (v.kind) {
    case 'require': {
      addCall(ctx, v, at);
      const spec = args === undefined ? undefined : fold(ctx, args[0]);
      // A number is a bundler's module id (`require(12)` in browserify output), not a name.
      if (typeof spec === 'string') addImport(ctx, normalizeSpecifier(spec), v.form, span(call));
      else if (spec === undefined && (args === undefined || args.length > 0)) {
        addDynamic(ctx, `the module name passed to \`${v.form}\` is not a constant`, span(call));
      }
      return;
    }
    case 'global':
    case 'module':
      addCall(ctx, v, at);
      if (
        v.kind === 'global' &&
        v.path.length === 1 &&
        STRING_EVAL_TIMERS.has(v.path[0]) &&
        isStringTyped(ctx, args?.[0])
      ) {
        // `setTimeout("code", 0)` compiles its string like eval does.
        addCall(ctx, { kind: 'global', path: ['eval'] }, at);
      }
      return;
    case 'invoker':
      if (v.mode === 'call') recordCall(ctx, v.target, call, callee, args?.slice(1));
      else if (v.mode === 'apply') recordCall(ctx, v.target, call, callee, elementsOf(ctx, args?.[1]));
      return;
    case 'someConstructor': {
      // A `.constructor` called with code is taken to be Function; with anything else, only when its
      // object is known to be a function (evaluated now, not for every `.constructor` in the file).
      const fn = isStringTyped(ctx, args?.[0]) || isFunctionConstructorOfFunction(ctx, callee);
      if (fn) addCall(ctx, { kind: 'global', path: ['Function'] }, at);
      return;
    }
    default:
      return;
  }
}

function isFunctionConstructorOfFunction(ctx: JsContext, callee: SyntaxNode): boolean {
  // `f.constructor(x)`: worth a scope lookup of `f` only if some function or class is declared as `f`.
  const obj = ctx.type(callee) === 'member_expression' ? ctx.field(callee, 'object') : null;
  if (obj && ctx.type(obj) === 'identifier' && !ctx.functionNames().has(cookIdentifier(ctx.source(obj))))
    return false;
  const v = evalValue(ctx, callee);
  return v?.kind === 'global' && v.path.length === 1 && v.path[0] === 'Function';
}

/** A tracked value that escapes (passed, returned, stored in a property): report what it is. */
export function recordValueUse(ctx: JsContext, v: Value, node: SyntaxNode, depth = 0): void {
  switch (v.kind) {
    case 'require':
      addDynamic(ctx, `\`${v.form}\` is used as a value, so what it loads cannot be followed`, span(node));
      return;
    case 'global':
    case 'module':
      if (v.path.length > 0) addCall(ctx, v, span(node));
      return;
    case 'invoker':
      recordValueUse(ctx, v.target, node, depth + 1);
      return;
    case 'container':
      if (depth <= 20) for (const e of v.entries.values()) recordValueUse(ctx, e, node, depth + 1);
      return;
    default:
      return;
  }
}
