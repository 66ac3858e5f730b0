/** Python's hard keywords. Soft keywords (`match`, `case`, `type`, `_`) are ordinary names to the lexer. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

/**
 * The names of Python 3's `builtins` module that code can call. Exception and warning classes are left
 * out on purpose: every `raise ValueError(...)` would otherwise become a fact, and no policy restricts
 * them. Constants (`True`, `None`, `Ellipsis`, ...) are not callable.
 */
export const PYTHON_BUILTINS: ReadonlySet<string> = new Set([
  '__build_class__',
  '__import__',
  '__loader__',
  '__spec__',
  'abs',
  'aiter',
  'all',
  'anext',
  'any',
  'ascii',
  'bin',
  'bool',
  'breakpoint',
  'bytearray',
  'bytes',
  'callable',
  'chr',
  'classmethod',
  'compile',
  'complex',
  'copyright',
  'credits',
  'delattr',
  'dict',
  'dir',
  'divmod',
  'enumerate',
  'eval',
  'exec',
  'execfile',
  'exit',
  'filter',
  'float',
  'format',
  'frozenset',
  'getattr',
  'globals',
  'hasattr',
  'hash',
  'help',
  'hex',
  'id',
  'input',
  'int',
  'isinstance',
  'issubclass',
  'iter',
  'len',
  'license',
  'list',
  'locals',
  'map',
  'max',
  'memoryview',
  'min',
  'next',
  'object',
  'oct',
  'open',
  'ord',
  'pow',
  'print',
  'property',
  'quit',
  'range',
  'raw_input',
  'reload',
  'repr',
  'reversed',
  'round',
  'set',
  'setattr',
  'slice',
  'sorted',
  'staticmethod',
  'str',
  'sum',
  'super',
  'tuple',
  'type',
  'vars',
  'zip',
]);

/** Names of the module that holds the builtins (Python 3, Python 2); its members are reported as bare names. */
export const BUILTINS_MODULES: ReadonlySet<string> = new Set(['builtins', '__builtin__']);

/**
 * `from M import *` can rebind a builtin name. These are the well-known cases where a star import
 * replaces a builtin (so `compile()` after `from re import *` is `re.compile`, not the builtin).
 */
export const STAR_EXPORTS_SHADOWING_BUILTINS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['os', new Set(['open'])],
  ['posix', new Set(['open'])],
  ['nt', new Set(['open'])],
  ['io', new Set(['open'])],
  ['codecs', new Set(['open'])],
  ['gzip', new Set(['open'])],
  ['bz2', new Set(['open'])],
  ['lzma', new Set(['open'])],
  ['tokenize', new Set(['open'])],
  ['dbm', new Set(['open'])],
  ['shelve', new Set(['open'])],
  ['re', new Set(['compile'])],
  ['regex', new Set(['compile'])],
  ['builtins', PYTHON_BUILTINS],
  ['__builtin__', PYTHON_BUILTINS],
]);

/**
 * Platform modules that are the implementation of another module: `posix.system` is `os.system`. A name
 * reached through one of them is also reported under the canonical name, so a policy written against
 * `os` covers them.
 */
export const CANONICAL_MODULES: ReadonlyMap<string, string> = new Map([
  ['posix', 'os'],
  ['nt', 'os'],
  ['_posixsubprocess', 'subprocess'],
]);

/**
 * Modules that many stdlib modules hold as an attribute (`shutil.os`, `tempfile._os`, `subprocess.sys`):
 * `<module>.os.system` reaches `os.system` without an `import os`, so such chains are also reported under
 * the inner module's name.
 */
export const REEXPORTED_MODULES: ReadonlySet<string> = new Set([
  'os',
  'sys',
  'subprocess',
  'builtins',
  'importlib',
  'ctypes',
  'socket',
  'shutil',
  'posix',
  'nt',
  'pty',
]);

/**
 * Encodings whose declaration is harmless: the same characters as the UTF-8 an editor shows. Keys are in
 * the form `encodings.normalize_encoding` produces (lower case, runs of punctuation turned into `_`),
 * taken from CPython's `encodings.aliases` for `utf_8`, `ascii` and `latin_1`.
 */
export const HARMLESS_ENCODINGS: ReadonlySet<string> = new Set([
  'utf_8',
  'utf8',
  'u8',
  'utf',
  'utf8_ucs2',
  'utf8_ucs4',
  'cp65001',
  'utf_8_sig',
  'ascii',
  '646',
  'ansi_x3.4_1968',
  'ansi_x3.4_1986',
  'ansi_x3_4_1968',
  'cp367',
  'csascii',
  'ibm367',
  'iso646_us',
  'iso_646.irv_1991',
  'iso_ir_6',
  'us',
  'us_ascii',
  'latin_1',
  '8859',
  'cp819',
  'csisolatin1',
  'ibm819',
  'iso8859',
  'iso8859_1',
  'iso_8859_1',
  'iso_8859_1_1987',
  'iso_ir_100',
  'l1',
  'latin',
  'latin1',
]);

/**
 * Modules whose members run code, spawn processes or reach the interpreter. `getattr(os, name)` with a
 * computed name walks around any rule on their members, so it is reported as a dynamic lookup;
 * `getattr(config, key)` on an ordinary module is not.
 */
export const SENSITIVE_MODULES: ReadonlySet<string> = new Set([
  'os',
  'posix',
  'nt',
  'subprocess',
  '_posixsubprocess',
  'builtins',
  '__builtin__',
  'sys',
  'importlib',
  'imp',
  'ctypes',
  'cffi',
  'pty',
  'shutil',
  'socket',
  'pickle',
  'marshal',
  'shelve',
  'multiprocessing',
  'code',
  'codeop',
  'runpy',
  'pdb',
  'commands',
  'popen2',
  'asyncio',
]);
