import { base32Decode, base64Decode, decodeBytes, hexDecode } from './pythonDecoders';
import { constantToStr, safeChr, sliceSequence } from './pythonFormat';
import { SENSITIVE_MODULES } from './pythonConstants';
import { decodeBody, decodeStringLiteral, stringPrefix } from './pythonStrings';
import { GLOBALS_NS, MAX_ITEMS, MAX_STRING, UNKNOWN, getAttr, union, type Value } from './pythonValues';
import {
  applySimple,
  binaryOp,
  bytes,
  codecTransform,
  int,
  parseInteger,
  resolveRelative,
  str,
  stringMethod,
  toBytes,
} from './pythonOperations';
import type { Span, SyntaxNode } from './types';

/** What the evaluator needs from the analysis around it. */
export interface EvalHost {
  /** The values a name can have where it is used. */
  resolve(name: string, offset: number, depth: number): Value[];
  /** The values of a module-level name, as `globals()['name']` sees them (no builtins). */
  resolveGlobal(name: string, depth: number): Value[];
  onImport(module: string, span: Span, form: string): void;
  onDynamicImport(span: Span, reason: string): void;
  /** A constant string handed to exec/eval/compile. */
  onCode(code: string, span: Span): void;
  /** A call made indirectly (`operator.methodcaller('system', 'id')(os)` calls `os.system`). */
  onCall(value: Value, span: Span): void;
  /** What a function defined in the file returns. */
  returnsOf(scope: number, depth: number): Value[];
}

/** How deep expressions and alias chains are followed; deeper input is simply not constant. */
const MAX_DEPTH = 64;

/** Functions that import the module named by their first argument, and how the import is reported. */
const IMPORT_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['__import__', '__import__'],
  ['importlib.__import__', '__import__'],
  ['importlib.import_module', 'importlib.import_module'],
  ['importlib._bootstrap._gcd_import', 'importlib.import_module'],
  ['__loader__.load_module', '__loader__.load_module'],
  ['runpy.run_module', 'runpy.run_module'],
  ['pkgutil.resolve_name', 'pkgutil.resolve_name'],
  ['sys.modules.get', 'sys.modules'],
  ['sys.modules.__getitem__', 'sys.modules'],
  ['sys.modules.pop', 'sys.modules'],
  ['sys.modules.setdefault', 'sys.modules'],
]);

/** Functions that load a module from a file path or archive: what they import is not known statically. */
const FILE_LOADERS: ReadonlySet<string> = new Set([
  'importlib.util.spec_from_file_location',
  'importlib.machinery.SourceFileLoader',
  'importlib.machinery.SourcelessFileLoader',
  'importlib.machinery.ExtensionFileLoader',
  'imp.load_source',
  'imp.load_compiled',
  'imp.load_dynamic',
  'imp.load_module',
  'imp.load_package',
  'zipimport.zipimporter',
  'runpy.run_path',
]);

/** The name of an import function (`__import__`, `importlib.import_module`...) or file loader, if `v` is one. */
export function importFunctionName(v: Value): string | undefined {
  if (v.k !== 'builtin' && v.k !== 'member') return undefined;
  return IMPORT_FUNCTIONS.has(v.name) || FILE_LOADERS.has(v.name) ? v.name : undefined;
}

const CODE_FUNCTIONS: ReadonlySet<string> = new Set(['eval', 'exec', 'compile', 'execfile']);

const B64_FUNCTIONS: ReadonlyMap<string, (s: string) => string | undefined> = new Map([
  ['base64.b64decode', (s: string) => base64Decode(s, false)],
  ['base64.standard_b64decode', (s: string) => base64Decode(s, false)],
  ['base64.decodebytes', (s: string) => base64Decode(s, false)],
  ['base64.decodestring', (s: string) => base64Decode(s, false)],
  ['base64.urlsafe_b64decode', (s: string) => base64Decode(s, true)],
  ['base64.b32decode', base32Decode],
  ['base64.b16decode', hexDecode],
  ['binascii.unhexlify', hexDecode],
  ['binascii.a2b_hex', hexDecode],
  ['binascii.a2b_base64', (s: string) => base64Decode(s, false)],
  ['bytes.fromhex', hexDecode],
  ['bytearray.fromhex', hexDecode],
]);

