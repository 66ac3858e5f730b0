import { T_KEYWORD, T_NAME, T_OP, tokenName, type PythonTokens } from './pythonLexer';
import type { ImportRef } from './types';

/** A name an import statement binds, and what it is bound to. */
export interface ImportBinding {
  name: string;
  /** `module`: `import a.b` binds `a` to module `a`; `member`: `from a import b` binds `b` to `a.b`. */
  kind: 'module' | 'member';
  target: string;
}

export interface ImportStatement {
  /** Token index of the `import` or `from` keyword that starts the statement. */
  keyword: number;
  /** Token index one past the statement's last token. */
  endToken: number;
  refs: ImportRef[];
  bindings: ImportBinding[];
  /** `from m import *`: the module whose names all become visible. */
  star?: string;
}

const COMMA = 44;
const DOT = 46;
const LPAR = 40;
const RPAR = 41;
const STAR = 42;

/**
 * Finds import statements in the token stream. `import` is a hard keyword, so every occurrence outside
 * strings and comments starts an import (or is a syntax error); `from` starts one only when an `import`
 * follows its module name (`yield from x` and `raise E from e` do not). Working on tokens keeps imports
 * exact inside syntax errors, across backslash continuations and parentheses, and with comments between
 * the words. Marks the statement's tokens in `inImport`.
 */
export function findImportStatements(tokens: PythonTokens, inImport: Uint8Array): ImportStatement[] {
  const out: ImportStatement[] = [];
  const { count, kind, names } = tokens;
  for (let i = 0; i < count; i++) {
    if (kind[i] !== T_KEYWORD || inImport[i]) continue;
    const word = names[i];
    const stmt =
      word === 'from' ? parseFrom(tokens, i) : word === 'import' ? parseImport(tokens, i) : undefined;
    if (!stmt) continue;
    for (let t = stmt.keyword; t < stmt.endToken; t++) inImport[t] = 1;
    out.push(stmt);
  }
  return out;
}

interface Dotted {
  name: string;
  start: number;
  end: number;
  next: number;
}

function isOp(tokens: PythonTokens, i: number, code: number): boolean {
  return i < tokens.count && tokens.kind[i] === T_OP && tokens.op[i] === code;
}

function isKeyword(tokens: PythonTokens, i: number, word: string): boolean {
  return i < tokens.count && tokens.kind[i] === T_KEYWORD && tokens.names[i] === word;
}

function parseDotted(tokens: PythonTokens, i: number): Dotted | undefined {
  if (i >= tokens.count || tokens.kind[i] !== T_NAME) return undefined;
  let name = tokenName(tokens, i);
  const start = tokens.start[i];
  let end = tokens.end[i];
  let j = i + 1;
  while (isOp(tokens, j, DOT) && j + 1 < tokens.count && tokens.kind[j + 1] === T_NAME) {
    name += '.' + tokenName(tokens, j + 1);
    end = tokens.end[j + 1];
    j += 2;
  }
  return { name, start, end, next: j };
}

function parseAlias(tokens: PythonTokens, i: number): { alias?: string; next: number } {
  if (isKeyword(tokens, i, 'as') && i + 1 < tokens.count && tokens.kind[i + 1] === T_NAME) {
    return { alias: tokens.names[i + 1], next: i + 2 };
  }
  return { next: i };
}

function parseImport(tokens: PythonTokens, kw: number): ImportStatement {
  const stmt: ImportStatement = { keyword: kw, endToken: kw + 1, refs: [], bindings: [] };
  let j = kw + 1;
  // `import (os)` is a syntax error, but the intent is plain; accept it rather than miss it.
  const paren = isOp(tokens, j, LPAR);
  if (paren) j++;
  for (;;) {
    const d = parseDotted(tokens, j);
    if (!d) break;
    const a = parseAlias(tokens, d.next);
    stmt.refs.push({ module: d.name, start: d.start, end: d.end, form: 'import' });
    if (a.alias !== undefined) stmt.bindings.push({ name: a.alias, kind: 'module', target: d.name });
    else {
      const top = d.name.split('.')[0];
      stmt.bindings.push({ name: top, kind: 'module', target: top });
    }
    j = a.next;
    if (!isOp(tokens, j, COMMA)) break;
    j++;
  }
  if (paren && isOp(tokens, j, RPAR)) j++;
  stmt.endToken = j;
  return stmt;
}

function parseFrom(tokens: PythonTokens, kw: number): ImportStatement | undefined {
  let j = kw + 1;
  let dots = '';
  let modStart = -1;
  let modEnd = -1;
  while (isOp(tokens, j, DOT)) {
    if (modStart < 0) modStart = tokens.start[j];
    modEnd = tokens.end[j];
    dots += '.';
    j++;
  }
  const d = parseDotted(tokens, j);
  if (d) {
    if (modStart < 0) modStart = d.start;
    modEnd = d.end;
    j = d.next;
  }
  if (modStart < 0 || !isKeyword(tokens, j, 'import')) return undefined;
  const module = dots + (d ? d.name : '');
  const stmt: ImportStatement = { keyword: kw, endToken: j + 1, refs: [], bindings: [] };
  stmt.refs.push({ module, start: modStart, end: modEnd, form: 'from' });
  j++;
  if (isOp(tokens, j, STAR)) {
    stmt.star = module;
    stmt.endToken = j + 1;
    return stmt;
  }
  const paren = isOp(tokens, j, LPAR);
  if (paren) j++;
  for (;;) {
    // Inside parentheses the lexer emits no NEWLINE, so a multi-line list reads like one line.
    if (j >= tokens.count || tokens.kind[j] !== T_NAME) break;
    const name = tokens.names[j];
    const nameStart = tokens.start[j];
    const nameEnd = tokens.end[j];
    const a = parseAlias(tokens, j + 1);
    const member = module.endsWith('.') ? module + name : module + '.' + name;
    stmt.refs.push({ module: member, start: nameStart, end: nameEnd, form: 'from-import' });
    stmt.bindings.push({ name: a.alias ?? name, kind: 'member', target: member });
    j = a.next;
    if (!isOp(tokens, j, COMMA)) break;
    j++;
  }
  if (paren && isOp(tokens, j, RPAR)) j++;
  stmt.endToken = j;
  return stmt;
}
