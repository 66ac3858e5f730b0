import type { JsContext } from './javascriptContext';
import { argNodes, keyOf } from './javascriptEval';
import { flow, type AliasSink } from './javascriptFlow';
import { fold, named } from './javascriptFold';
import { normalizeSpecifier } from './javascriptNames';
import { addDynamic, addImport } from './javascriptRecord';
import type { Value } from './javascriptValues';
import type { SyntaxNode } from './types';

/**
 * Static imports (`import ... from`, side-effect imports, `import type`, TypeScript `import x = require()`),
 * re-exports (`export ... from`) and `import()`. Names bound by imports are handed to `alias` so that calls
 * through them (`cp.exec()`) are followed.
 */
export function collectImports(ctx: JsContext, alias: AliasSink): void {
  for (const o of ctx.occurrences('import')) {
    let kw = ctx.nodeAt(o.start, o.end);
    let p = kw && ctx.parent(kw);
    // In `import(...)` the keyword token sits inside a named `import` node.
    while (kw && p && ctx.type(p) === 'import' && p.startIndex === o.start) {
      kw = p;
      p = ctx.parent(p);
    }
    if (!p) continue;
    const pt = ctx.type(p);
    if (pt === 'import_statement') importStatement(ctx, p, alias);
    else if (pt === 'call_expression' && kw && ctx.isField(p, 'function', kw)) dynamicImport(ctx, p, alias);
  }
  for (const o of ctx.occurrences('export')) {
    const kw = ctx.nodeAt(o.start, o.end);
    const stmt = kw && ctx.parent(kw);
    if (!stmt || ctx.type(stmt) !== 'export_statement') continue;
    const source = ctx.field(stmt, 'source');
    const spec = source ? fold(ctx, source) : undefined;
    if (typeof spec === 'string') {
      addImport(
        ctx,
        normalizeSpecifier(spec),
        typeOnly(ctx, stmt) ? 'export type' : 'export from',
        span(stmt),
      );
    }
  }
}

function importStatement(ctx: JsContext, stmt: SyntaxNode, sink: AliasSink): void {
  const alias: AliasSink = (id, value) => {
    ctx.names.declareImport(id, value);
    sink(id, value);
  };
  let source = ctx.field(stmt, 'source');
  let form = 'import';
  let requireClause: SyntaxNode | undefined;
  for (const c of named(ctx, stmt)) {
    if (ctx.type(c) === 'import_require_clause') {
      requireClause = c;
      source = ctx.field(c, 'source');
      form = 'import = require';
    }
  }
  const isType = typeOnly(ctx, stmt);
  const spec = source ? fold(ctx, source) : undefined;
  if (typeof spec !== 'string') return;
  const module = normalizeSpecifier(spec);
  addImport(ctx, module, isType ? 'import type' : form, span(stmt));
  if (isType || !ctx.followsModule(module)) return;
  const whole: Value = { kind: 'module', module, path: [] };
  if (requireClause) {
    const id = named(ctx, requireClause).find((n) => ctx.type(n) === 'identifier');
    if (id) alias(id, whole);
    return;
  }
  const clause = named(ctx, stmt).find((n) => ctx.type(n) === 'import_clause');
  if (!clause) return;
  for (const part of named(ctx, clause)) {
    const t = ctx.type(part);
    if (t === 'identifier') alias(part, whole);
    else if (t === 'namespace_import') {
      const id = named(ctx, part).find((n) => ctx.type(n) === 'identifier');
      if (id) alias(id, whole);
    } else if (t === 'named_imports') {
      for (const s of named(ctx, part)) {
        if (ctx.type(s) !== 'import_specifier' || typeOnly(ctx, s)) continue;
        const name = ctx.field(s, 'name');
        const local = ctx.field(s, 'alias') ?? name;
        const imported = name ? (ctx.type(name) === 'default' ? 'default' : keyOf(ctx, name)) : undefined;
        if (!local || ctx.type(local) !== 'identifier' || imported === undefined) continue;
        alias(local, imported === 'default' ? whole : { kind: 'module', module, path: [imported] });
      }
    }
  }
}

function dynamicImport(ctx: JsContext, call: SyntaxNode, alias: AliasSink): void {
  const args = argNodes(ctx, call);
  const inType = inTypePosition(ctx, call);
  const spec = fold(ctx, args?.[0]);
  if (typeof spec === 'string') {
    const module = normalizeSpecifier(spec);
    addImport(ctx, module, inType ? 'import type' : 'import()', span(call));
    if (!inType && ctx.followsModule(module)) {
      flow(ctx, call, { kind: 'promise', value: { kind: 'module', module, path: [] } }, false, alias);
    }
  } else if (!inType) {
    addDynamic(ctx, 'the module name passed to `import()` is not a constant', span(call));
  }
}

/** `import type ...`, `export type ... from`, `import { type X }`: erased by TypeScript, nothing runs. */
function typeOnly(ctx: JsContext, node: SyntaxNode): boolean {
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (!c) continue;
    const t = ctx.type(c);
    if (t === 'type' || t === 'typeof') return true;
    if (t === 'import_clause' || t === 'export_clause' || t === 'string' || t === 'identifier') return false;
  }
  return false;
}

/** `type T = import('fs').Stats`: an `import()` inside a type is erased. */
function inTypePosition(ctx: JsContext, node: SyntaxNode): boolean {
  let cur = ctx.parent(node);
  for (let i = 0; cur && i < 12; i++) {
    const t = ctx.type(cur);
    if (
      t === 'type_alias_declaration' ||
      (t.includes('type') && t !== 'type_assertion') ||
      t === 'interface_declaration'
    )
      return true;
    if (
      t.endsWith('statement') ||
      t === 'program' ||
      t === 'lexical_declaration' ||
      t === 'variable_declaration'
    )
      return false;
    cur = ctx.parent(cur);
  }
  return false;
}

function span(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}
