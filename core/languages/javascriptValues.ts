import { FUNCTION_GLOBALS, GLOBAL_OBJECT_NAMES, PROCESS_DATA, REQUIRE_NAMES } from './javascriptConstants';

/**
 * What an expression is known to evaluate to, as far as security goes. Anything else is `undefined`
 * ("nothing we track"). Paths are property names read off the root.
 */
export type Value =
  /** A global, by its path from the global object (`[]` is the global object, `['process', 'binding']`). */
  | { kind: 'global'; path: readonly string[] }
  /** An imported module (`path` `[]`) or a member of it. */
  | { kind: 'module'; module: string; path: readonly string[] }
  /** A function that loads modules by name: `require`, `module.require`, `createRequire(...)`, `Module._load`. */
  | { kind: 'require'; form: string }
  /** Some function (a literal, a class, a result of `Function(...)`): its `constructor` is `Function`. */
  | { kind: 'function' }
  /** `Function.prototype` or the prototype of some function: its `constructor` is `Function`. */
  | { kind: 'functionPrototype' }
  /** `x.constructor` of an unknown `x`: some constructor, so its own `constructor` is `Function`. */
  | { kind: 'someConstructor' }
  /** An array or object literal holding tracked values, by index or key. */
  | { kind: 'container'; entries: ReadonlyMap<string, Value> }
  /** `f.call`, `f.apply` or `f.bind` of a tracked `f`. */
  | { kind: 'invoker'; target: Value; mode: 'call' | 'apply' | 'bind' }
  /** What `import()` returns: awaiting it, or the first parameter of a `.then` callback, is the module. */
  | { kind: 'promise'; value: Value }
  /** `p.then` of such a promise. */
  | { kind: 'then'; value: Value };

const MAX_PATH = 8;

const FUNCTION_CTOR: Value = { kind: 'global', path: ['Function'] };
const GLOBAL_OBJECT: Value = { kind: 'global', path: [] };
export const SOME_FUNCTION: Value = { kind: 'function' };
const SOME_CONSTRUCTOR: Value = { kind: 'someConstructor' };
const FUNCTION_PROTOTYPE: Value = { kind: 'functionPrototype' };

/** Builtins whose methods the evaluator understands (`Object.getPrototypeOf`), though not followed as roots. */
const EVALUATED_GLOBALS: ReadonlySet<string> = new Set(['Object', 'Reflect']);

/** The value of a global name that no local binding shadows (undefined when the name is not tracked). */
export function globalValue(name: string, tracked: ReadonlySet<string>): Value | undefined {
  if (REQUIRE_NAMES.has(name)) return { kind: 'require', form: name };
  if (GLOBAL_OBJECT_NAMES.has(name)) return GLOBAL_OBJECT;
  if (tracked.has(name) || EVALUATED_GLOBALS.has(name)) return { kind: 'global', path: [name] };
  return undefined;
}

/** Whether a value is a function, so that its `constructor` is `Function` and `.call`/`.apply` invoke it. */
function isFunction(v: Value): boolean {
  switch (v.kind) {
    case 'global':
      return v.path.length >= 2 || (v.path.length === 1 && FUNCTION_GLOBALS.has(v.path[0]));
    case 'module':
      return v.path.length >= 1;
    case 'require':
    case 'function':
    case 'someConstructor':
      return true;
    default:
      return false;
  }
}

/** `v.name`, or undefined when the result is not tracked. */
export function member(v: Value | undefined, name: string): Value | undefined {
  if (!v) return name === 'constructor' ? SOME_CONSTRUCTOR : undefined;
  if (v.kind === 'container') return v.entries.get(name);
  if (v.kind === 'promise') return name === 'then' ? { kind: 'then', value: v.value } : undefined;
  if (v.kind === 'then') return undefined;
  if (name === 'constructor') {
    if (v.kind === 'global' && isModuleObjectPath(v.path))
      return { kind: 'module', module: 'module', path: [] };
    if (v.kind === 'global' && v.path.length === 2 && v.path[0] === 'Function' && v.path[1] === 'prototype') {
      return FUNCTION_CTOR;
    }
    return isFunction(v) || v.kind === 'functionPrototype' ? FUNCTION_CTOR : SOME_CONSTRUCTOR;
  }
  if ((name === 'call' || name === 'apply' || name === 'bind') && isFunction(v)) {
    return { kind: 'invoker', target: v, mode: name };
  }
  if (name === '__proto__' && isFunction(v)) return FUNCTION_PROTOTYPE;
  switch (v.kind) {
    case 'global': {
      const p = v.path;
      if (p.length === 0) {
        if (GLOBAL_OBJECT_NAMES.has(name)) return v;
        if (REQUIRE_NAMES.has(name)) return { kind: 'require', form: `globalThis.${name}` };
      }
      if (p.length === 1 && p[0] === 'process' && PROCESS_DATA.has(name)) return undefined;
      if (
        name === 'require' &&
        p.length >= 1 &&
        (p[0] === 'module' || p[0] === 'process' || p[0] === 'require')
      ) {
        return { kind: 'require', form: `${p.join('.')}.require` };
      }
      return p.length >= MAX_PATH ? undefined : { kind: 'global', path: [...p, name] };
    }
    case 'module': {
      if (name === 'default') return v;
      if (v.module === 'module') {
        if (name === '_load') return { kind: 'require', form: 'Module._load' };
        if (name === 'Module' && v.path.length === 0) return v;
        if (name === 'require' && v.path.length === 1 && v.path[0] === 'prototype') {
          return { kind: 'require', form: 'Module.prototype.require' };
        }
      }
      return v.path.length >= MAX_PATH
        ? undefined
        : { kind: 'module', module: v.module, path: [...v.path, name] };
    }
    case 'require':
      return { kind: 'global', path: ['require', name] };
    default:
      return undefined;
  }
}

/** `module`, `process.mainModule`, `require.main`, `module.parent`: objects whose constructor is `Module`. */
function isModuleObjectPath(p: readonly string[]): boolean {
  const last = p[p.length - 1];
  if (p.length === 1) return last === 'module';
  return (
    (p[0] === 'module' || p[0] === 'process' || p[0] === 'require') &&
    /^(?:mainModule|main|parent)$/.test(last)
  );
}

/** What `Object.getPrototypeOf(v)` is known to be. */
export function prototypeOf(v: Value | undefined): Value | undefined {
  return v && isFunction(v) ? FUNCTION_PROTOTYPE : undefined;
}

/** The qualified name a call or reference of `v` is reported under, if any. */
export function qualifiedName(v: Value): string | undefined {
  switch (v.kind) {
    case 'global':
      return v.path.length > 0 ? v.path.join('.') : undefined;
    case 'module':
      return v.path.length > 0 ? `${v.module}.${v.path.join('.')}` : v.module;
    case 'require':
      return 'require';
    default:
      return undefined;
  }
}
