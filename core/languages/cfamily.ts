import type { LanguageFacts, Span, SyntaxNode, Tree } from './types';
import { collectFacts } from './analysisFailed';

const NODE_TYPES = [
  'comment',
  'string_literal',
  'char_literal',
  'raw_string_literal',
  'preproc_include',
  'preproc_call',
  'preproc_def',
  'preproc_function_def',
  'call_expression',
  'function_definition',
  'init_declarator',
  'assignment_expression',
  'pointer_expression',
  'gnu_asm_expression',
];

const ID = String.raw`[\p{L}_$][\p{L}\p{Nd}_$]*`;
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*\n|\\\r?\n)*`;
const INCLUDE = new RegExp(
  String.raw`^#${GAP}(include_next|include|import)${GAP}(?:<([^>\n]*)>|"([^"\n]*)"|(${ID}))`,
  'u',
);
const DEFINE = new RegExp(String.raw`^#${GAP}define[ \t]+(${ID})(\()?`, 'u');
const CALLEE_AT = new RegExp(
  String.raw`(\(${GAP}(?:::)?${ID}(?:${GAP}::${GAP}${ID})*${GAP}\)|(?:::)?${ID}(?:${GAP}::${GAP}${ID})*)(?:${GAP}<[^<>()]*>)?${GAP}\(`,
  'uy',
);
const QUALIFIED = new RegExp(String.raw`^(?:::)?(${ID}(?:::${ID})*)(?:<[^()]*>)?$`, 'u');
const VALUE_REF = new RegExp(
  String.raw`(?:^|[^=!<>])=${GAP}(?:\(${GAP}[\p{L}\p{Nd}_$\s*]+\)${GAP})?(${ID})${GAP}$`,
  'du',
);
const ADDRESS_OF = new RegExp(String.raw`^&${GAP}(?:::${GAP})?(?:std${GAP}::${GAP})?(${ID})${GAP}$`, 'du');
const DECLARATOR_NAME = new RegExp(String.raw`^[\s*&(]*(${ID})`, 'u');
const ASM = /^(?:__asm__|__asm|asm)\b/;

/** Loaders whose first argument names a shared library, and resolvers whose second names a symbol. */
const LOADERS = new Set([
  'dlopen',
  'dlmopen',
  'LoadLibrary',
  'LoadLibraryA',
  'LoadLibraryW',
  'LoadLibraryExA',
  'LoadLibraryExW',
  'LoadLibraryEx',
]);
const RESOLVERS = new Set(['dlsym', 'dlvsym', 'GetProcAddress']);
const NOT_CALLS = new Set([
  'if',
  'while',
  'for',
  'switch',
  'return',
  'sizeof',
  'alignof',
  '_Alignof',
  'defined',
  'typeof',
  '__typeof__',
  'decltype',
  'static_assert',
  '_Static_assert',
  '__attribute__',
  '__declspec',
]);

const MAX_DEPTH = 16;
const MAX_VALUE_REF = 4096;

/**
 * C and C++: comments, string/char literals (also inside macro bodies, which the grammar leaves as raw
 * text), `#include <x>` / `"x"` with any spacing (a macro target is resolved through `#define` or is a
 * dynamic import), calls by bare function name (`system`, `execvp`; `std::system` and `::system` too;
 * through object-like macro aliases and calls written inside macro bodies), functions taken as values
 * (`f = system`, `&system`), `dlopen`/`LoadLibrary` of a constant (an import) or not (dynamic import),
 * `dlsym(h, "system")` (a call of `system`), and inline assembly (`asm`).
 */
export function analyzeCFamily(tree: Tree, text: string): LanguageFacts {
  return collectFacts(text, (facts) => new CFile(tree, text, facts).run());
}

interface Define {
  body: string;
  bodyStart: number;
  functionLike: boolean;
}