interface Args {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  /** `*args` or `**kw`: positions are unknown. */
  splat: boolean;
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function identifierName(node: SyntaxNode): string {
  const t = node.text;
  return /^[\x00-\x7f]*$/.test(t) ? t : t.normalize('NFKC');
}

/**
 * Folds expressions to constants and follows the calls that produce modules and members (`__import__`,
 * `importlib.import_module`, `getattr`, `globals()`, `sys.modules[...]`). Work is bounded by depth and by
 * a step budget per analysis, so hostile input costs at most a fixed amount of time.
 */
export class PythonEvaluator {
  steps = 0;
  /** Set when a result was cut short by depth or budget (such results are not memoised). */
  truncated = false;

  /** True once the step budget is spent: later results are unknown, and callers report them as such. */
  get exhausted(): boolean {
    return this.steps > this.maxSteps;
  }

  constructor(
    private readonly host: EvalHost,
    private readonly maxSteps = 20000,
  ) {}

  evaluate(node: SyntaxNode | null, depth: number): Value[] {
    if (!node) return [UNKNOWN];
    if (depth > MAX_DEPTH || ++this.steps > this.maxSteps) {
      this.truncated = true;
      return [UNKNOWN];
    }
    switch (node.type) {
      case 'identifier':
        return this.host.resolve(identifierName(node), node.startIndex, depth + 1);
      case 'string':
        return this.evalString(node, depth);
      case 'concatenated_string':
        return this.concat(
          node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type === 'string'),
          depth,
        );
      case 'integer':
        return parseInteger(node.text);
      case 'true':
        return [{ k: 'int', v: 1 }];
      case 'false':
        return [{ k: 'int', v: 0 }];
      case 'none':
        return [{ k: 'none' }];
      case 'parenthesized_expression':
        return this.evaluate(firstNamed(node), depth + 1);
      case 'attribute': {
        const attr = node.childForFieldName('attribute');
        if (!attr) return [UNKNOWN];
        const name = identifierName(attr);
        return union(
          this.evaluate(node.childForFieldName('object'), depth + 1).map((v) => [getAttr(v, name)]),
        );
      }
      case 'call': {
        const fn = this.evaluate(node.childForFieldName('function'), depth + 1);
        return union(fn.map((f) => this.applyCall(f, node, false, depth + 1)));
      }
      case 'subscript':
        return this.subscript(
          this.evaluate(node.childForFieldName('value'), depth + 1),
          node,
          false,
          depth + 1,
        );
      case 'binary_operator':
        return this.binary(node, depth);
      case 'unary_operator': {
        const op = node.childForFieldName('operator')?.type;
        const arg = this.evaluate(node.childForFieldName('argument'), depth + 1);
        return union(
          arg.map((v) =>
            v.k !== 'int'
              ? [UNKNOWN]
              : op === '-'
                ? int(-v.v)
                : op === '+'
                  ? [v]
                  : op === '~'
                    ? int(~v.v)
                    : [UNKNOWN],
          ),
        );
      }
      case 'tuple':
      case 'list':
      case 'expression_list':
        return this.sequence(node, depth);
      case 'conditional_expression': {
        const parts = node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        return union([
          this.evaluate(parts[0] ?? null, depth + 1),
          this.evaluate(parts[2] ?? null, depth + 1),
        ]);
      }
      case 'boolean_operator':
        return union([
          this.evaluate(node.childForFieldName('left'), depth + 1),
          this.evaluate(node.childForFieldName('right'), depth + 1),
        ]);
      case 'named_expression':
        return this.evaluate(node.childForFieldName('value'), depth + 1);
      case 'lambda':
        return [{ k: 'lambda', node }];
      default:
        return [UNKNOWN];
    }
  }

  private sequence(node: SyntaxNode, depth: number): Value[] {
    const items: Value[] = [];
    for (const c of node.namedChildren) {
      if (!c || c.type === 'comment') continue;
      if (items.length >= MAX_ITEMS || c.type === 'list_splat' || c.type === 'parenthesized_list_splat')
        return [UNKNOWN];
      const v = this.evaluate(c, depth + 1);
      items.push(v.length === 1 ? v[0] : UNKNOWN);
    }
    return [{ k: 'seq', items }];
  }

