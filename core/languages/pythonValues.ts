import { BUILTINS_MODULES, CANONICAL_MODULES, REEXPORTED_MODULES } from './pythonConstants';
import type { SyntaxNode } from './types';

/**
 * What an expression can evaluate to, as far as a static reading can tell. Analysis keeps a small set of
 * candidates per expression (a name bound in two branches has both values).
 */
export type Value =
  | { k: 'module'; name: string }
  /** A member of a module, by its qualified name: `os.system`. */
  | { k: 'member'; name: string }
  /** A builtin, or an attribute of one (`str.lower`, `bytes.fromhex`). */
  | { k: 'builtin'; name: string }
  | { k: 'str'; v: string }
  /** Bytes as a string of char codes 0-255. */
  | { k: 'bytes'; v: string }
  | { k: 'int'; v: number }
  | { k: 'none' }
  /** A tuple or list whose items are known. */
  | { k: 'seq'; items: Value[] }
  /** A namespace dict: `globals()` (module `<globals>`), `vars(os)`, `os.__dict__`. */
  | { k: 'ns'; module: string }
  /** A method bound to a value: `'so'.join`, `os.__getattribute__`, `globals().get`. */
  | { k: 'method'; self: Value; name: string }
  | { k: 'lambda'; node: SyntaxNode }
  /** A function defined in the file that returns something tracked (scope id). */
  | { k: 'function'; scope: number }
  /** `operator.attrgetter('a.b')`: calling it reads the attribute. */
  | { k: 'getter'; attr: string }
  /** `operator.methodcaller('m', ...)`: calling it calls the method. */
  | { k: 'caller'; attr: string }
  | { k: 'unknown' };

export const UNKNOWN: Value = { k: 'unknown' };
export const GLOBALS_NS = '<globals>';

/** Longest constant string folding produces; longer results count as not constant. */
export const MAX_STRING = 4096;
export const MAX_ITEMS = 256;
const MAX_CANDIDATES = 8;

export function valueKey(v: Value): string {
  switch (v.k) {
    case 'module':
    case 'member':
    case 'builtin':
      return v.k + ':' + v.name;
    case 'str':
    case 'bytes':
      return v.k + ':' + v.v;
    case 'int':
      return 'int:' + v.v;
    case 'ns':
      return 'ns:' + v.module;
    case 'method':
      return 'method:' + v.name + ':' + valueKey(v.self);
    case 'lambda':
      return 'lambda:' + v.node.id;
    case 'getter':
    case 'caller':
      return v.k + ':' + v.attr;
    case 'function':
      return 'function:' + v.scope;
    case 'seq':
      return 'seq:' + v.items.map(valueKey).join(',');
    default:
      return v.k;
  }
}

/** Set union with a bound on the number of candidates; `unknown` is dropped when something is known. */
export function union(lists: Value[][]): Value[] {
  if (lists.length === 1) return lists[0];
  if (lists.length === 2 && lists[1].length === 1 && lists[1][0].k === 'unknown' && lists[0].length > 0)
    return lists[0];
  if (lists.length === 2 && lists[0].length === 1 && lists[0][0].k === 'unknown' && lists[1].length > 0)
    return lists[1];
  const out: Value[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const v of list) {
      const key = valueKey(v);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
  }
  const known = out.filter((v) => v.k !== 'unknown');
  if (known.length === 0) return out.length > 0 ? [UNKNOWN] : [];
  return known.length > MAX_CANDIDATES ? known.slice(0, MAX_CANDIDATES) : known;
}

/** `obj.attr` for a value. */
export function getAttr(v: Value, attr: string): Value {
  if (attr === '__call__') return v.k === 'module' ? UNKNOWN : v;
  switch (v.k) {
    case 'module':
      if (BUILTINS_MODULES.has(v.name))
        return attr === '__dict__' ? { k: 'ns', module: 'builtins' } : builtinAttr(attr);
      return moduleAttr(v.name, v, attr);
    case 'member':
      return moduleAttr(v.name, v, attr);
    case 'builtin':
      // Every builtin function's __self__ is the builtins module: `print.__self__.eval`.
      if (attr === '__self__') return { k: 'module', name: 'builtins' };
      if (attr === '__module__') return { k: 'str', v: 'builtins' };
      return { k: 'builtin', name: v.name + '.' + attr };
    case 'str':
    case 'bytes':
    case 'ns':
      return { k: 'method', self: v, name: attr };
    default:
      return UNKNOWN;
  }
}

function builtinAttr(attr: string): Value {
  if (attr === '__builtins__') return { k: 'module', name: 'builtins' };
  return { k: 'builtin', name: attr };
}

function moduleAttr(qualified: string, self: Value, attr: string): Value {
  if (attr === '__dict__') return { k: 'ns', module: qualified };
  // Every module's globals hold `__builtins__` (a dict or the module): `os.__builtins__['eval']`.
  if (attr === '__builtins__') return { k: 'module', name: 'builtins' };
  if (attr === '__getattribute__' || attr === '__getattr__') return { k: 'method', self, name: attr };
  return { k: 'member', name: qualified + '.' + attr };
}

/** The name a call or reference is reported under, if it is one we report. */
export function qualifiedName(v: Value): string | undefined {
  return v.k === 'member' || v.k === 'builtin' ? v.name : undefined;
}

/**
 * The names a qualified name is reported under: itself; the canonical module for platform modules
 * (`posix.system` → `os.system`); and the inner module for a module re-exported as an attribute
 * (`shutil.os.system` → `os.system`, `tempfile._os.popen` → `os.popen`).
 */
export function reportNames(name: string): string[] {
  let out = reportNamesCache.get(name);
  if (out) return out;
  out = [name];
  if (name.includes('.')) {
    const parts = name.split('.');
    const canonical = CANONICAL_MODULES.get(parts[0]);
    if (canonical !== undefined) out.push([canonical, ...parts.slice(1)].join('.'));
    for (let i = 1; i < parts.length - 1; i++) {
      const inner = parts[i].replace(/^_+/, '');
      if (REEXPORTED_MODULES.has(inner)) {
        const tail = parts.slice(i + 1);
        const head = CANONICAL_MODULES.get(inner) ?? inner;
        out.push([head, ...tail].join('.'));
        if (BUILTINS_MODULES.has(inner)) out.push(tail.join('.'));
      }
    }
  }
  if (reportNamesCache.size > 10000) reportNamesCache.clear();
  reportNamesCache.set(name, out);
  return out;
}

const reportNamesCache = new Map<string, string[]>();
