import type { Span } from './types';

export interface RToken extends Span {
  /** `id` (an identifier or a backtick-quoted name), `str` (a string constant), `num`, `op` (punctuation). */
  kind: 'id' | 'str' | 'num' | 'op';
  /** The identifier or string value (quotes removed, escapes decoded), or the operator text. */
  value: string;
  /** Backtick-quoted names are identifiers too, but never keywords. */
  quoted?: boolean;
}

export interface RLexed {
  tokens: RToken[];
  comments: Span[];
  strings: Span[];
}

const OPERATORS = [':::', '<<-', '->>', '::', '<-', '->', '|>', '==', '!=', '<=', '>=', '&&', '||', '**'];
const UNICODE_LETTER = /\p{L}/u;
const UNICODE_PART = /[\p{L}\p{Nd}]/u;
const NUMBER = /(?:0[xX][0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?(?:[pP][+-]?\d+)?|\d*\.?\d*(?:[eE][+-]?\d+)?)[Li]?/y;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdStart(code: number, ch: string): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    code === 46 ||
    code === 95 ||
    (code > 127 && UNICODE_LETTER.test(ch))
  );
}

function isIdPart(code: number, ch: string): boolean {
  return isIdStart(code, ch) || isDigit(code) || (code > 127 && UNICODE_PART.test(ch));
}

/**
 * A small R lexer (there is no R grammar here): `#` comments, '…' and "…" strings with escapes, raw
 * strings r"(…)" / R'[…]' / r"--{…}--", backtick names, numbers, identifiers and operators. Unterminated
 * constructs run to the end of the text; it never throws and is linear in the input.
 */
export function lexR(text: string): RLexed {
  const tokens: RToken[] = [];
  const comments: Span[] = [];
  const strings: Span[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0') {
      i++;
      continue;
    }
    const start = i;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      comments.push({ start, end: i });
      continue;
    }
    if ((c === 'r' || c === 'R') && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const raw = rawString(text, i);
      if (raw) {
        i = raw.end;
        strings.push({ start, end: i });
        tokens.push({ kind: 'str', value: raw.value, start, end: i });
        continue;
      }
    }
    if (c === '"' || c === "'") {
      const s = quoted(text, i, c);
      i = s.end;
      strings.push({ start, end: i });
      tokens.push({ kind: 'str', value: s.value, start, end: i });
      continue;
    }
    if (c === '`') {
      const s = quoted(text, i, '`');
      i = s.end;
      tokens.push({ kind: 'id', value: s.value, start, end: i, quoted: true });
      continue;
    }
    const code = text.charCodeAt(i);
    if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      i += Math.max(1, m?.[0].length ?? 1);
      tokens.push({ kind: 'num', value: text.slice(start, i), start, end: i });
      continue;
    }
    if (isIdStart(code, c)) {
      i++;
      while (i < n && isIdPart(text.charCodeAt(i), text[i]!)) i++;
      tokens.push({ kind: 'id', value: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '%') {
      const end = text.indexOf('%', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (end > 0 && (nl < 0 || end < nl)) {
        i = end + 1;
        tokens.push({ kind: 'op', value: text.slice(start, i), start, end: i });
        continue;
      }
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
    i += op.length;
    tokens.push({ kind: 'op', value: op, start, end: i });
  }
  return { tokens, comments, strings };
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function rawString(text: string, at: number): { value: string; end: number } | undefined {
  const quote = text[at + 1]!;
  const m = /^-*/.exec(text.slice(at + 2, at + 2 + 1000))!;
  const dashes = m[0];
  const open = text[at + 2 + dashes.length];
  if (open === undefined || !(open in CLOSING)) return undefined;
  const bodyStart = at + 3 + dashes.length;
  const terminator = CLOSING[open]! + dashes + quote;
  const close = text.indexOf(terminator, bodyStart);
  if (close < 0) return { value: text.slice(bodyStart), end: text.length };
  return { value: text.slice(bodyStart, close), end: close + terminator.length };
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function quoted(text: string, at: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    let j = i;
    const q = quote.charCodeAt(0);
    while (j < text.length && text.charCodeAt(j) !== q && text.charCodeAt(j) !== 92) j++;
    value += text.slice(i, j);
    if (j >= text.length) return { value, end: text.length };
    if (text.charCodeAt(j) === q) return { value, end: j + 1 };
    i = j;
    const rest = text.slice(i + 1, i + 12);
    let m: RegExpExecArray | null;
    if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) value += String.fromCharCode(parseInt(m[1]!, 16));
    else if (
      (m = /^[uU]\{([0-9a-fA-F]{1,8})\}/.exec(rest)) ||
      (m = /^u([0-9a-fA-F]{1,4})/.exec(rest)) ||
      (m = /^U([0-9a-fA-F]{1,8})/.exec(rest))
    ) {
      const cp = parseInt(m[1]!, 16);
      value += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    } else if ((m = /^[0-7]{1,3}/.exec(rest))) value += String.fromCharCode(parseInt(m[0], 8));
    else if (rest.length > 0) {
      m = /^[\s\S]/.exec(rest)!;
      value += ESCAPES[m[0]] ?? m[0];
    } else {
      return { value, end: text.length };
    }
    i += 1 + m[0].length;
  }
  return { value, end: text.length };
}