  private evalString(node: SyntaxNode, depth: number): Value[] {
    const text = node.text;
    const p = stringPrefix(text);
    if (!p) return [UNKNOWN];
    if (!p.format) {
      const d = decodeStringLiteral(text);
      return !d ? [UNKNOWN] : d.bytes ? bytes(d.value) : str(d.value);
    }
    let out = '';
    for (const c of node.children) {
      if (!c) continue;
      if (c.type === 'string_content') {
        const piece = decodeBody(c.text, p.raw, p.bytes, true);
        if (piece === undefined) return [UNKNOWN];
        out += piece;
      } else if (c.type === 'interpolation') {
        const conv = c.childForFieldName('type_conversion');
        if (c.childForFieldName('format_specifier') || (conv && conv.text !== '!s')) return [UNKNOWN];
        const v = this.evaluate(c.childForFieldName('expression'), depth + 1);
        const s = v.length === 1 ? constantToStr(v[0]) : undefined;
        if (s === undefined) return [UNKNOWN];
        out += s;
      } else if (c.type === 'ERROR') return [UNKNOWN];
      if (out.length > MAX_STRING) return [UNKNOWN];
    }
    return p.bytes ? bytes(out) : str(out);
  }

  private concat(parts: SyntaxNode[], depth: number): Value[] {
    let out = '';
    let kind: 'str' | 'bytes' | undefined;
    for (const part of parts) {
      const v = this.evaluate(part, depth + 1);
      if (v.length !== 1 || (v[0].k !== 'str' && v[0].k !== 'bytes')) return [UNKNOWN];
      if (kind !== undefined && kind !== v[0].k) return [UNKNOWN];
      kind = v[0].k;
      out += v[0].v;
      if (out.length > MAX_STRING) return [UNKNOWN];
    }
    return kind === 'bytes' ? bytes(out) : str(out);
  }

  private binary(node: SyntaxNode, depth: number): Value[] {
    const op = node.childForFieldName('operator')?.type ?? '';
    const left = this.evaluate(node.childForFieldName('left'), depth + 1);
    const right = this.evaluate(node.childForFieldName('right'), depth + 1);
    const out: Value[][] = [];
    for (const l of left) for (const r of right) out.push(binaryOp(op, l, r));
    return union(out);
  }