class CFile {
  private readonly defines = new Map<string, Define>();
  private readonly localFunctions = new Set<string>();
  private readonly localVariables = new Set<string>();
  private readonly callStarts = new Set<number>();
  private readonly stringStarts = new Set<number>();

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly facts: LanguageFacts,
  ) {}

  run(): void {
    const nodes = this.tree.rootNode.descendantsOfType(NODE_TYPES);
    const includes: SyntaxNode[] = [];
    const calls: SyntaxNode[] = [];
    const valueRefs: SyntaxNode[] = [];
    const bodies: { define: Define; params: Set<string> }[] = [];
    let lastString = -1;
    let includeEnd = -1;
    for (const node of nodes) {
      if (!node) continue;
      switch (node.type) {
        case 'comment':
          this.facts.comments.push(span(node));
          break;
        case 'string_literal':
        case 'char_literal':
        case 'raw_string_literal':
          // A string nested in a string cannot happen, but ERROR recovery can produce overlapping nodes.
          // An include's `"x.h"` is a header name, not a string literal (as `<x.h>` is not either).
          if (node.startIndex >= lastString && node.startIndex >= includeEnd) {
            this.facts.strings.push(span(node));
            this.stringStarts.add(node.startIndex);
            lastString = node.endIndex;
          }
          break;
        case 'preproc_include':
        case 'preproc_call':
          includes.push(node);
          includeEnd = node.endIndex;
          break;
        case 'preproc_def':
        case 'preproc_function_def': {
          const body = this.readDefine(node);
          if (body) bodies.push(body);
          break;
        }
        case 'call_expression':
          calls.push(node);
          break;
        case 'function_definition': {
          const name = functionName(node);
          if (name) this.localFunctions.add(name);
          break;
        }
        case 'init_declarator': {
          const m = DECLARATOR_NAME.exec(
            this.text.slice(node.startIndex, Math.min(node.startIndex + 256, this.text.length)),
          );
          if (m) this.localVariables.add(m[1]!);
          valueRefs.push(node);
          break;
        }
        case 'gnu_asm_expression': {
          const m = ASM.exec(this.slice(node));
          if (m)
            this.facts.calls.push({
              start: node.startIndex,
              end: node.startIndex + m[0].length,
              name: 'asm',
            });
          break;
        }
        default:
          valueRefs.push(node);
      }
    }
    for (const node of includes) this.include(node);
    for (const body of bodies) this.macroBody(body.define, body.params);
    for (const node of calls) this.call(node);
    for (const node of valueRefs) this.valueRef(node);
    this.facts.strings.sort((a, b) => a.start - b.start);
    this.facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  private readDefine(node: SyntaxNode): { define: Define; params: Set<string> } | undefined {
    const source = this.slice(node);
    const m = DEFINE.exec(source);
    if (!m) return undefined;
    let bodyOffset = m[0].length;
    const params = new Set<string>();
    const functionLike = m[2] !== undefined;
    if (functionLike) {
      const close = source.indexOf(')', bodyOffset);
      if (close < 0) return undefined;
      for (const p of source.slice(bodyOffset, close).split(',')) params.add(p.trim());
      bodyOffset = close + 1;
    }
    const define: Define = {
      body: source.slice(bodyOffset),
      bodyStart: node.startIndex + bodyOffset,
      functionLike,
    };
    this.defines.set(m[1]!, define);
    return { define, params };
  }

  /** The identifier an object-like macro expands to, followed through chains of such macros. */
  private resolveAlias(name: string): string {
    let current = name;
    for (let i = 0; i < MAX_DEPTH; i++) {
      const d = this.defines.get(current);
      if (!d || d.functionLike) break;
      const body = stripComments(d.body)
        .replace(/\\\r?\n/g, ' ')
        .trim();
      const m = QUALIFIED.exec(body.replace(/\s+/g, ''));
      if (!m || !/^[\p{L}_$(:]/u.test(body)) break;
      current = normalizeQualified(m[1]!);
    }
    return current;
  }

  private include(node: SyntaxNode): void {
    const source = this.slice(node);
    const m = INCLUDE.exec(source);
    if (!m) return;
    const form = m[1]!;
    // The directive node includes its line break.
    const at = { start: node.startIndex, end: node.startIndex + source.trimEnd().length };
    if (m[4] === undefined) {
      const module = (m[2] ?? m[3] ?? '').trim();
      this.facts.imports.push({ ...at, module, form });
      return;
    }
    const target = this.expandIncludeMacro(m[4]);
    if (target !== undefined) {
      this.facts.imports.push({ ...at, module: target, form });
    } else {
      this.facts.dynamicImports.push({
        ...at,
        reason: `#${form} target ${m[4]} is a macro that is not defined as a constant header name in this file`,
      });
    }
  }

  private expandIncludeMacro(name: string): string | undefined {
    let current = name;
    for (let i = 0; i < MAX_DEPTH; i++) {
      const d = this.defines.get(current);
      if (!d || d.functionLike) return undefined;
      const body = stripComments(d.body)
        .replace(/\\\r?\n/g, ' ')
        .trim();
      const header = /^(?:<([^>\n]*)>|"([^"\n]*)")$/.exec(body);
      if (header) return (header[1] ?? header[2]!).trim();
      if (!new RegExp(`^${ID}$`, 'u').test(body)) return undefined;
      current = body;
    }
    return undefined;
  }

  /** Macro bodies are one raw token in the grammar: lex them for strings and for calls written inside. */
  private macroBody(define: Define, params: Set<string>): void {
    const { body, bodyStart } = define;
    const lexer =
      /\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|(?:u8|[uUL])?R"([^()\\\s]{0,16})\([\s\S]*?\)\1"|(?:u8|[uUL])?"(?:[^"\\\n]|\\[\s\S])*"?|(?:u8|[uUL])?'(?:[^'\\\n]|\\[\s\S])*'?|[\p{L}_$][\p{L}\p{Nd}_$]*|\s+|[\s\S]/gu;
    const tokens: { text: string; start: number }[] = [];
    for (let m = lexer.exec(body); m; m = lexer.exec(body)) {
      const t = m[0];
      const start = bodyStart + m.index;
      if (/^\s/.test(t) || t.startsWith('/*') || t.startsWith('//')) continue;
      if (/^(?:u8|[uUL])?R?["']/.test(t) && /["']/.test(t)) {
        if (!this.stringStarts.has(start)) this.facts.strings.push({ start, end: start + t.length });
        tokens.push({ text: '"', start });
        continue;
      }
      tokens.push({ text: t, start });
    }
    for (let i = 0; i + 1 < tokens.length; i++) {
      const t = tokens[i]!;
      if (tokens[i + 1]!.text !== '(' || !/^[\p{L}_$]/u.test(t.text)) continue;
      if (params.has(t.text) || NOT_CALLS.has(t.text) || (i > 0 && /^(?:\.|->)$/.test(tokens[i - 1]!.text)))
        continue;
      this.addCall(t.start, t.start + t.text.length, this.resolveAlias(t.text));
    }
  }

  private addCall(start: number, end: number, name: string): void {
    if (this.localFunctions.has(name) || this.callStarts.has(start)) return;
    this.callStarts.add(start);
    this.facts.calls.push({ start, end, name });
  }

  private call(node: SyntaxNode): void {
    // The callee starts the call: read the common `name(`, `ns::name(`, `(name)(` shapes from the text;
    // anything else (`obj.f(`, `(*fp)(`, `f()()`) is asked of the tree.
    const start = node.startIndex;
    CALLEE_AT.lastIndex = start;
    const m = CALLEE_AT.exec(this.text);
    let name: string | undefined;
    let end: number;
    if (m) {
      name = this.calleeName(m[1]!);
      end = start + m[1]!.length;
    } else {
      const fn = node.childForFieldName('function');
      if (!fn) return;
      name = this.calleeName(this.slice(fn));
      end = fn.endIndex;
    }
    if (name === undefined) return;
    this.addCall(start, end, name);
    if (this.localFunctions.has(name)) return;
    if (LOADERS.has(name)) this.loader(node, name);
    else if (RESOLVERS.has(name)) this.resolver(node);
  }

  /** `system`, `std::system`, `::system`, `(system)`, `f<T>`, macro aliases; not `obj.f` or `(*fp)`. */
  private calleeName(source: string): string | undefined {
    let s = stripComments(source).replace(/\s+/g, '');
    while (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1);
    const m = QUALIFIED.exec(s);
    if (!m) return undefined;
    const name = normalizeQualified(m[1]!);
    return name.includes('::') ? name : this.resolveAlias(name);
  }

  private args(call: SyntaxNode): SyntaxNode[] {
    const list = call.childForFieldName('arguments');
    return (list?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
  }

  private loader(call: SyntaxNode, form: string): void {
    const arg = this.args(call)[0];
    if (!arg) return;
    const source = this.slice(arg).trim();
    if (/^(?:NULL|nullptr|0|\(\s*void\s*\*\s*\)\s*0)$/.test(source)) return;
    const value = this.fold(source);
    if (value !== undefined) {
      this.facts.imports.push({ start: call.startIndex, end: call.endIndex, module: value, form });
    } else {
      this.facts.dynamicImports.push({
        start: call.startIndex,
        end: call.endIndex,
        reason: `argument of ${form} is not a constant`,
      });
    }
  }

  private resolver(call: SyntaxNode): void {
    const arg = this.args(call)[1];
    if (!arg) return;
    const value = this.fold(this.slice(arg));
    if (value !== undefined && new RegExp(`^${ID}$`, 'u').test(value)) {
      this.addCall(arg.startIndex, arg.endIndex, value);
    }
  }

  private valueRef(node: SyntaxNode): void {
    // `x = name` is short; long ones (initializer lists, chained assignments) are not copied.
    if (node.endIndex - node.startIndex > MAX_VALUE_REF) return;
    const source = this.slice(node);
    const m = (node.type === 'pointer_expression' ? ADDRESS_OF : VALUE_REF).exec(source);
    if (!m) return;
    const name = this.resolveAlias(m[1]!);
    if (this.localVariables.has(name) || NOT_CALLS.has(name)) return;
    const start = node.startIndex + m.indices![1]![0];
    this.addCall(start, start + m[1]!.length, name);
  }

  private fold(source: string): string | undefined {
    return foldCString(source, 0, (name) => {
      const d = this.defines.get(name);
      return d && !d.functionLike ? d.body : undefined;
    });
  }
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
}

