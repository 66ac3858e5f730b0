import {
  BUILTINS_MODULES,
  CANONICAL_MODULES,
  PYTHON_BUILTINS,
  REEXPORTED_MODULES,
  SENSITIVE_MODULES,
  STAR_EXPORTS_SHADOWING_BUILTINS,
} from './pythonConstants';
import { PythonEvaluator, identifierName, importFunctionName, type EvalHost } from './pythonEvaluator';
import { parseInteger } from './pythonOperations';
import { findImportStatements } from './pythonImports';
import {
  T_FSTART,
  T_KEYWORD,
  T_NAME,
  T_NUMBER,
  T_OP,
  T_STRING,
  tokenName,
  type PythonTokens,
} from './pythonLexer';
import { PythonNames, importValue, type Binding } from './pythonNames';
import { decodeStringLiteral } from './pythonStrings';
import { PythonStructure, scopeContains, type Scope } from './pythonStructure';
import {
  chainHead,
  endsValue,
  isDottedName,
  mayFlowIntoName,
  simpleAssignmentTarget,
} from './pythonTokenContext';
import { PythonTreeAccess } from './pythonTreeAccess';
import { aliasTargets } from './pythonTreeRoles';
import { UNKNOWN, getAttr, qualifiedName, reportNames, union, type Value } from './pythonValues';
import type { LanguageFacts, Span, SyntaxNode } from './types';

const DOT = 46;
const LPAR = 40;
const LSQB = 91;

/** Caps that keep hostile input (a 5 MB file of calls) within a fixed cost. */
const MAX_FACTS = 20000;
/** Syntax-tree lookups per analysis (see PythonTreeAccess). */
const MAX_TREE_LOOKUPS = 5000;
const MAX_CHAIN = 256;
const BUDGET_REASON = 'not analysed: the file exceeds the analysis budget';

/** Callables whose call the walker evaluates (to see the module or member it produces). */
const SPECIAL_CALLS: ReadonlySet<string> = new Set([
  'object.__getattribute__',
  'type.__getattribute__',
  'operator.attrgetter',
  'operator.methodcaller',
  'getattr',
  'globals',
  'locals',
  'vars',
  'eval',
  'exec',
  'compile',
  'execfile',
]);

/** Parses and analyses code found in a constant string passed to exec/eval/compile. */
export type SnippetAnalyzer = (code: string) => LanguageFacts | undefined;

/**
 * Resolves names to what they are bound to, following the tokens of the file from each occurrence of an
 * interesting name (an import, a builtin, an alias of one). The syntax tree is consulted only where the
 * tokens cannot tell: is this occurrence a binding, in which scope, what is its value.
 */
export class PythonAnalysis implements EvalHost {
  private readonly structure: PythonStructure;
  private readonly tree: PythonTreeAccess;
  private readonly names: PythonNames;
  private readonly ev: PythonEvaluator;
  private readonly starModules: string[] = [];
  private readonly seen = new Set<string>();
  private readonly seenCalls = new Map<string, Set<number>>();
  private readonly mayHoldObject = new Map<string, boolean>();
  private readonly mayHoldAny = new Map<string, boolean>();
  private readonly attributeAliases = new Map<string, Value[]>();
  /** Functions (scope ids) that return something tracked, and what. */
  private readonly returning = new Set<number>();
  private readonly returnMemo = new Map<number, Value[]>();
  private readonly queued = new Set<string>();
  private readonly queue: string[] = [];

  constructor(
    tree: { rootNode: SyntaxNode },
    private readonly source: string,
    private readonly tokens: PythonTokens,
    private readonly facts: LanguageFacts,
    private readonly snippet: SnippetAnalyzer | undefined,
  ) {
    this.structure = new PythonStructure(tokens, source);
    this.tree = new PythonTreeAccess(tree.rootNode, MAX_TREE_LOOKUPS);
    const inImport = new Uint8Array(tokens.count);
    const imports = findImportStatements(tokens, inImport);
    for (const stmt of imports) {
      for (const ref of stmt.refs) this.addImport(ref.module, ref, ref.form);
      if (stmt.star !== undefined) this.starModules.push(stmt.star);
    }
    this.names = new PythonNames(tokens, this.structure, this.tree, imports, inImport);
    for (const stmt of imports) {
      // `class A: import os` makes `A.os` (and `self.os`) the module.
      if (this.structure.bindingScope(tokens.start[stmt.keyword]).kind !== 'class') continue;
      for (const b of stmt.bindings) this.addAttributeAlias(b.name, [importValue(b)]);
    }
    this.ev = new PythonEvaluator(this);
  }