  /** The result of calling `callee` at `call`; with `report`, import side effects become facts. */
  applyCall(callee: Value, call: SyntaxNode, report: boolean, depth: number): Value[] {
    if (depth > MAX_DEPTH || ++this.steps > this.maxSteps) {
      this.truncated = true;
      return [UNKNOWN];
    }
    if (callee.k === 'lambda') return this.evaluate(callee.node.childForFieldName('body'), depth + 1);
    if (callee.k === 'function') return this.host.returnsOf(callee.scope, depth + 1);
    if (callee.k === 'getter' || callee.k === 'caller') {
      const target = readArgs(call).positional[0];
      if (!target) return [UNKNOWN];
      const found = this.evaluate(target, depth + 1).map((o) =>
        callee.attr.split('.').reduce((v, a) => getAttr(v, a), o),
      );
      if (callee.k === 'getter') return union([found]);
      if (report) for (const m of found) this.host.onCall(m, span(call));
      return [UNKNOWN];
    }
    if (callee.k === 'method')
      return this.methodCall(callee.self, callee.name, readArgs(call), call, report, depth);
    if (callee.k !== 'builtin' && callee.k !== 'member') return [UNKNOWN];
    const name = callee.name;
    const args = readArgs(call);
    const arg = (i: number, kw?: string): SyntaxNode | null =>
      args.positional[i] ?? (kw !== undefined ? (args.keywords.get(kw) ?? null) : null);
    const val = (i: number, kw?: string): Value[] => {
      const n = arg(i, kw);
      return n ? this.evaluate(n, depth + 1) : [UNKNOWN];
    };

    if (FILE_LOADERS.has(name)) {
      if (report) this.host.onDynamicImport(span(call), `${name} loads a module from a file`);
      return [UNKNOWN];
    }
    const importForm = IMPORT_FUNCTIONS.get(name);
    if (importForm !== undefined) return this.importCall(name, importForm, call, args, report, depth);

    if (CODE_FUNCTIONS.has(name)) {
      if (report) {
        const src = arg(0, 'source');
        if (src) {
          for (const v of this.evaluate(src, depth + 1)) {
            if (v.k === 'str' || v.k === 'bytes') this.host.onCode(v.v, span(src));
          }
        }
      }
      return [UNKNOWN];
    }

    switch (name) {
      case 'operator.attrgetter':
      case 'operator.methodcaller': {
        if (name === 'operator.attrgetter' && args.positional.length !== 1) return [UNKNOWN];
        const kind = name === 'operator.attrgetter' ? 'getter' : 'caller';
        return union(val(0).map((v) => (v.k === 'str' ? [{ k: kind, attr: v.v } as Value] : [UNKNOWN])));
      }
      case 'object.__getattribute__':
      case 'type.__getattribute__':
      case 'getattr': {
        const objects = val(0);
        const names = val(1);
        const out: Value[][] = [];
        for (const o of objects) {
          for (const n of names) {
            if (n.k === 'str') out.push([getAttr(o, n.v)]);
            else if (report && o.k === 'module' && SENSITIVE_MODULES.has(o.name.split('.')[0])) {
              const at = arg(1) ?? call;
              this.host.onDynamicImport(span(at), `attribute of ${o.name} looked up with a computed name`);
            }
          }
        }
        return out.length ? union(out) : [UNKNOWN];
      }
      case 'globals':
      case 'locals':
        return [{ k: 'ns', module: GLOBALS_NS }];
      case 'vars':
        if (args.positional.length === 0) return [{ k: 'ns', module: GLOBALS_NS }];
        return union(
          val(0).map((o) =>
            o.k === 'module' || o.k === 'member' ? [{ k: 'ns', module: o.name }] : [UNKNOWN],
          ),
        );
      case 'chr':
        return union(
          val(0).map((v) =>
            v.k === 'int' && safeChr(v.v) !== undefined ? str(safeChr(v.v) as string) : [UNKNOWN],
          ),
        );
      case 'str':
        if (args.positional.length >= 2) {
          const enc = val(1)[0];
          return union(
            val(0).map((v) => {
              const s = v.k === 'bytes' && enc?.k === 'str' ? decodeBytes(v.v, enc.v) : undefined;
              return s === undefined ? [UNKNOWN] : str(s);
            }),
          );
        }
        return union(
          val(0).map((v) => (constantToStr(v) !== undefined ? str(constantToStr(v) as string) : [UNKNOWN])),
        );
      case 'bytes':
      case 'bytearray':
        return union(val(0).map((v) => toBytes(v, args.positional.length >= 2 ? val(1)[0] : undefined)));
      case 'reversed':
      case 'list':
      case 'tuple':
        return union(
          val(0).map((v) => {
            const items =
              v.k === 'str'
                ? Array.from(v.v).map((c): Value => ({ k: 'str', v: c }))
                : v.k === 'seq'
                  ? v.items
                  : undefined;
            if (!items || items.length > MAX_ITEMS) return [UNKNOWN];
            return [{ k: 'seq', items: name === 'reversed' ? [...items].reverse() : items }];
          }),
        );
      case 'map': {
        const fns = val(0);
        const its = val(1);
        if (fns.length !== 1 || its.length !== 1) return [UNKNOWN];
        const it = its[0];
        const items =
          it.k === 'str'
            ? Array.from(it.v).map((c): Value => ({ k: 'str', v: c }))
            : it.k === 'seq'
              ? it.items
              : undefined;
        if (!items || items.length > MAX_ITEMS) return [UNKNOWN];
        const mapped = items.map((x) => {
          const r = applySimple(fns[0], x);
          return r.length === 1 ? r[0] : UNKNOWN;
        });
        return [{ k: 'seq', items: mapped }];
      }
      case 'codecs.decode':
      case 'codecs.encode': {
        const encs = val(1, 'encoding');
        const enc =
          encs.length === 1 && encs[0].k === 'str' ? encs[0].v.toLowerCase().replace(/[-_]/g, '') : 'utf8';
        return union(val(0).map((v) => codecTransform(v, enc, name === 'codecs.decode')));
      }
    }

    const decoder = B64_FUNCTIONS.get(name);
    if (decoder) {
      return union(
        val(0).map((v) => {
          if (v.k !== 'str' && v.k !== 'bytes') return [UNKNOWN];
          const d = decoder(v.v);
          return d === undefined ? [UNKNOWN] : bytes(d);
        }),
      );
    }

    // `str.upper('os')`, `bytes.decode(b'os')`: an unbound method called with its instance first.
    const dot = name.indexOf('.');
    if (callee.k === 'builtin' && dot > 0 && (name.startsWith('str.') || name.startsWith('bytes.'))) {
      const self = arg(0);
      if (!self) return [UNKNOWN];
      const rest: Args = { positional: args.positional.slice(1), keywords: args.keywords, splat: args.splat };
      return union(
        this.evaluate(self, depth + 1).map((s) =>
          this.methodCall(s, name.slice(dot + 1), rest, call, report, depth),
        ),
      );
    }
    return [UNKNOWN];
  }

