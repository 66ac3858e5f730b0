import { LIMITS } from './javascriptConstants';
import type { JsContext } from './javascriptContext';
import { cookIdentifier, cookLiteral } from './javascriptLiterals';
import type { Value } from './javascriptValues';
import type { Span, SyntaxNode } from './types';

export type BindingKind =
  'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import' | 'catch' | 'global' | 'other';

/** One destructuring step: a property key or index, or null for a rest element (kept as the whole value). */
export type PathStep = string | null;

/** A declaration of a name, with what is known about the values it can hold. */
export interface Binding {
  readonly name: string;
  /** The region where the name refers to this binding. */
  readonly scope: Span;
  kind: BindingKind;
  readonly decl: SyntaxNode;
  /** The initializer the destructuring `path` applies to. */
  init?: SyntaxNode;
  path: PathStep[];
  /** Default values in patterns and parameters: also possible values. */
  defaults: SyntaxNode[];
  importValue?: Value;
  /** Plain assignments after the declaration. */
  readonly writes: Array<{ rhs: SyntaxNode; path: PathStep[] }>;
  /** Written in a way whose value is unknown (`++`, `+=`, `for (x of ...)`, a second declaration). */
  opaque: boolean;
  /** Memo slots for the evaluator (0 = not computed, 1 = in progress, 2 = done). */
  valueState: 0 | 1 | 2;
  value?: Value;
  constState: 0 | 1 | 2;
  constant?: unknown;
  /** Tracked values that forward walks found flowing into this binding. */
  carried: Value[];
}

/** A read of a name. `node` is absent when the text alone showed it is a read (`name.member`). */
export interface Read extends Span {
  node?: SyntaxNode;
  /** The text shows a plain call: `name(...)`. */
  call?: boolean;
}

interface NameInfo {
  bindings: Binding[];
  /** Reads of the name (including `{name}` shorthands and `export {name}`). */
  reads: Read[];
}

type Role =
  | { role: 'read' }
  | { role: 'ignore' }
  | {
      role: 'decl';
      kind: BindingKind;
      scope: Span;
      init?: SyntaxNode;
      path: PathStep[];
      defaults: SyntaxNode[];
      importValue?: Value;
    }
  | { role: 'write'; rhs?: SyntaxNode; path: PathStep[] };

const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
  'class_static_block',
  'program',
]);
const BLOCKS = new Set([
  ...FUNCTIONS,
  'statement_block',
  'for_statement',
  'for_in_statement',
  'switch_body',
  'catch_clause',
]);
const PATTERNS = new Set([
  'object_pattern',
  'array_pattern',
  'pair_pattern',
  'assignment_pattern',
  'object_assignment_pattern',
  'rest_pattern',
]);
const SIGNATURES = new Set([
  'function_signature',
  'method_signature',
  'abstract_method_signature',
  'property_signature',
  'interface_declaration',
  'type_alias_declaration',
  'type_parameter',
  'index_signature',
  'meta_property',
  'namespace_export',
  'labeled_statement',
  'break_statement',
  'continue_statement',
]);

/**
 * Scopes and bindings, computed per name on demand from the name's occurrences only: resolving `cp` costs
 * in proportion to how often `cp` appears, not to the size of the file.
 */
export class NameTable {
  private readonly infos = new Map<string, NameInfo>();
  /** Declarations already understood by the import walk, by offset: no need to ask the tree again. */
  private readonly known = new Map<number, Role>();

  constructor(
    private readonly ctx: JsContext,
    /** The static key of a destructuring key or computed key node, if it has one. */
    private readonly keyOf: (node: SyntaxNode) => string | undefined,
  ) {}

  reads(name: string): Read[] {
    return this.info(name).reads;
  }

  /** The identifier node of a read (looked up on first need). */
  node(read: Read): SyntaxNode | undefined {
    read.node ??= this.ctx.nodeAt(read.start, read.end) ?? undefined;
    return read.node;
  }