  run(): void {
    const star = this.starModules.length > 0;
    for (const name of this.names.names()) {
      if (
        star ||
        this.names.isImported(name) ||
        PYTHON_BUILTINS.has(name) ||
        name === '__builtins__' ||
        SENSITIVE_MODULES.has(name)
      )
        this.enqueue(name);
    }
    while (this.queue.length > 0) {
      const name = this.queue.shift() as string;
      for (const tok of this.names.info(name).refs) this.walk(tok);
    }
    if (this.attributeAliases.size > 0) this.walkAttributeAliases();
  }

  private enqueue(name: string): void {
    if (this.queued.has(name) || !this.names.occurs(name)) return;
    this.queued.add(name);
    this.queue.push(name);
  }

  // ---- facts ----

  private addImport(module: string, at: Span, form: string): void {
    const names = [module];
    const canonical = CANONICAL_MODULES.get(module.split('.')[0]);
    if (canonical !== undefined) names.push([canonical, ...module.split('.').slice(1)].join('.'));
    for (const m of names) {
      if (this.facts.imports.length >= MAX_FACTS) return;
      const key = `i:${m}:${at.start}:${at.end}:${form}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.facts.imports.push({ module: m, start: at.start, end: at.end, form });
    }
  }

  private addDynamic(at: Span, reason: string): void {
    const key = `d:${at.start}:${at.end}`;
    if (this.seen.has(key) || this.facts.dynamicImports.length >= MAX_FACTS) return;
    this.seen.add(key);
    this.facts.dynamicImports.push({ start: at.start, end: at.end, reason });
  }

  private addCall(name: string, start: number, end: number): void {
    let spans = this.seenCalls.get(name);
    if (!spans) this.seenCalls.set(name, (spans = new Set()));
    const key = start * 0x100000 + (end - start);
    if (spans.has(key) || this.facts.calls.length >= MAX_FACTS) return;
    spans.add(key);
    this.facts.calls.push({ name, start, end });
  }

  private reportRefs(values: Value[], start: number, end: number): void {
    for (const v of values) {
      const q = qualifiedName(v);
      if (q !== undefined) for (const n of reportNames(q)) this.addCall(n, start, end);
    }
  }

  // ---- EvalHost ----

  onImport(module: string, at: Span, form: string): void {
    this.addImport(module, at, form);
  }

  onDynamicImport(at: Span, reason: string): void {
    this.addDynamic(at, reason);
  }

  onCode(code: string, at: Span): void {
    const sub = this.snippet?.(code);
    if (!sub) return;
    for (const i of sub.imports) this.addImport(i.module, at, i.form);
    for (const d of sub.dynamicImports) this.addDynamic(at, d.reason);
    for (const c of sub.calls) this.addCall(c.name, at.start, at.end);
  }

  onCall(value: Value, at: Span): void {
    this.reportRefs([value], at.start, at.end);
  }

  resolve(name: string, offset: number, depth: number, objectsOnly = false): Value[] {
    const info = this.names.info(name);
    let found: Value[][] | undefined;
    if (info.local.size > 0) {
      // Walk out from the innermost scope: a function binding the name decides; a class body only
      // counts for code directly in it, and is looked up at run time (so outer bindings stay possible).
      let inFunction = false;
      for (
        let scope: Scope | null = this.structure.innermost(offset);
        scope && scope.kind !== 'module';
        scope = scope.parent
      ) {
        if (!scopeContains(scope, offset)) continue;
        const bindings = info.local.get(scope.id);
        if (scope.kind === 'class') {
          if (inFunction || !bindings) continue;
          found ??= [];
          for (const b of bindings) found.push(this.bindingValues(b, depth, objectsOnly));
          if (bindings.some((b) => this.structure.dominates(b.tok, offset))) return union(found);
          continue;
        }
        inFunction = true;
        if (!bindings) continue;
        found ??= [];
        for (const b of bindings) found.push(this.bindingValues(b, depth, objectsOnly));
        return finish(union(found));
      }
    }
    for (const b of info.module) (found ??= []).push(this.bindingValues(b, depth, objectsOnly));
    const fallback = this.fallback(name);
    if (fallback.length > 0 && this.fallbackVisible(info.module, offset)) (found ??= []).push(fallback);
    return found ? finish(union(found)) : [UNKNOWN];
  }

  resolveGlobal(name: string, depth: number): Value[] {
    const out = union(this.names.info(name).module.map((b) => this.bindingValues(b, depth)));
    return out.length > 0 ? out : [UNKNOWN];
  }

  /** What a name not bound in the file is: a builtin, or a member of a star-imported module. */
  private fallback(name: string): Value[] {
    if (name === '__builtins__') return [{ k: 'module', name: 'builtins' }];
    const isBuiltin = PYTHON_BUILTINS.has(name);
    const out: Value[] = [];
    let shadowed = false;
    for (const m of this.starModules) {
      if (BUILTINS_MODULES.has(m)) continue;
      if (!isBuiltin) out.push({ k: 'member', name: m + '.' + name });
      else if (STAR_EXPORTS_SHADOWING_BUILTINS.get(m)?.has(name)) {
        out.push({ k: 'member', name: m + '.' + name });
        shadowed = true;
      }
    }
    if (isBuiltin && !shadowed) out.push({ k: 'builtin', name });
    // Code fragments often leave out their imports: an unbound `os` or `subprocess` is taken to be the
    // module (the code fails otherwise, so nothing is lost by assuming the worst).
    if (out.length === 0 && SENSITIVE_MODULES.has(name)) out.push({ k: 'module', name });
    return out;
  }

  /**
   * Module and class bodies look names up at run time: the builtin stays visible until an unconditional
   * top-level binding has run. Code in functions runs after the module body.
   */
  private fallbackVisible(module: Binding[], offset: number): boolean {
    let later = false;
    for (const b of module) {
      if (this.structure.dominates(b.tok, offset)) return false;
      if (!b.conditional) later = true;
    }
    return !later || !this.structure.inFunctionWithin(offset, this.structure.module);
  }

  private bindingValues(b: Binding, depth: number, objectsOnly = false): Value[] {
    if (b.kind === 'import') return [b.value as Value];
    if (b.kind === 'function') {
      // Only functions seen returning something tracked are followed into.
      return b.function && this.returning.has(b.function.id)
        ? [{ k: 'function', scope: b.function.id }]
        : [UNKNOWN];
    }
    if (b.kind === 'opaque') return [UNKNOWN];
    if (b.memo) return b.memo;
    // Only a module, member or builtin is wanted: skip values that cannot be one.
    if (objectsOnly && !b.node && !this.rangeMayHold(b.from ?? 0, b.to ?? 0, true)) return [UNKNOWN];
    if (b.busy) return [UNKNOWN];
    b.busy = true;
    const outer = this.ev.truncated;
    this.ev.truncated = false;
    let values = b.node
      ? this.ev.evaluate(b.node, depth + 1)
      : this.evaluateTokens(b.from ?? 0, b.to ?? 0, depth + 1);
    if (b.kind === 'iter') {
      values = union(
        values.map((v) =>
          v.k === 'seq'
            ? v.items
            : v.k === 'str'
              ? Array.from(v.v, (c): Value => ({ k: 'str', v: c }))
              : [UNKNOWN],
        ),
      );
    }
    if (b.path && b.path.length > 0) values = union(values.map((v) => [followPath(v, b.path as number[])]));
    b.busy = false;
    if (!this.ev.truncated) b.memo = values;
    this.ev.truncated = this.ev.truncated || outer;
    return values;
  }

  /**
   * Whether the tokens [from, to) can evaluate to something the analysis tracks: a module, member,
   * builtin or lambda (and, unless `objectsOnly`, a constant). They can if they hold a literal, or a name
   * that may hold one. Most right-hand sides (`x = self.f(a)`) cannot, and never reach the syntax tree.
   */
  private rangeMayHold(
    from: number,
    to: number,
    objectsOnly: boolean,
    depth = 0,
    stringsOnly = false,
  ): boolean {
    const t = this.tokens;
    for (let k = from; k < to && k < t.count; k++) {
      const kind = t.kind[k];
      if (!objectsOnly && (kind === T_STRING || kind === T_FSTART || (kind === T_NUMBER && !stringsOnly)))
        return true;
      if (kind === T_KEYWORD && t.names[k] === 'lambda') return true;
      if (
        kind === T_NAME &&
        !(k > 0 && t.kind[k - 1] === T_OP && t.op[k - 1] === DOT) &&
        this.nameMayHold(t.names[k], objectsOnly, depth)
      ) {
        return true;
      }
    }
    return false;
  }

  /** Whether a name may hold a tracked value: an import, a builtin, or a binding whose value may. */
  private nameMayHold(name: string, objectsOnly: boolean, depth: number): boolean {
    const memo = objectsOnly ? this.mayHoldObject : this.mayHoldAny;
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (
      this.names.isImported(name) ||
      PYTHON_BUILTINS.has(name) ||
      name === '__builtins__' ||
      SENSITIVE_MODULES.has(name)
    ) {
      memo.set(name, true);
      return true;
    }
    if (depth > 64) return true;
    memo.set(name, false); // cycles (`a = b; b = a`) hold nothing
    const info = this.names.info(name);
    let result = this.starModules.length > 0 && info.module.length === 0;
    const holds = (b: Binding): boolean =>
      b.kind === 'import' ||
      b.node !== undefined ||
      (b.kind === 'function'
        ? b.function !== undefined && this.returning.has(b.function.id)
        : b.kind !== 'opaque' && this.rangeMayHold(b.from ?? 0, b.to ?? 0, objectsOnly, depth + 1));
    for (const b of info.module) if (!result && holds(b)) result = true;
    for (const bindings of info.local.values())
      for (const b of bindings) if (!result && holds(b)) result = true;
    memo.set(name, result);
    return result;
  }

  /**
   * The value of the expression in tokens [from, to): a plain `a.b.c` chain is resolved from the tokens,
   * anything else through its syntax tree node.
   */
  private evaluateTokens(from: number, to: number, depth: number): Value[] {
    const t = this.tokens;
    if (to <= from) return [UNKNOWN];
    if (to === from + 1) {
      // Single-token values need no tree.
      const k = t.kind[from];
      if (k === T_NUMBER) return parseInteger(this.source.slice(t.start[from], t.end[from]));
      if (k === T_STRING) {
        const d = decodeStringLiteral(this.source.slice(t.start[from], t.end[from]));
        return d ? [d.bytes ? { k: 'bytes', v: d.value } : { k: 'str', v: d.value }] : [UNKNOWN];
      }
      if (k === T_KEYWORD) {
        const w = t.names[from];
        return w === 'None'
          ? [{ k: 'none' }]
          : w === 'True'
            ? [{ k: 'int', v: 1 }]
            : w === 'False'
              ? [{ k: 'int', v: 0 }]
              : [UNKNOWN];
      }
    }
    if (t.kind[from] === T_OP && t.match[from] === to - 1) {
      if (to === from + 2) return [UNKNOWN]; // `{}`, `[]`, `()`
    }
    const chain = isDottedName(t, from, to);
    if (chain) {
      let values = this.resolve(t.names[from], t.start[from], depth + 1);
      for (let k = from + 2; k < to; k += 2) {
        const attr = tokenName(t, k);
        values = union(values.map((v) => [getAttr(v, attr)]));
      }
      return values;
    }
    const node = this.tree.spend() ? this.tree.nodeSpanning(t.start[from], t.end[to - 1]) : undefined;
    return node ? this.ev.evaluate(node, depth) : [UNKNOWN];
  }

  // ---- references ----

  /** Follows the expression that starts at a reference: `a.b.c(...)...`, reporting what it reaches. */
  private walk(tok: number): void {
    this.walkFrom(
      tok,
      this.tokens.start[tok],
      this.resolve(this.tokens.names[tok], this.tokens.start[tok], 0, true),
    );
  }

  /** Follows the expression from token `tok` (whose value is `values`), reporting spans from `start`. */
  private walkFrom(tok: number, start: number, values: Value[]): void {
    const t = this.tokens;
    if (!values.some(worthFollowing)) return;
    let i = tok;
    let end = t.end[tok];
    for (let steps = 0; steps < MAX_CHAIN; steps++) {
      const j = i + 1;
      const op = j < t.count && t.kind[j] === T_OP ? t.op[j] : -1;
      if (op === DOT && j + 1 < t.count && (t.kind[j + 1] === T_NAME || t.kind[j + 1] === T_KEYWORD)) {
        const attr = tokenName(t, j + 1);
        this.noteReexport(values, attr, start, t.end[j + 1]);
        values =
          values.length === 1 ? [getAttr(values[0], attr)] : union(values.map((v) => [getAttr(v, attr)]));
        i = j + 1;
        end = t.end[i];
        if (!values.some(worthFollowing)) return;
        continue;
      }
      if (op === LPAR) {
        this.reportRefs(values, start, end);
        const close = t.match[j];
        if (close < 0 || !values.some(needsCall)) return;
        // getattr/vars/exec on arguments that cannot hold a module, builtin or string: nothing to follow.
        const code = values.every(isCodeFunction);
        if (
          close > j + 1 &&
          !values.some(importFunctionOrLambda) &&
          !this.rangeMayHold(j + 1, close, false, 0, code)
        )
          return;
        if (!this.tree.spend()) {
          // Over budget: what cannot be followed is reported as unknown rather than dropped.
          if (!code) this.addDynamic({ start, end: t.end[close] }, BUDGET_REASON);
          return;
        }
        const call = this.tree.nodeSpanning(start, t.end[close], 'call');
        if (!call) return;
        values = union(values.map((v) => this.ev.applyCall(v, call, true, 0)));
        if (this.ev.exhausted && !code) this.addDynamic({ start, end: t.end[close] }, BUDGET_REASON);
        i = close;
        end = t.end[close];
        if (!values.some(worthFollowing)) return;
        continue;
      }
      if (op === LSQB && t.match[j] >= 0 && values.some(subscriptable)) {
        this.reportRefs(values, start, end);
        const close = t.match[j];
        if (!this.tree.spend()) {
          this.addDynamic({ start, end: t.end[close] }, BUDGET_REASON);
          return;
        }
        const sub = this.tree.nodeSpanning(start, t.end[close], 'subscript');
        if (!sub) return;
        values = this.ev.subscript(values, sub, true, 0);
        if (this.ev.exhausted) this.addDynamic({ start, end: t.end[close] }, BUDGET_REASON);
        i = close;
        end = t.end[close];
        if (!values.some(worthFollowing)) return;
        continue;
      }
      // The chain ends: the value is used (passed, stored, returned) rather than called.
      const aliased = this.followAlias(tok, i, values, start, end);
      this.reportRefs(values, start, end);
      if (!aliased) {
        for (const v of values) {
          const f = importFunctionName(v);
          if (f !== undefined)
            this.addDynamic({ start, end }, `${f} is used as a value, so what it imports is not known`);
        }
      }
      return;
    }
  }

  /** `shutil.os`, `subprocess.sys`: a module reached as another module's attribute. */
  private noteReexport(values: Value[], attr: string, start: number, end: number): void {
    const inner = attr.replace(/^_+/, '');
    if (!REEXPORTED_MODULES.has(inner) || !values.some((v) => v.k === 'module' || v.k === 'member')) return;
    if (values.every((v) => (v.k === 'module' || v.k === 'member') && v.name === inner)) return;
    this.addImport(BUILTINS_MODULES.has(inner) ? 'builtins' : inner, { start, end }, 'module attribute');
  }

  /** When the value at [start, end) is stored under a name, that name becomes interesting too. */
  private followAlias(tok: number, last: number, values: Value[], start: number, end: number): boolean {
    if (!values.some((v) => v.k !== 'unknown' && v.k !== 'str' && v.k !== 'bytes' && v.k !== 'int'))
      return false;
    const t = this.tokens;
    const st = this.structure;
    if (tok > 0 && t.kind[tok - 1] === T_KEYWORD && t.names[tok - 1] === 'return' && endsValue(t, last + 1)) {
      this.noteReturn(tok, values);
      return false;
    }
    if (!mayFlowIntoName(t, st, tok) || !endsValue(t, last + 1)) return false;
    // `name = value` as a whole statement: no need for the tree.
    const target = simpleAssignmentTarget(t, st, tok, last);
    if (target >= 0) {
      this.enqueue(t.names[target]);
      if (st.innermost(t.start[target]).kind === 'class') this.addAttributeAlias(t.names[target], values);
      return true;
    }
    if (!this.tree.spend()) return false;
    const node = this.tree.nodeSpanning(start, end);
    if (!node) return false;
    const attributes: SyntaxNode[] = [];
    const targets = aliasTargets(node, attributes);
    for (const id of targets) {
      const name = identifierName(id);
      this.enqueue(name);
      if (st.innermost(id.startIndex).kind === 'class') this.addAttributeAlias(name, values);
    }
    for (const a of attributes) this.addAttributeAlias(identifierName(a), values);
    return targets.length > 0;
  }

  /**
   * `return <tracked value>` inside `def f`: calls of `f` are followed into (`f().system(...)`), so `f`
   * becomes interesting.
   */
  private noteReturn(tok: number, values: Value[]): void {
    if (!values.some(worthFollowing)) return;
    let scope: Scope | null = this.structure.innermost(this.tokens.start[tok]);
    while (scope && scope.kind === 'comprehension') scope = scope.parent;
    if (!scope || scope.kind !== 'function' || scope.nameTok === undefined || this.returning.has(scope.id))
      return;
    this.returning.add(scope.id);
    this.enqueue(this.tokens.names[scope.nameTok]);
  }

  returnsOf(scopeId: number, depth: number): Value[] {
    const memo = this.returnMemo.get(scopeId);
    if (memo) return memo;
    const scope = this.structure.scopes[scopeId];
    if (!scope || depth > 32) return [UNKNOWN];
    this.returnMemo.set(scopeId, [UNKNOWN]); // recursion holds nothing
    const found = this.structure
      .returnsOf(scope, 16)
      .map(([from, to]) => this.evaluateTokens(from, to, depth + 1));
    const out = found.length > 0 ? union(found) : [UNKNOWN];
    this.returnMemo.set(scopeId, out.length > 0 ? out : [UNKNOWN]);
    return this.returnMemo.get(scopeId) as Value[];
  }

  /**
   * A value stored in an attribute (`self.run = os.system`, or a class attribute `run = os.system`) is
   * followed wherever an attribute of that name is read (`self.run(...)`, `A.run(...)`), whatever the
   * object: a field-insensitive approximation that catches modules and members hidden in objects.
   */
  private addAttributeAlias(name: string, values: Value[]): void {
    const kept = values.filter(worthFollowing);
    if (kept.length === 0) return;
    this.attributeAliases.set(name, union([this.attributeAliases.get(name) ?? [], kept]));
  }

  /** Walks every `<expr>.name` where `name` is an attribute alias. */
  private walkAttributeAliases(): void {
    const t = this.tokens;
    const text = this.source;
    const byLength = new Map<number, string[]>();
    for (const name of this.attributeAliases.keys()) {
      const list = byLength.get(name.length);
      if (list) list.push(name);
      else byLength.set(name.length, [name]);
    }
    for (let i = 1; i < t.count; i++) {
      if (t.kind[i] !== T_NAME || t.kind[i - 1] !== T_OP || t.op[i - 1] !== DOT) continue;
      let name: string | undefined;
      if (t.op[i] === 1)
        name = tokenName(t, i); // non-ASCII: compare the normalised name
      else {
        const s = t.start[i];
        name = byLength.get(t.end[i] - s)?.find((c) => text.startsWith(c, s));
      }
      const values = name === undefined ? undefined : this.attributeAliases.get(name);
      if (!values) continue;
      // The reported span starts at the head of the whole chain (`self` in `self.run`).
      this.walkFrom(i, t.start[chainHead(t, i, MAX_CHAIN)], values);
    }
  }
}

function finish(values: Value[]): Value[] {
  return values.length > 0 ? values : [UNKNOWN];
}

function followPath(v: Value, path: number[]): Value {
  let cur = v;
  for (const i of path) {
    if (cur.k !== 'seq' || i < 0 || i >= cur.items.length) return UNKNOWN;
    cur = cur.items[i];
  }
  return cur;
}

function worthFollowing(v: Value): boolean {
  return (
    v.k === 'module' ||
    v.k === 'member' ||
    v.k === 'builtin' ||
    v.k === 'ns' ||
    v.k === 'lambda' ||
    v.k === 'method' ||
    v.k === 'getter' ||
    v.k === 'caller' ||
    v.k === 'function'
  );
}

function needsCall(v: Value): boolean {
  if (v.k === 'lambda' || v.k === 'method' || v.k === 'getter' || v.k === 'caller' || v.k === 'function')
    return true;
  if (v.k !== 'builtin' && v.k !== 'member') return false;
  return SPECIAL_CALLS.has(v.name) || importFunctionName(v) !== undefined;
}

function isCodeFunction(v: Value): boolean {
  return (
    v.k === 'builtin' &&
    (v.name === 'eval' || v.name === 'exec' || v.name === 'compile' || v.name === 'execfile')
  );
}

function importFunctionOrLambda(v: Value): boolean {
  return (
    v.k === 'lambda' ||
    v.k === 'method' ||
    v.k === 'getter' ||
    v.k === 'caller' ||
    v.k === 'function' ||
    importFunctionName(v) !== undefined
  );
}

function subscriptable(v: Value): boolean {
  return (
    v.k === 'ns' ||
    (v.k === 'module' && v.name === 'builtins') ||
    (v.k === 'member' && v.name === 'sys.modules')
  );
}