  private importCall(
    name: string,
    form: string,
    call: SyntaxNode,
    args: Args,
    report: boolean,
    depth: number,
  ): Value[] {
    const target = args.positional[0] ?? args.keywords.get('name') ?? args.keywords.get('mod_name') ?? null;
    const values = target ? this.evaluate(target, depth + 1) : [UNKNOWN];
    const at = span(target ?? call);
    const out: Value[][] = [];
    let dynamic = values.length === 0;
    for (const v of values) {
      if (v.k !== 'str' || v.v.length === 0) {
        dynamic = true;
        continue;
      }
      let module = v.v;
      let result: Value;
      if (form === 'pkgutil.resolve_name') {
        const colon = module.indexOf(':');
        const attrs = colon >= 0 ? module.slice(colon + 1) : '';
        module = colon >= 0 ? module.slice(0, colon) : module;
        result = attrs
          ? { k: 'member', name: module + '.' + attrs }
          : module.includes('.')
            ? { k: 'member', name: module }
            : { k: 'module', name: module };
      } else if (form === '__import__') {
        const fromlist = args.positional[3] ?? args.keywords.get('fromlist') ?? null;
        const fl = fromlist ? this.evaluate(fromlist, depth + 1) : [{ k: 'none' } as Value];
        const full = fl.some(
          (f) =>
            !(f.k === 'none' || (f.k === 'seq' && f.items.length === 0) || (f.k === 'str' && f.v === '')),
        );
        const top = fl.some(
          (f) => f.k === 'none' || f.k === 'unknown' || (f.k === 'seq' && f.items.length === 0),
        );
        const results: Value[] = [];
        if (full) results.push({ k: 'module', name: module });
        if (top || !full) results.push({ k: 'module', name: module.split('.')[0] });
        out.push(results);
        if (report) this.host.onImport(module, at, form);
        continue;
      } else {
        if (module.startsWith('.') && form === 'importlib.import_module')
          module = resolveRelative(module, this.packageArg(args, depth));
        result = { k: 'module', name: module };
      }
      out.push([result]);
      if (report) this.host.onImport(module, at, form);
    }
    if (dynamic && report) {
      const what = form === 'sys.modules' ? 'sys.modules' : name;
      this.host.onDynamicImport(at, `the module name given to ${what} is not a constant`);
    }
    return out.length ? union(out) : [UNKNOWN];
  }

  private packageArg(args: Args, depth: number): string | undefined {
    const node = args.positional[1] ?? args.keywords.get('package');
    if (!node) return undefined;
    const v = this.evaluate(node, depth + 1);
    return v.length === 1 && v[0].k === 'str' ? v[0].v : undefined;
  }

  private methodCall(
    self: Value,
    method: string,
    args: Args,
    call: SyntaxNode,
    report: boolean,
    depth: number,
  ): Value[] {
    const val = (i: number): Value[] => {
      const n = args.positional[i];
      return n ? this.evaluate(n, depth + 1) : [UNKNOWN];
    };
    const single = (i: number): Value | undefined => {
      if (args.positional[i] === undefined) return undefined;
      const v = val(i);
      return v.length === 1 ? v[0] : UNKNOWN;
    };
    if (self.k === 'ns') {
      if (method !== 'get' && method !== '__getitem__' && method !== 'pop' && method !== 'setdefault')
        return [UNKNOWN];
      return union(
        val(0).map((k) => (k.k === 'str' ? this.lookupNamespace(self.module, k.v, depth) : [UNKNOWN])),
      );
    }
    if (self.k === 'module' || self.k === 'member') {
      if (method !== '__getattribute__' && method !== '__getattr__') return [UNKNOWN];
      const names = val(0);
      if (
        report &&
        self.k === 'module' &&
        SENSITIVE_MODULES.has(self.name.split('.')[0]) &&
        names.some((n) => n.k !== 'str')
      ) {
        this.host.onDynamicImport(
          span(args.positional[0] ?? call),
          `attribute of ${self.name} looked up with a computed name`,
        );
      }
      return union(names.map((n) => (n.k === 'str' ? [getAttr(self, n.v)] : [UNKNOWN])));
    }
    if (self.k !== 'str' && self.k !== 'bytes') return [UNKNOWN];
    if (args.splat) return [UNKNOWN];
    const positional = args.positional.map((_n, i) => single(i) ?? UNKNOWN);
    const keywords = new Map<string, Value>();
    for (const [k, n] of args.keywords) {
      const v = this.evaluate(n, depth + 1);
      keywords.set(k, v.length === 1 ? v[0] : UNKNOWN);
    }
    return stringMethod(self, method, positional, keywords);
  }