  /** An identifier an import statement binds (program-wide) to `value`. */
  declareImport(id: SyntaxNode, value: Value): void {
    const scope = { start: 0, end: this.ctx.text.length + 1 };
    this.known.set(id.startIndex, {
      role: 'decl',
      kind: 'import',
      scope,
      path: [],
      defaults: [],
      importValue: value,
    });
  }

  /** Records that `value` flows into `b`: `new`, already `known`, or `full` (too many values to follow). */
  carry(b: Binding, value: Value): 'new' | 'known' | 'full' {
    const key = valueKey(value);
    if (b.carried.some((v) => valueKey(v) === key)) return 'known';
    if (b.carried.length >= 8) return 'full';
    b.carried.push(value);
    return 'new';
  }

  /** The binding an occurrence of `name` at `offset` refers to; undefined for an undeclared global. */
  resolve(name: string, offset: number): Binding | undefined {
    let best: Binding | undefined;
    for (const b of this.info(name).bindings) {
      if (offset < b.scope.start || offset >= b.scope.end) continue;
      if (
        !best ||
        b.scope.start > best.scope.start ||
        (b.scope.start === best.scope.start && b.scope.end < best.scope.end)
      ) {
        best = b;
      }
    }
    return best;
  }

  /** All reads that resolve to `b`, with their nodes. */
  readsOf(b: Binding): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const r of this.info(b.name).reads) {
      if (this.resolve(b.name, r.start) !== b) continue;
      const n = this.node(r);
      if (n) out.push(n);
    }
    return out;
  }

  private info(name: string): NameInfo {
    let info = this.infos.get(name);
    if (info) return info;
    info = { bindings: [], reads: [] };
    this.infos.set(name, info);
    const writes: Array<{ node: SyntaxNode; rhs?: SyntaxNode; path: PathStep[] }> = [];
    const occs = this.ctx.occurrences(name);
    const count = Math.min(occs.length, LIMITS.occurrencesPerName);
    if (count < occs.length) {
      // Padding a file with uses of a name must not hide the ones after the limit: say so instead.
      this.ctx.facts.dynamicImports.push({
        start: occs[count].start,
        end: occs[count].end,
        reason: `\`${name}\` occurs more than ${count} times; the uses after this one were not analyzed`,
      });
    }
    const text = this.ctx.text;
    for (let i = 0; i < count; i++) {
      const { start, end } = occs[i];
      const known = this.known.get(start);
      if (known?.role === 'decl') {
        this.declare(info, name, this.ctx.root, known);
        continue;
      }
      // `x.name` is a property, not the variable (`...name` is a spread); `name.x` can only be a read.
      // Both are settled from the text, without the tree.
      let k = start - 1;
      while (k > 0 && isBlank(text.charCodeAt(k))) k--;
      if (text.charCodeAt(k) === 46 && text.charCodeAt(k - 1) !== 46) continue;
      let j = end;
      while (j < text.length && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46 && text.charCodeAt(j + 1) !== 46) {
        info.reads.push({ start, end });
        continue;
      }
      if (text.charCodeAt(j) === 40 && plainCall(text, k, j)) {
        info.reads.push({ start, end, call: true });
        continue;
      }
      const node = this.ctx.nodeAt(start, end);
      if (!node) continue;
      const r = this.classify(node);
      if (r.role === 'read') info.reads.push({ start, end, node });
      else if (r.role === 'write') writes.push({ node, rhs: r.rhs, path: r.path });
      else if (r.role === 'decl') this.declare(info, name, node, r);
    }
    for (const w of writes) {
      let b = this.resolve(name, w.node.startIndex);
      if (!b) {
        b = newBinding(name, { start: 0, end: this.ctx.text.length + 1 }, 'global', w.node);
        info.bindings.push(b);
      }
      if (w.rhs) b.writes.push({ rhs: w.rhs, path: w.path });
      else b.opaque = true;
    }
    return info;
  }

  private declare(info: NameInfo, name: string, node: SyntaxNode, r: Extract<Role, { role: 'decl' }>): void {
    const same = info.bindings.find((b) => b.scope.start === r.scope.start && b.scope.end === r.scope.end);
    if (same) {
      // `var x = a; var x = b;` or a function and a var of one name: one binding with several values.
      if (r.init) same.writes.push({ rhs: r.init, path: r.path });
      else if (r.kind !== 'var') same.opaque = true;
      same.defaults.push(...r.defaults);
      return;
    }
    const b = newBinding(name, r.scope, r.kind, node);
    b.init = r.init;
    b.path = r.path;
    b.defaults = r.defaults;
    b.importValue = r.importValue;
    if (r.kind === 'catch') b.opaque = true;
    info.bindings.push(b);
  }

  private classify(node: SyntaxNode): Role {
    const ctx = this.ctx;
    const t = ctx.type(node);
    if (t === 'shorthand_property_identifier') return READ;
    if (t === 'shorthand_property_identifier_pattern')
      return this.pattern(node, [cookIdentifier(ctx.source(node))]);
    if (t === 'type_identifier') {
      const p = ctx.parent(node);
      const pt = p ? ctx.type(p) : '';
      if (
        p &&
        (pt === 'class_declaration' || pt === 'abstract_class_declaration') &&
        ctx.isField(p, 'name', node)
      ) {
        return this.decl('class', this.blockScope(p), node);
      }
      return IGNORE;
    }
    if (t !== 'identifier') return IGNORE;
    const p = ctx.parent(node);
    if (!p) return IGNORE;
    const pt = ctx.type(p);
    if (PATTERNS.has(pt)) return this.pattern(node, []);
    switch (pt) {
      case 'variable_declarator':
        return ctx.isField(p, 'name', node) ? this.declarator(p, [], []) : READ;
      case 'formal_parameters':
        return this.param(p, [], []);
      case 'required_parameter':
      case 'optional_parameter':
        return ctx.isField(p, 'pattern', node) ? this.param(p, [], []) : READ;
      case 'arrow_function':
        return ctx.isField(p, 'parameter', node) ? this.decl('param', span(p), node) : READ;
      case 'catch_clause':
        return ctx.isField(p, 'parameter', node) ? this.decl('catch', span(p), node) : READ;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration':
        return ctx.isField(p, 'name', node)
          ? this.decl(pt === 'class_declaration' ? 'class' : 'function', this.blockScope(p), node)
          : READ;
      case 'function_expression':
      case 'function':
      case 'generator_function':
      case 'class':
        return ctx.isField(p, 'name', node)
          ? this.decl(pt === 'class' ? 'class' : 'function', span(p), node)
          : READ;
      case 'import_clause':
      case 'namespace_import':
      case 'import_specifier':
      case 'import_require_clause':
        return this.importBinding(node, p, pt);
      case 'import_alias':
        return ctx.field(p, 'name')?.id === node.id || p.namedChild(0)?.id === node.id
          ? this.decl('other', this.blockScope(p), node)
          : IGNORE;
      case 'export_specifier': {
        const stmt = ctx.parent(ctx.parent(p) ?? p);
        if (stmt && ctx.field(stmt, 'source')) return IGNORE;
        return ctx.isField(p, 'name', node) ? READ : IGNORE;
      }
      case 'assignment_expression':
        return ctx.isField(p, 'left', node)
          ? { role: 'write', rhs: ctx.field(p, 'right') ?? undefined, path: [] }
          : READ;
      case 'augmented_assignment_expression': {
        if (!ctx.isField(p, 'left', node)) return READ;
        const op = ctx.field(p, 'operator');
        const logical = op && /^(?:\|\|=|&&=|\?\?=)$/.test(ctx.source(op));
        return { role: 'write', rhs: logical ? (ctx.field(p, 'right') ?? undefined) : undefined, path: [] };
      }
      case 'update_expression':
        return { role: 'write', path: [] };
      case 'for_in_statement':
        return ctx.isField(p, 'left', node) ? this.forBinding(p, node) : READ;
      case 'jsx_opening_element':
      case 'jsx_closing_element':
      case 'jsx_self_closing_element': {
        // `<div>` is a tag name string; `<Component>` reads a variable.
        const c = ctx.source(node).charCodeAt(0);
        return ctx.isField(p, 'name', node) && c >= 97 && c <= 122 ? IGNORE : READ;
      }
      case 'enum_declaration':
      case 'internal_module':
      case 'module':
        return ctx.isField(p, 'name', node) ? this.decl('other', this.blockScope(p), node) : READ;
      default:
        if (SIGNATURES.has(pt)) return IGNORE;
        if (pt.includes('type') && pt !== 'type_assertion') return IGNORE;
        return READ;
    }
  }

  private decl(kind: BindingKind, scope: Span, node: SyntaxNode): Role {
    return this.isAmbient(node) ? IGNORE : { role: 'decl', kind, scope, path: [], defaults: [] };
  }

  /** A TypeScript `declare ...` creates no runtime binding: `declare function eval(s: string): void`. */
  private isAmbient(node: SyntaxNode): boolean {
    let cur: SyntaxNode | null = node;
    for (let i = 0; cur && i < 6; i++) {
      const t = this.ctx.type(cur);
      if (t === 'ambient_declaration') return true;
      if (t === 'statement_block' || t === 'program') return false;
      cur = this.ctx.parent(cur);
    }
    return false;
  }

  private declarator(declarator: SyntaxNode, path: PathStep[], defaults: SyntaxNode[]): Role {
    const ctx = this.ctx;
    const decl = ctx.parent(declarator);
    if (!decl) return IGNORE;
    const dt = ctx.type(decl);
    if (this.isAmbient(decl)) return IGNORE;
    let kind: BindingKind = 'let';
    if (dt === 'variable_declaration') kind = 'var';
    else if (dt === 'using_declaration') kind = 'const';
    else if (dt === 'lexical_declaration')
      kind = ctx.source(ctx.field(decl, 'kind') ?? decl).startsWith('const') ? 'const' : 'let';
    const scope = kind === 'var' ? this.functionScope(decl) : this.blockScope(decl);
    return { role: 'decl', kind, scope, init: ctx.field(declarator, 'value') ?? undefined, path, defaults };
  }

  private param(p: SyntaxNode, path: PathStep[], defaults: SyntaxNode[]): Role {
    const ctx = this.ctx;
    let params: SyntaxNode | null = p;
    const pt = ctx.type(p);
    if (pt === 'required_parameter' || pt === 'optional_parameter') {
      const v = ctx.field(p, 'value');
      if (v) defaults.push(v);
      params = ctx.parent(p);
    }
    const fn = params ? ctx.parent(params) : null;
    if (!fn) return IGNORE;
    if (this.isAmbient(fn) || SIGNATURES.has(ctx.type(fn)) || ctx.type(fn).includes('type')) return IGNORE;
    return { role: 'decl', kind: 'param', scope: span(fn), path, defaults };
  }

  private forBinding(stmt: SyntaxNode, node: SyntaxNode): Role {
    const kind = this.ctx.field(stmt, 'kind');
    if (!kind) return { role: 'write', path: [] };
    const k: BindingKind = this.ctx.source(kind) === 'var' ? 'var' : 'let';
    const scope = k === 'var' ? this.functionScope(stmt) : span(stmt);
    void node;
    return { role: 'decl', kind: k, scope, path: [null], defaults: [] };
  }

  /** Climbs from a name inside a destructuring pattern to what declares or assigns it, noting the path. */
  private pattern(node: SyntaxNode, path: PathStep[]): Role {
    const ctx = this.ctx;
    const defaults: SyntaxNode[] = [];
    let cur = node;
    for (let i = 0; i < LIMITS.walkSteps; i++) {
      if (i === 48) ctx.ensureAncestry(cur);
      const p = ctx.parent(cur);
      if (!p) return IGNORE;
      const pt = ctx.type(p);
      switch (pt) {
        case 'pair_pattern': {
          if (!ctx.isField(p, 'value', cur)) return IGNORE;
          const key = ctx.field(p, 'key');
          path.unshift(key ? (this.keyOf(key) ?? '\0') : '\0');
          break;
        }
        case 'object_assignment_pattern':
        case 'assignment_pattern': {
          if (!ctx.isField(p, 'left', cur)) return READ;
          const d = ctx.field(p, 'right');
          if (d) defaults.push(d);
          break;
        }
        case 'rest_pattern':
          path.unshift(null);
          break;
        case 'array_pattern':
          path.unshift(String(commasBefore(p, cur)));
          break;
        case 'object_pattern':
          break;
        case 'variable_declarator':
          return ctx.isField(p, 'name', cur) ? this.declarator(p, path, defaults) : READ;
        case 'formal_parameters':
        case 'required_parameter':
        case 'optional_parameter':
          return this.param(p, path, defaults);
        case 'catch_clause':
          return this.decl('catch', span(p), node);
        case 'for_in_statement':
          return ctx.isField(p, 'left', cur) ? this.forBinding(p, node) : READ;
        case 'assignment_expression':
          return ctx.isField(p, 'left', cur)
            ? { role: 'write', rhs: ctx.field(p, 'right') ?? undefined, path }
            : READ;
        default:
          return cur === node ? READ : { role: 'write', path };
      }
      cur = p;
    }
    return { role: 'write', path };
  }

  private importBinding(node: SyntaxNode, p: SyntaxNode, pt: string): Role {
    const ctx = this.ctx;
    let imported: string | undefined;
    let clause = p;
    if (pt === 'import_specifier') {
      const alias = ctx.field(p, 'alias');
      if (alias && alias.id !== node.id) return IGNORE;
      if (hasChildOfType(ctx, p, 'type')) return IGNORE;
      const nameNode = ctx.field(p, 'name');
      if (!nameNode) return IGNORE;
      imported =
        ctx.type(nameNode) === 'string'
          ? (cookLiteral(ctx.source(nameNode).slice(1, -1), false) ?? '\0')
          : cookIdentifier(ctx.source(nameNode));
      clause = ctx.parent(ctx.parent(p) ?? p) ?? p;
    } else if (pt === 'namespace_import') clause = ctx.parent(p) ?? p;
    const stmt = pt === 'import_require_clause' ? ctx.parent(p) : ctx.parent(clause);
    if (!stmt || ctx.type(stmt) !== 'import_statement' || hasChildOfType(ctx, stmt, 'type')) return IGNORE;
    const source = pt === 'import_require_clause' ? ctx.field(p, 'source') : ctx.field(stmt, 'source');
    const spec =
      source && ctx.type(source) === 'string'
        ? cookLiteral(ctx.source(source).slice(1, -1), false)
        : undefined;
    const scope = { start: 0, end: ctx.text.length + 1 };
    if (spec === undefined) return { role: 'decl', kind: 'other', scope, path: [], defaults: [] };
    const module = normalizeSpecifier(spec);
    const path = imported === undefined || imported === 'default' ? [] : [imported];
    return {
      role: 'decl',
      kind: 'import',
      scope,
      path: [],
      defaults: [],
      importValue: { kind: 'module', module, path },
    };
  }

  private functionScope(node: SyntaxNode): Span {
    return this.enclosing(node, FUNCTIONS);
  }

  private blockScope(node: SyntaxNode): Span {
    return this.enclosing(node, BLOCKS);
  }

  private enclosing(node: SyntaxNode, types: ReadonlySet<string>): Span {
    let cur = this.ctx.parent(node);
    for (let i = 0; cur && i < LIMITS.walkSteps; i++) {
      if (i === 48) this.ctx.ensureAncestry(cur);
      const t = this.ctx.type(cur);
      if (t === 'program') break;
      if (types.has(t)) return span(cur);
      cur = this.ctx.parent(cur);
    }
    return { start: 0, end: this.ctx.text.length + 1 };
  }
}

