import type { Language } from 'web-tree-sitter';
import {
  GLOBAL_OBJECT_NAMES,
  LIMITS,
  REPORTED_GLOBALS,
  REQUIRE_NAMES,
  SPECIAL_CALL_ROOTS,
} from './javascriptConstants';
import { collectConstructors, collectHtmlComments } from './javascriptConstructors';
import { JsContext } from './javascriptContext';
import { keyOf } from './javascriptEval';
import { flow, type AliasSink } from './javascriptFlow';
import { collectImports } from './javascriptImports';
import { lexJavaScript, type LexOracle } from './javascriptLexer';
import { cookIdentifier } from './javascriptLiterals';
import { NameTable, type Binding, type Read } from './javascriptNames';
import { recordSimpleCall, recordValueUse } from './javascriptRecord';
import { globalValue, member, type Value } from './javascriptValues';
import type { LanguageFacts, Span, SyntaxNode, Tree } from './types';
import { analysisFailed } from './analysisFailed';

export interface JavaScriptAnalysisOptions {
  /**
   * Further globals whose calls are reported (the first segment of restricted call names such as
   * `console.log`); the built-in list is `REPORTED_GLOBALS`.
   */
  extraGlobals?: readonly string[];
  /**
   * Modules whose member calls are reported (`child_process` also covers `child_process/x`; `*` = all).
   * Undefined reports calls into every imported module. Imports themselves are always reported.
   */
  callModules?: ReadonlySet<string>;
}

const jsxGrammars = new WeakMap<Language, boolean>();

function hasJsx(language: Language): boolean {
  let v = jsxGrammars.get(language);
  if (v === undefined) {
    v = !!language.idForNodeType('jsx_element', true);
    jsxGrammars.set(language, v);
  }
  return v;
}

/**
 * JavaScript and TypeScript (trees from the `javascript`, `typescript` and `tsx` grammars): comments,
 * string-like literals, imports of every form, unresolvable imports and calls resolved through imports,
 * aliases, destructuring, constant-folded property names and the global object. Never throws.
 */
export function analyzeJavaScript(
  tree: Tree,
  text: string,
  options: JavaScriptAnalysisOptions = {},
): LanguageFacts {
  return analyze(tree, text, options, false);
}

/**
 * `analyzeJavaScript` that lets an internal error escape instead of returning what was found before it.
 * For tests: a bug must not hide behind plausible partial results.
 */
export function analyzeJavaScriptOrThrow(
  tree: Tree,
  text: string,
  options: JavaScriptAnalysisOptions = {},
): LanguageFacts {
  return analyze(tree, text, options, true);
}

function analyze(
  tree: Tree,
  text: string,
  options: JavaScriptAnalysisOptions,
  rethrow: boolean,
): LanguageFacts {
  let comments: Span[] = [];
  let strings: Span[] = [];
  try {
    ({ comments, strings } = lexJavaScript(text, oracle(tree), hasJsx(tree.language)));
  } catch (e) {
    // Keep going with what the tree gives: masking is lost, resolution is not.
    if (rethrow) throw e;
  }
  const tracked = new Set([...REPORTED_GLOBALS, ...(options.extraGlobals ?? [])]);
  let ctx: JsContext | undefined;
  try {
    ctx = new JsContext(tree, text, comments, strings, tracked, options.callModules);
    const c = ctx;
    c.names = new NameTable(c, (n) => keyOf(c, n));
    resolve(c);
  } catch (e) {
    // An unexpected tree shape must not cost the findings collected so far, nor pass for clean code.
    if (rethrow) throw e;
    const partial = ctx?.facts ?? { comments, strings, imports: [], dynamicImports: [], calls: [] };
    return tidy(analysisFailed(partial, text, e));
  }
  const facts = ctx?.facts ?? { comments, strings, imports: [], dynamicImports: [], calls: [] };
  return tidy(facts);
}

/** Follow the reads of `name` that resolve to `binding` (undefined: the global) with `value`. */
interface Job {
  name: string;
  binding: Binding | undefined;
  value: Value;
}

/** A value seen flowing into the identifier `id` (resolved to its binding in batches: one text scan per batch). */
interface Pending {
  id: SyntaxNode;
  name: string;
  value: Value;
}

function resolve(ctx: JsContext): void {
  const jobs: Job[] = [];
  const pending: Pending[] = [];
  let bound = 0;
  const alias: AliasSink = (id, value) => {
    // Past the limit, a value bound to yet another name is reported where it is bound, not followed.
    if (bound++ < LIMITS.names) pending.push({ id, name: cookIdentifier(ctx.source(id)), value });
    else recordValueUse(ctx, value, id);
  };
  const settle = () => {
    ctx.prefetch(pending.map((p) => p.name));
    for (const { id, name, value } of pending.splice(0, pending.length)) {
      const b = ctx.names.resolve(name, id.startIndex);
      const carried = b ? ctx.names.carry(b, value) : 'known';
      if (carried === 'new') jobs.push({ name, binding: b, value });
      else if (carried === 'full') recordValueUse(ctx, value, id);
    }
  };
  const roots = [...ctx.trackedGlobals, ...GLOBAL_OBJECT_NAMES, ...REQUIRE_NAMES];
  ctx.prefetch([...roots, 'import', 'export', 'constructor', 'with']);
  collectImports(ctx, alias);
  for (const name of roots) {
    const value = globalValue(name, ctx.trackedGlobals);
    if (value) jobs.push({ name, binding: undefined, value });
  }
  drain(ctx, jobs, settle, alias);
  collectConstructors(ctx, alias);
  drain(ctx, jobs, settle, alias);
  collectHtmlComments(ctx);
}

