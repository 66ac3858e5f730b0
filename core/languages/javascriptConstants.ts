/**
 * Names and limits of the JavaScript/TypeScript analyzer. The analyzer only looks at the places where these
 * names occur (and at names bound to them), so a global missing here is never reported as a call.
 */

/** Names of the global object itself: `globalThis.eval`, `window['eval']` and `self.eval` are `eval`. */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set([
  'globalThis',
  'window',
  'global',
  'self',
  'frames',
  'top',
  'parent',
]);

/** Module loaders reachable without an import. `__non_webpack_require__` is webpack's way to reach Node's. */
export const REQUIRE_NAMES: ReadonlySet<string> = new Set(['require', '__non_webpack_require__']);

/**
 * Globals whose calls (and uses as values) are reported, with any member path: `process.binding`,
 * `WebAssembly.instantiate`. Engine rules can only match globals in this list or in `extraGlobals`.
 */
export const REPORTED_GLOBALS: readonly string[] = [
  'eval',
  'Function',
  'fetch',
  'process',
  'module',
  'WebAssembly',
  'setTimeout',
  'setInterval',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'navigator',
  'importScripts',
  'execScript',
  'Worker',
  'SharedWorker',
  'Deno',
  'Bun',
  'Reflect',
];

/** Globals that are functions: `.constructor` of any of them is `Function`. */
export const FUNCTION_GLOBALS: ReadonlySet<string> = new Set([
  'eval',
  'Function',
  'fetch',
  'setTimeout',
  'setInterval',
  'importScripts',
  'execScript',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'Worker',
  'SharedWorker',
  'require',
]);

/** Timers that compile a string first argument as code (`setTimeout("code", 0)`); reported as `eval` too. */
export const STRING_EVAL_TIMERS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'execScript']);

/** Globals whose calls do more than return an untracked result (`Reflect.apply(eval, ...)`, timers with code). */
export const SPECIAL_CALL_ROOTS: ReadonlySet<string> = new Set([
  'Reflect',
  'Object',
  'Function',
  'require',
  'module',
  ...STRING_EVAL_TIMERS,
]);

/**
 * Members of `process` that are plain data: passing `process.env` or `process.argv` around is not a use of
 * a restricted call, and following them would only cost time.
 */
export const PROCESS_DATA: ReadonlySet<string> = new Set([
  'env',
  'argv',
  'argv0',
  'execArgv',
  'execPath',
  'platform',
  'arch',
  'version',
  'versions',
  'pid',
  'ppid',
  'title',
  'release',
  'config',
  'features',
  'exitCode',
  'stdout',
  'stderr',
  'stdin',
]);

/** Keywords after which a `/` starts a regex and a `<` may start JSX (everything else ending in a word is an operand). */
export const KEYWORDS_BEFORE_EXPRESSION: ReadonlySet<string> = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
]);

/** Bounds that keep hostile input from costing more than linear time or blowing the stack. */
export const LIMITS = {
  /** Recursion depth of constant folding and value evaluation. */
  depth: 48,
  /** Longest string or array that folding builds. */
  foldLength: 4096,
  /** Total folding/evaluation steps per analysis. */
  steps: 200_000,
  /** Parent steps one forward walk may take (transparent wrappers such as parentheses included). */
  walkSteps: 20_000,
  /** Entries kept in an array or object literal that holds a tracked value. */
  containerEntries: 64,
  /** Distinct local names followed as aliases. */
  names: 2_000,
  /** Occurrences of one name that are classified (a name used more often is treated as unresolvable). */
  occurrencesPerName: 20_000,
} as const;
