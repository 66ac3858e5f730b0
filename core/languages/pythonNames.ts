import type { ImportBinding, ImportStatement } from './pythonImports';
import { OP_AUGASSIGN, OP_POW, OP_WALRUS, T_KEYWORD, T_NAME, T_OP, type PythonTokens } from './pythonLexer';
import type { PythonStructure, Scope } from './pythonStructure';
import { inForTarget, iterableEnd } from './pythonTokenContext';
import type { PythonTreeAccess } from './pythonTreeAccess';
import { classifyIdentifier } from './pythonTreeRoles';
import { getAttr, type Value } from './pythonValues';
import type { SyntaxNode } from './types';

/** Where a name is bound, and to what. */
export interface Binding {
  scope: Scope;
  offset: number;
  /** Token of the binding (or of the import keyword). */
  tok: number;
  /** Binds only on some paths (inside an `if`, loop, `try`...). */
  conditional: boolean;
  kind: 'import' | 'value' | 'iter' | 'function' | 'opaque';
  /** For imports: the module or member. */
  value?: Value;
  /** The value expression: a tree node, or a token range [from, to). */
  node?: SyntaxNode;
  from?: number;
  to?: number;
  /** For `def`: the function's scope. */
  function?: Scope;
  /** Position inside a tuple target: `a, (b, c) = ...` binds c at [1, 1]. */
  path?: number[];
  memo?: Value[];
  busy?: boolean;
}

/** Everything known about one name in the file. */
export interface NameInfo {
  /** Tokens where the name is read. */
  refs: number[];
  /** Bindings in function, lambda, class and comprehension scopes, by scope id. */
  local: Map<number, Binding[]>;
  module: Binding[];
}

const DOT = 46;
const LPAR = 40;
const LSQB = 91;
const COMMA = 44;
const EQUALS = 61;
const COLON = 58;
const RPAR = 41;
const RSQB = 93;
const STAR = 42;

/**
 * The names of a file: every occurrence outside strings, comments and import statements, indexed by
 * name, and sorted on demand (per name) into references and bindings with their scopes.
 */
export class PythonNames {
  private readonly index = new Map<string, number[]>();
  private readonly importBindings = new Map<string, { stmt: ImportStatement; binding: ImportBinding }[]>();
  private readonly infos = new Map<string, NameInfo>();

  constructor(
    private readonly tokens: PythonTokens,
    private readonly structure: PythonStructure,
    private readonly tree: PythonTreeAccess,
    imports: ImportStatement[],
    inImport: Uint8Array,
  ) {
    for (const stmt of imports) {
      for (const binding of stmt.bindings) {
        let list = this.importBindings.get(binding.name);
        if (!list) this.importBindings.set(binding.name, (list = []));
        list.push({ stmt, binding });
      }
    }
    const t = tokens;
    for (let i = 0; i < t.count; i++) {
      if (t.kind[i] !== T_NAME || inImport[i]) continue;
      if (i > 0 && t.kind[i - 1] === T_OP && t.op[i - 1] === DOT) continue;
      const name = t.names[i];
      let list = this.index.get(name);
      if (!list) this.index.set(name, (list = []));
      list.push(i);
    }
  }

  /** The names that occur in the file (outside imports and attribute positions). */
  names(): IterableIterator<string> {
    return this.index.keys();
  }

  occurs(name: string): boolean {
    return this.index.has(name);
  }

  isImported(name: string): boolean {
    return this.importBindings.has(name);
  }

  info(name: string): NameInfo {
    let info = this.infos.get(name);
    if (info) return info;
    info = { refs: [], local: new Map(), module: [] };
    this.infos.set(name, info);
    const bindings: Binding[] = [];
    const globalIn = new Set<number>();
    const nonlocalIn = new Set<number>();
    for (const { stmt, binding } of this.importBindings.get(name) ?? []) {
      const scope = this.structure.bindingScope(this.tokens.start[stmt.keyword]);
      bindings.push({
        scope,
        conditional: this.structure.isConditional(stmt.keyword, scope),
        offset: this.tokens.start[stmt.keyword],
        tok: stmt.keyword,
        kind: 'import',
        value: importValue(binding),
      });
    }
    for (const tok of this.index.get(name) ?? []) this.classify(tok, info, bindings, globalIn, nonlocalIn);
    for (const b of bindings) {
      if (b.scope.kind === 'module') continue;
      if (globalIn.has(b.scope.id)) {
        b.scope = this.structure.module;
        b.conditional = true;
      } else if (nonlocalIn.has(b.scope.id)) {
        let s = b.scope.parent;
        while (s && s.kind !== 'function' && s.kind !== 'module') s = s.parent;
        b.scope = s ?? this.structure.module;
        b.conditional = true;
      }
    }
    for (const b of bindings) {
      if (b.scope.kind === 'module') {
        info.module.push(b);
        continue;
      }
      let list = info.local.get(b.scope.id);
      if (!list) info.local.set(b.scope.id, (list = []));
      list.push(b);
    }
    return info;
  }

