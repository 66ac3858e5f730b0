import type { CallRef, DynamicImportRef, ImportRef, LanguageFacts, Span, SyntaxNode, Tree } from './types';
import { collectFacts } from './analysisFailed';

// One C-side traversal (descendantsOfType) is several times cheaper than a JS tree walk or a query with
// per-pattern captures; everything else is read from the source text of the few nodes it returns.
const NODE_TYPES = [
  'comment',
  'interpreted_string_literal',
  'raw_string_literal',
  'rune_literal',
  'import_spec',
  'selector_expression',
];

const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*\n)*`;
const IDENT = String.raw`[\p{L}_][\p{L}\p{Nd}_]*`;
/** `pkg.Member`, with any spacing or comments around the dot (both are legal Go). */
const QUALIFIED = new RegExp(`^(${IDENT})${GAP}\\.${GAP}(${IDENT})$`, 'u');
const BARE_CALL = new RegExp(`^(${IDENT})${GAP}\\(`, 'u');

/** Go's predeclared functions and types: a bare call to one of these never reaches a dot-imported package. */
const BUILTINS = new Set(
  (
    'append cap clear close complex copy delete imag len make max min new panic print println real recover ' +
    'bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 ' +
    'uint16 uint32 uint64 uintptr any'
  ).split(' '),
);

const MAX_FOLD_DEPTH = 32;
const MAX_SELECTOR = 4096;

/**
 * Go: comments, string/rune literals, imports (single, grouped, aliased, `_` and `.`), references to
 * imported package members as `<import path>.<Member>` (`exec.Command` → `os/exec.Command`, honouring
 * aliases and dot imports), and `plugin.Open` (an import of a constant path, else a dynamic import).
 */
export function analyzeGo(tree: Tree, text: string): LanguageFacts {
  return collectFacts(text, (facts) => collect(tree, text, facts));
}

function collect(tree: Tree, text: string, facts: LanguageFacts): void {
  const nodes = tree.rootNode.descendantsOfType(NODE_TYPES);
  /** Package name in scope → import path. */
  const packages = new Map<string, string>();
  const dotImports: string[] = [];
  const selectors: SyntaxNode[] = [];
  for (const node of nodes) {
    if (!node) continue;
    switch (node.type) {
      case 'comment':
        facts.comments.push(span(node));
        break;
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'rune_literal':
        facts.strings.push(span(node));
        break;
      case 'import_spec':
        readImport(node, facts.imports, packages, dotImports);
        break;
      default:
        selectors.push(node);
    }
  }
  if (packages.size > 0) {
    for (const node of selectors) {
      const start = node.startIndex;
      const end = node.endIndex;
      // `pkg.Member` is short even with comments around the dot; long selectors are chains.
      if (end - start > MAX_SELECTOR) continue;
      const m = QUALIFIED.exec(text.slice(start, end));
      if (!m) continue;
      const path = packages.get(m[1]!);
      if (path === undefined) continue;
      const name = `${path}.${m[2]!}`;
      facts.calls.push({ start, end, name });
      if (name === 'plugin.Open') pluginOpen(node, facts);
    }
  }
  if (dotImports.length > 0) {
    dotImportCalls(tree, text, dotImports, facts.calls);
    facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  }
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function readImport(
  node: SyntaxNode,
  imports: ImportRef[],
  packages: Map<string, string>,
  dots: string[],
): void {
  const pathNode = node.childForFieldName('path');
  if (!pathNode) return;
  const path = goStringValue(pathNode);
  if (path === undefined) return;
  imports.push({ start: node.startIndex, end: node.endIndex, module: path, form: 'import' });
  const nameNode = node.childForFieldName('name');
  if (!nameNode) {
    for (const name of defaultPackageNames(path)) packages.set(name, path);
    return;
  }
  const alias = nameNode.text;
  if (alias === '.') dots.push(path);
  else if (alias !== '_') packages.set(alias, path);
}

/**
 * The name a package is used under without an alias is declared by the package itself; the last path
 * element is the convention, with the usual exceptions for major-version suffixes (`/v2`, `yaml.v3`) and
 * `go-` style prefixes, so every plausible spelling is registered.
 */
export function defaultPackageNames(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0);
  let last = parts.at(-1) ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts.at(-2)!;
  const names = new Set<string>([last]);
  const noVersion = last.replace(/[.-]v\d+$/, '');
  names.add(noVersion);
  const tail = /([\p{L}_][\p{L}\p{Nd}_]*)$/u.exec(noVersion.replace(/\.go$/, ''));
  if (tail) names.add(tail[1]!);
  names.add(noVersion.replace(/[^\p{L}\p{Nd}_]/gu, ''));
  return [...names].filter((n) => new RegExp(`^${IDENT}$`, 'u').test(n));
}

function pluginOpen(selector: SyntaxNode, facts: LanguageFacts): void {
  const call = selector.parent;
  if (!call || call.type !== 'call_expression') return;
  const args = call.childForFieldName('arguments');
  const first = args?.namedChildren.find((n): n is SyntaxNode => n !== null && n.type !== 'comment');
  const value = first ? foldGo(first, 0, new Set()) : undefined;
  if (value !== undefined) {
    facts.imports.push({ start: call.startIndex, end: call.endIndex, module: value, form: 'plugin.Open' });
  } else {
    const ref: DynamicImportRef = {
      start: call.startIndex,
      end: call.endIndex,
      reason: 'argument of plugin.Open is not a constant',
    };
    facts.dynamicImports.push(ref);
  }
}

/** Constant value of a Go string expression: literals, `+`, parentheses and identifiers bound to constants. */
function foldGo(node: SyntaxNode, depth: number, seen: Set<string>): string | undefined {
  if (depth > MAX_FOLD_DEPTH) return undefined;
  switch (node.type) {
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return goStringValue(node);
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((n) => n !== null && n.type !== 'comment');
      return inner ? foldGo(inner, depth + 1, seen) : undefined;
    }
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.type !== '+') return undefined;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return undefined;
      const l = foldGo(left, depth + 1, seen);
      const r = l === undefined ? undefined : foldGo(right, depth + 1, seen);
      return l === undefined || r === undefined ? undefined : l + r;
    }
    case 'identifier':
      return constantBinding(node, depth, seen);
    default:
      return undefined;
  }
}

/** An identifier whose every binding in the file (const, var, :=) is the same constant string. */
function constantBinding(ident: SyntaxNode, depth: number, seen: Set<string>): string | undefined {
  const name = ident.text;
  if (seen.has(name)) return undefined;
  seen.add(name);
  const root = ident.tree.rootNode;
  const values = new Set<string>();
  let bindings = 0;
  for (const spec of root.descendantsOfType([
    'const_spec',
    'var_spec',
    'short_var_declaration',
    'assignment_statement',
  ])) {
    if (!spec) continue;
    const short = spec.type === 'short_var_declaration' || spec.type === 'assignment_statement';
    const names = short
      ? (spec.childForFieldName('left')?.namedChildren ?? [])
      : spec.childrenForFieldName('name');
    const index = names.findIndex((n) => n?.text === name);
    if (index < 0) continue;
    bindings++;
    const valueList = short ? spec.childForFieldName('right') : spec.childForFieldName('value');
    const value = valueList?.namedChildren.filter((n) => n !== null && n.type !== 'comment')[index];
    const folded = value ? foldGo(value, depth + 1, seen) : undefined;
    if (folded === undefined) return undefined;
    values.add(folded);
  }
  return bindings > 0 && values.size === 1 ? [...values][0] : undefined;
}

/** The value of a Go string literal, escapes decoded (an import path may legally be spelled with them). */
export function goStringValue(node: SyntaxNode): string | undefined {
  const raw = node.text;
  if (node.type === 'raw_string_literal') {
    return raw.length >= 2 && raw.endsWith('`') ? raw.slice(1, -1).replace(/\r/g, '') : undefined;
  }
  if (raw.length < 2 || !raw.endsWith('"')) return undefined;
  return decodeGoEscapes(raw.slice(1, -1));
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function decodeGoEscapes(body: string): string | undefined {
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  const pushText = (s: string) => {
    for (const ch of s) utf8Encode(ch.codePointAt(0)!, bytes);
  };
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      pushText(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else if (e === 'x' || /[0-7]/.test(e)) {
      const hex = e === 'x';
      const digits = body.slice(i + (hex ? 2 : 1), i + (hex ? 4 : 4));
      if (!(hex ? /^[0-9a-fA-F]{2}$/ : /^[0-7]{3}$/).test(digits)) return undefined;
      bytes.push(parseInt(digits, hex ? 16 : 8) & 0xff);
      i += hex ? 4 : 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) return undefined;
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) return undefined;
      pushText(String.fromCodePoint(cp));
      i += 2 + n;
    } else {
      return undefined;
    }
  }
  return utf8Decode(bytes);
}

