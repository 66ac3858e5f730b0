/** A decoded Python string or bytes literal. Bytes are held as a string of char codes 0-255. */
export interface DecodedString {
  bytes: boolean;
  value: string;
}

export interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  format: boolean;
  /** Length of prefix plus opening quote(s). */
  open: number;
  /** Length of the closing quote(s) (0 when unterminated). */
  close: number;
}

/** Reads the prefix and quotes of a literal such as `rb'''x'''`. */
export function stringPrefix(literal: string): StringPrefix | undefined {
  let i = 0;
  while (i < literal.length && i < 3 && /[rRbBuUfFtT]/.test(literal[i])) i++;
  const q = literal[i];
  if (q !== '"' && q !== "'") return undefined;
  const prefix = literal.slice(0, i).toLowerCase();
  const triple = literal.startsWith(q.repeat(3), i);
  const quote = triple ? q.repeat(3) : q;
  const open = i + quote.length;
  const close = literal.length - open >= quote.length && literal.endsWith(quote) ? quote.length : 0;
  return {
    raw: prefix.includes('r'),
    bytes: prefix.includes('b'),
    format: prefix.includes('f') || prefix.includes('t'),
    open,
    close,
  };
}

/** Decodes a whole literal (prefix and quotes included); undefined for f-strings and malformed text. */
export function decodeStringLiteral(literal: string): DecodedString | undefined {
  const p = stringPrefix(literal);
  if (!p || p.format || p.close === 0) return undefined;
  const value = decodeBody(literal.slice(p.open, literal.length - p.close), p.raw, p.bytes, false);
  return value === undefined ? undefined : { bytes: p.bytes, value };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Decodes the body of a literal: escape sequences (unless raw), and for f-string literal parts the
 * doubled braces. Returns undefined for a `\N{...}` name it does not know.
 */
export function decodeBody(body: string, raw: boolean, bytes: boolean, fstring: boolean): string | undefined {
  if (!body.includes('\\') && !(fstring && (body.includes('{{') || body.includes('}}')))) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (fstring && (c === '{' || c === '}') && body[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const d = body[i + 1];
    if (raw) {
      out += c + d; // raw: the backslash stays, and only stops the next character from ending the literal
      i++;
      continue;
    }
    if (d === '\n' || d === '\r') {
      i += d === '\r' && body[i + 2] === '\n' ? 2 : 1; // line continuation inside the literal
      continue;
    }
    if (SIMPLE_ESCAPES[d] !== undefined) {
      out += SIMPLE_ESCAPES[d];
      i++;
      continue;
    }
    if (d >= '0' && d <= '7') {
      let j = i + 1;
      while (j < body.length && j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      out += String.fromCharCode(parseInt(body.slice(i + 1, j), 8) & (bytes ? 0xff : 0x1ff));
      i = j - 1;
      continue;
    }
    const hexLen = d === 'x' ? 2 : !bytes && d === 'u' ? 4 : !bytes && d === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += 1 + hexLen;
      continue;
    }
    if (!bytes && d === 'N' && body[i + 2] === '{') {
      const close = body.indexOf('}', i + 3);
      if (close < 0) return undefined;
      const ch = unicodeName(body.slice(i + 3, close));
      if (ch === undefined) return undefined;
      out += ch;
      i = close;
      continue;
    }
    out += c + d; // unknown escapes keep the backslash
    i++;
  }
  return out;
}

const NAMED: Record<string, string> = {
  SPACE: ' ',
  'LOW LINE': '_',
  'FULL STOP': '.',
  'HYPHEN-MINUS': '-',
  SOLIDUS: '/',
  'REVERSE SOLIDUS': '\\',
  NULL: '\0',
  'LINE FEED': '\n',
  'CHARACTER TABULATION': '\t',
  'QUOTATION MARK': '"',
  APOSTROPHE: "'",
  'LEFT PARENTHESIS': '(',
  'RIGHT PARENTHESIS': ')',
  COMMA: ',',
  COLON: ':',
  SEMICOLON: ';',
  'EQUALS SIGN': '=',
  'NUMBER SIGN': '#',
};
const DIGITS = ['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'];

/**
 * The `\N{...}` names that spell identifiers and module paths (letters, digits, punctuation of
 * commands). The full Unicode name table is too large for the engine; other names make the literal
 * non-constant, which is reported as such rather than guessed.
 */
function unicodeName(name: string): string | undefined {
  const upper = name.trim().toUpperCase().replace(/\s+/g, ' ');
  const letter = /^(?:LATIN )?(SMALL|CAPITAL) LETTER ([A-Z])$/.exec(upper);
  if (letter) return letter[1] === 'SMALL' ? letter[2].toLowerCase() : letter[2];
  const digit = /^DIGIT ([A-Z]+)$/.exec(upper);
  if (digit) {
    const d = DIGITS.indexOf(digit[1]);
    return d < 0 ? undefined : String(d);
  }
  return NAMED[upper];
}