  /** `ns[key]` for a namespace dict. */
  private lookupNamespace(module: string, key: string, depth: number): Value[] {
    if (module === GLOBALS_NS) {
      if (key === '__builtins__') return [{ k: 'module', name: 'builtins' }];
      return this.host.resolveGlobal(key, depth + 1);
    }
    return [getAttr({ k: 'module', name: module }, key)];
  }

  /** `value[index]` for every candidate value. */
  subscript(values: Value[], node: SyntaxNode, report: boolean, depth: number): Value[] {
    const index = node.childForFieldName('subscript');
    if (!index) return [UNKNOWN];
    if (index.type === 'slice') {
      const bounds = this.sliceBounds(index, depth);
      if (!bounds) return [UNKNOWN];
      return union(
        values.map((v) => {
          if (v.k === 'str' || v.k === 'bytes') {
            const r = sliceSequence(Array.from(v.v), bounds[0], bounds[1], bounds[2]);
            return r === undefined ? [UNKNOWN] : v.k === 'str' ? str(r.join('')) : bytes(r.join(''));
          }
          if (v.k === 'seq') {
            const r = sliceSequence(v.items, bounds[0], bounds[1], bounds[2]);
            return r === undefined ? [UNKNOWN] : [{ k: 'seq', items: r }];
          }
          return [UNKNOWN];
        }),
      );
    }
    const keys = this.evaluate(index, depth + 1);
    const out: Value[][] = [];
    for (const v of values) {
      for (const key of keys) {
        if (key.k === 'int' && (v.k === 'str' || v.k === 'bytes' || v.k === 'seq')) {
          const items = v.k === 'seq' ? v.items : Array.from(v.v);
          const i = key.v < 0 ? key.v + items.length : key.v;
          const item = items[i];
          if (item === undefined) out.push([UNKNOWN]);
          else if (v.k === 'str') out.push(str(item as string));
          else if (v.k === 'bytes') out.push(int((item as string).charCodeAt(0)));
          else out.push([item as Value]);
          continue;
        }
        if (v.k === 'ns') {
          out.push(key.k === 'str' ? this.lookupNamespace(v.module, key.v, depth) : [UNKNOWN]);
          continue;
        }
        if (v.k === 'module' && v.name === 'builtins') {
          // In imported modules `__builtins__` is the builtins dict: `__builtins__['eval']`.
          out.push(key.k === 'str' ? [getAttr(v, key.v)] : [UNKNOWN]);
          continue;
        }
        if (v.k === 'member' && v.name === 'sys.modules') {
          if (key.k === 'str' && key.v !== '') {
            if (report) this.host.onImport(key.v, span(index), 'sys.modules');
            out.push([{ k: 'module', name: key.v }]);
          } else {
            if (report)
              this.host.onDynamicImport(
                span(index),
                'the module name looked up in sys.modules is not a constant',
              );
            out.push([UNKNOWN]);
          }
          continue;
        }
        out.push([UNKNOWN]);
      }
    }
    return out.length ? union(out) : [UNKNOWN];
  }

  private sliceBounds(
    slice: SyntaxNode,
    depth: number,
  ): [number | undefined, number | undefined, number | undefined] | undefined {
    const bounds: (number | undefined)[] = [undefined, undefined, undefined];
    let part = 0;
    for (const c of slice.children) {
      if (!c) continue;
      if (c.type === ':') {
        part++;
        continue;
      }
      if (c.type === 'comment') continue;
      if (part > 2) return undefined;
      const v = this.evaluate(c, depth + 1);
      if (v.length !== 1) return undefined;
      if (v[0].k === 'none') continue;
      if (v[0].k !== 'int') return undefined;
      bounds[part] = v[0].v;
    }
    return [bounds[0], bounds[1], bounds[2]];
  }
}

function firstNamed(node: SyntaxNode): SyntaxNode | null {
  for (const c of node.namedChildren) if (c && c.type !== 'comment') return c;
  return null;
}

function readArgs(call: SyntaxNode): Args {
  const args: Args = { positional: [], keywords: new Map(), splat: false };
  const list = call.childForFieldName('arguments');
  if (!list) return args;
  if (list.type === 'generator_expression') {
    args.positional.push(list);
    return args;
  }
  for (const c of list.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      const name = c.childForFieldName('name');
      const value = c.childForFieldName('value');
      if (name && value) args.keywords.set(identifierName(name), value);
    } else if (c.type === 'list_splat' || c.type === 'dictionary_splat') args.splat = true;
    else args.positional.push(c);
  }
  return args;
}