/** Runs jobs until none are left; walks add jobs for the names they bind (through `settle`). */
function drain(ctx: JsContext, jobs: Job[], settle: () => void, alias: AliasSink): void {
  for (;;) {
    settle();
    if (jobs.length === 0) return;
    const batch = jobs.splice(0, jobs.length);
    ctx.prefetch(batch.map((j) => j.name));
    for (const job of batch) {
      for (const read of ctx.names.reads(job.name)) {
        const b = ctx.names.resolve(job.name, read.start);
        if (job.binding ? b !== job.binding : !isGlobalRead(job.name, b)) continue;
        if (fastCall(ctx, read, job.value)) continue;
        const node = ctx.names.node(read);
        if (node && ctx.type(node).endsWith('identifier')) flow(ctx, node, job.value, true, alias);
      }
    }
  }
}

/**
 * A read that means the global: no binding; an implicit global (assigned but never declared); or a
 * parameter named `require` that nothing is known about (bundles pass the real one in).
 */
function isGlobalRead(name: string, b: Binding | undefined): boolean {
  if (!b || b.kind === 'global') return true;
  return b.kind === 'param' && REQUIRE_NAMES.has(name) && b.carried.length === 0 && b.defaults.length === 0;
}

const MEMBER_CALL = /[ \t]*\.[ \t]*([A-Za-z_$][\w$]*)[ \t]*\(/y;
const BEFORE_NEW = /\bnew\s*$/;

/**
 * `name.member(` straight from the text: the common shape (`assert.equal(`, `cp.exec(`) is reported without
 * touching the tree when nothing but a plain call of a module member or global method can come of it.
 */
function fastCall(ctx: JsContext, read: Read, value: Value): boolean {
  const text = ctx.text;
  if (read.call) {
    if (!plainCallee(value) || BEFORE_NEW.test(text.slice(Math.max(0, read.start - 8), read.start)))
      return false;
    recordSimpleCall(ctx, value, { start: read.start, end: read.end });
    return true;
  }
  MEMBER_CALL.lastIndex = read.end;
  const m = MEMBER_CALL.exec(text);
  if (!m) return false;
  const callee = member(value, m[1]);
  if (!callee || !plainCallee(callee)) return false;
  if (BEFORE_NEW.test(text.slice(Math.max(0, read.start - 8), read.start))) return false;
  const end = read.end + m[0].indexOf(m[1], m[0].indexOf('.')) + m[1].length;
  recordSimpleCall(ctx, callee, { start: read.start, end });
  return true;
}

/** A callee whose call is reported by name and returns nothing tracked, whatever the arguments. */
function plainCallee(v: Value): boolean {
  if (v.kind === 'module') return v.module !== 'module';
  return (
    v.kind === 'global' &&
    v.path.length >= 1 &&
    !SPECIAL_CALL_ROOTS.has(v.path[0]) &&
    (v.path.length >= 2 || v.path[0] === 'eval' || v.path[0] === 'fetch')
  );
}

function oracle(tree: Tree): LexOracle {
  const root = tree.rootNode;
  return {
    regexEnd(pos) {
      // The smallest node holding the `/` and the character after it is the regex literal itself, when
      // one starts here: one lookup instead of the `/` token's and then its parent's.
      const r = root.descendantForIndex(pos, pos + 2);
      if (r && r.type === 'regex' && r.startIndex === pos) return r.endIndex;
      const n = root.descendantForIndex(pos, pos + 1);
      const p = n && n.type === '/' ? n.parent : n;
      return p && p.type === 'regex' && p.startIndex === pos ? p.endIndex : -1;
    },
    jsxEnd(pos) {
      const n = root.descendantForIndex(pos, pos + 1);
      const tag = n && n.type === '<' ? n.parent : null;
      if (!tag || tag.startIndex !== pos) return -1;
      if (tag.type === 'jsx_self_closing_element') return tag.endIndex;
      if (tag.type !== 'jsx_opening_element') return -1;
      const el = tag.parent;
      return el && el.type === 'jsx_element' ? el.endIndex : -1;
    },
  };
}

/** Sorted, without duplicates (several walks can reach the same call). */
function tidy(f: LanguageFacts): LanguageFacts {
  const uniq = <T extends Span>(list: T[], key: (x: T) => string): T[] => {
    const seen = new Set<string>();
    return list
      .filter((x) => {
        const k = `${x.start}:${x.end}:${key(x)}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .sort((a, b) => a.start - b.start || a.end - b.end);
  };
  return {
    comments: f.comments,
    strings: f.strings,
    imports: uniq(f.imports, (i) => `${i.module}\0${i.form}`),
    dynamicImports: uniq(f.dynamicImports, () => ''),
    calls: uniq(f.calls, (c) => c.name),
  };
}