// Core has no TextEncoder/TextDecoder (no DOM or Node globals): Go strings are bytes, and `\x` escapes
// can spell any byte, so the value is decoded as UTF-8 by hand (invalid sequences become U+FFFD).
function utf8Encode(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function utf8Decode(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    let cp = n === 0 ? b : n === 1 ? b & 0x1f : n === 2 ? b & 0x0f : b & 0x07;
    let ok = n >= 0;
    for (let k = 1; ok && k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok || cp > 0x10ffff) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

/** `import . "os/exec"` puts `Command` in file scope: a bare call may then be `os/exec.Command`. */
function dotImportCalls(tree: Tree, text: string, dots: string[], calls: CallRef[]): void {
  const local = new Set<string>();
  const candidates: { start: number; end: number; name: string }[] = [];
  for (const node of tree.rootNode.descendantsOfType(['call_expression', 'function_declaration'])) {
    if (!node) continue;
    if (node.type === 'function_declaration') {
      const name = node.childForFieldName('name')?.text;
      if (name) local.add(name);
      continue;
    }
    const start = node.startIndex;
    const m = BARE_CALL.exec(text.slice(start, Math.min(node.endIndex, start + 512)));
    if (m && !BUILTINS.has(m[1]!)) candidates.push({ start, end: start + m[1]!.length, name: m[1]! });
  }
  const seen = new Set<number>();
  for (const c of candidates) {
    // `f(a)(b)`: the outer and inner calls start at the same name.
    if (local.has(c.name) || seen.has(c.start)) continue;
    seen.add(c.start);
    for (const path of dots) calls.push({ start: c.start, end: c.end, name: `${path}.${c.name}` });
  }
}