  /**
   * Sorts one occurrence into references, bindings or declarations. Tokens settle the common cases
   * (`x.`, `x(`, `def x`, parameters, `x = ...` at the start of a statement, `for x in`, `as x`); the
   * syntax tree settles the rest (tuple targets, annotations, walrus, match patterns).
   */
  private classify(
    tok: number,
    info: NameInfo,
    bindings: Binding[],
    globalIn: Set<number>,
    nonlocalIn: Set<number>,
  ): void {
    const t = this.tokens;
    const st = this.structure;
    const offset = t.start[tok];
    const prev = tok - 1;
    const next = tok + 1;
    const prevWord = prev >= 0 && t.kind[prev] === T_KEYWORD ? t.names[prev] : undefined;
    const prevOp = prev >= 0 && t.kind[prev] === T_OP ? t.op[prev] : -1;
    const nextOp = next < t.count && t.kind[next] === T_OP ? t.op[next] : -1;
    const nextWord = next < t.count && t.kind[next] === T_KEYWORD ? t.names[next] : undefined;

    if (prevWord === 'def' || prevWord === 'class') {
      this.bind(bindings, tok, st.bindingScope(offset), 'opaque');
      const fn = st.defScopes.get(tok);
      if (fn) {
        const b = bindings[bindings.length - 1];
        b.kind = 'function';
        b.function = fn;
      }
      return;
    }
    const param = st.params.get(tok);
    if (param) {
      const kind = param.to > param.from ? 'value' : 'opaque';
      bindings.push({
        scope: param.scope,
        offset,
        tok,
        conditional: false,
        kind,
        from: param.from,
        to: param.to,
      });
      return;
    }
    if (nextOp === DOT || nextOp === LPAR || nextOp === LSQB) {
      info.refs.push(tok); // `x.`, `x(`, `x[`: an expression, never a plain-name target
      return;
    }
    if (prevWord === 'as') return this.bind(bindings, tok, st.bindingScope(offset), 'opaque');
    const s = st.stmtOf[tok];
    const first = st.stmtFirst[s];
    const firstWord = t.kind[first] === T_KEYWORD ? t.names[first] : undefined;
    if (
      prevWord === 'global' ||
      prevWord === 'nonlocal' ||
      (prevOp === COMMA && (firstWord === 'global' || firstWord === 'nonlocal'))
    ) {
      const scope = st.bindingScope(offset);
      ((prevWord ?? firstWord) === 'global' ? globalIn : nonlocalIn).add(scope.id);
      return;
    }
    if (prevWord === 'del') return;
    if (prevWord === 'for' && nextWord === 'in') {
      return this.bind(
        bindings,
        tok,
        st.bindingScope(offset),
        'iter',
        next + 1,
        iterableEnd(t, st, tok, next + 1),
      );
    }
    const atStart = first === tok;
    if (nextOp === EQUALS) {
      if (t.depth[tok] > 0) return; // keyword argument
      if (atStart && st.stmtLastEq[s] === next) {
        return this.bind(bindings, tok, st.bindingScope(offset), 'value', next + 1, st.stmtEnd[s]);
      }
      return this.classifyByTree(tok, info, bindings);
    }
    if (atStart && nextOp === OP_AUGASSIGN)
      return this.bind(bindings, tok, st.bindingScope(offset), 'opaque');
    const maybeTarget =
      nextOp === OP_WALRUS ||
      (atStart && nextOp === COLON && t.depth[tok] === 0) ||
      st.stmtLastEq[s] > tok ||
      (t.kind[first] === T_NAME && t.names[first] === 'case' && st.stmtHeader[s] === 1) ||
      ((prevOp === STAR ||
        prevOp === OP_POW ||
        prevOp === COMMA ||
        prevOp === LPAR ||
        prevOp === LSQB ||
        nextWord === 'in' ||
        nextOp === COMMA ||
        nextOp === RPAR ||
        nextOp === RSQB) &&
        inForTarget(t, tok));
    if (maybeTarget) return this.classifyByTree(tok, info, bindings);
    info.refs.push(tok);
  }

  private bind(
    bindings: Binding[],
    tok: number,
    scope: Scope,
    kind: Binding['kind'],
    from?: number,
    to?: number,
  ): void {
    bindings.push({
      scope,
      offset: this.tokens.start[tok],
      tok,
      conditional: this.structure.isConditional(tok, scope),
      kind,
      from,
      to,
    });
  }

  private classifyByTree(tok: number, info: NameInfo, bindings: Binding[]): void {
    const t = this.tokens;
    const node = this.tree.spend() ? this.tree.descendant(t.start[tok], t.end[tok]) : null;
    if (!node || node.type !== 'identifier' || node.startIndex !== t.start[tok]) {
      info.refs.push(tok); // unknown shape, or over budget: a reference is the conservative reading
      return;
    }
    const role = classifyIdentifier(node);
    if (role.role === 'ref') info.refs.push(tok);
    else if (role.role === 'binding') {
      const scope = this.structure.bindingScope(t.start[tok], role.skipComprehensions);
      bindings.push({
        scope,
        offset: t.start[tok],
        tok,
        conditional: this.structure.isConditional(tok, scope),
        kind: role.kind,
        node: role.value,
        path: role.path,
      });
    }
  }
}

/** What an import binds its name to: a module, or (`from a.b import c`) the member `a.b.c`. */
export function importValue(binding: ImportBinding): Value {
  return binding.kind === 'module' ? { k: 'module', name: binding.target } : memberOf(binding.target);
}

/** `from a.b import c` binds `c` to `a.b.c` (a builtin when `a.b` is the builtins module). */
function memberOf(qualified: string): Value {
  const dot = qualified.lastIndexOf('.');
  if (dot <= 0) return { k: 'member', name: qualified };
  return getAttr({ k: 'module', name: qualified.slice(0, dot) }, qualified.slice(dot + 1));
}