const READ: Role = { role: 'read' };
const IGNORE: Role = { role: 'ignore' };

function newBinding(name: string, scope: Span, kind: BindingKind, decl: SyntaxNode): Binding {
  return {
    name,
    scope,
    kind,
    decl,
    path: [],
    defaults: [],
    writes: [],
    opaque: false,
    valueState: 0,
    constState: 0,
    carried: [],
  };
}

const NOT_CALL_BEFORE = /(?:\bfunction|\basync|\bget|\bset|\bstatic|\bnew|\*|\bclass|@)$/;

/**
 * Whether `name(...)` (the name ends before `open`, the previous significant character is at `prev`) is
 * certainly a call and not a declaration or method (`function name(`, `name() {`, `name(): T {`). Gives up
 * (false: ask the tree) on anything unusual inside the parentheses.
 */
function plainCall(text: string, prev: number, open: number): boolean {
  if (NOT_CALL_BEFORE.test(text.slice(Math.max(0, prev - 9), prev + 1))) return false;
  // TypeScript `import x = require('m')`: a keyword there, not a call of the name.
  if (
    text.charCodeAt(prev) === 61 &&
    /\bimport\s+[\w$]+\s*=$/.test(text.slice(Math.max(0, prev - 80), prev + 1))
  )
    return false;
  let depth = 0;
  const limit = Math.min(text.length, open + 2000);
  let i = open;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0) break;
    } else if (c === 34 || c === 39) {
      // Skip a plain string; anything fancier (templates, regexes, comments) is left to the tree.
      let q = i + 1;
      while (q < limit && text.charCodeAt(q) !== c && text.charCodeAt(q) !== 10)
        q += text.charCodeAt(q) === 92 ? 2 : 1;
      if (text.charCodeAt(q) !== c) return false;
      i = q;
    } else if (c === 96 || c === 47) return false;
  }
  if (depth !== 0 || text.charCodeAt(i) !== 41) return false;
  let j = i + 1;
  while (j < text.length && isBlank(text.charCodeAt(j))) j++;
  const after = text.charCodeAt(j);
  return after !== 123 && after !== 58 && after !== 61;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function valueKey(v: Value): string {
  switch (v.kind) {
    case 'global':
      return `g:${v.path.join('.')}`;
    case 'module':
      return `m:${v.module}:${v.path.join('.')}`;
    case 'require':
      return `r:${v.form}`;
    case 'container':
      return `c:${[...v.entries].map(([k, e]) => `${k}=${valueKey(e)}`).join(',')}`;
    case 'invoker':
      return `i:${v.mode}:${valueKey(v.target)}`;
    case 'promise':
    case 'then':
      return `${v.kind}:${valueKey(v.value)}`;
    default:
      return v.kind;
  }
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function hasChildOfType(ctx: JsContext, node: SyntaxNode, type: string): boolean {
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (c && ctx.type(c) === type) return true;
  }
  return false;
}

/** The element index of `child` in an array literal or pattern: holes count, so commas are counted. */
export function commasBefore(parent: SyntaxNode, child: SyntaxNode): number {
  let n = 0;
  for (let i = 0; i < parent.childCount; i++) {
    const c = parent.child(i);
    if (!c || c.startIndex >= child.startIndex) break;
    if (c.type === ',') n++;
  }
  return n;
}

/** A module specifier as the engine matches it: without Node's `node:` scheme. */
export function normalizeSpecifier(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}