/** `std::system` and `::system` are the C library's `system`; other qualified names stay qualified. */
function normalizeQualified(name: string): string {
  return name.replace(/^::/, '').replace(/^std::/, '');
}

function functionName(node: SyntaxNode): string | undefined {
  let d = node.childForFieldName('declarator');
  for (let i = 0; d && i < MAX_DEPTH; i++) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    if (d.type === 'qualified_identifier') return undefined;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

const C_TOKEN =
  /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|(?:u8|[uUL])?R"([^()\\\s]{0,16})\(([\s\S]*?)\)\1"|(?:u8|[uUL])?"((?:[^"\\\n]|\\[\s\S])*)"|[\p{L}_$][\p{L}\p{Nd}_$]*|[()]|[\s\S]/gu;

/**
 * Folds C/C++ source text of adjacent string literals (with prefixes and raw strings), parentheses and
 * object-like macros (looked up by `lookup`) to its constant value.
 */
export function foldCString(
  source: string,
  depth: number,
  lookup: (name: string) => string | undefined,
): string | undefined {
  if (depth > MAX_DEPTH || source.length > 100_000) return undefined;
  let value = '';
  let seen = false;
  const re = new RegExp(C_TOKEN.source, C_TOKEN.flags);
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('/*') || t.startsWith('//') || t === '(' || t === ')') continue;
    if (m[2] !== undefined) {
      value += m[2];
    } else if (m[3] !== undefined) {
      const decoded = decodeCEscapes(m[3]);
      if (decoded === undefined) return undefined;
      value += decoded;
    } else if (/^[\p{L}_$]/u.test(t)) {
      const body = lookup(t);
      const expanded = body === undefined ? undefined : foldCString(stripComments(body), depth + 1, lookup);
      if (expanded === undefined) return undefined;
      value += expanded;
    } else {
      return undefined;
    }
    seen = true;
  }
  return seen ? value : undefined;
}

const C_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  e: '\x1b',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
  '\n': '',
};

function decodeCEscapes(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in C_ESCAPES) {
      out += C_ESCAPES[e];
      i++;
    } else if (e === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 2));
      if (!m) return undefined;
      out += String.fromCodePoint(parseInt(m[0].slice(-6), 16) % 0x110000);
      i += 1 + m[0].length;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex) || parseInt(hex, 16) > 0x10ffff) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + n;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
    } else {
      out += e;
      i++;
    }
  }
  return out;
}
