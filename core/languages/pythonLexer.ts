import { PYTHON_KEYWORDS } from './pythonConstants';
import type { Span } from './types';

/** Token kinds. */
export const T_NAME = 1;
export const T_KEYWORD = 2;
export const T_NUMBER = 3;
export const T_STRING = 4;
export const T_OP = 5;
/** End of a logical line (only emitted outside brackets, like Python's NEWLINE). */
export const T_NEWLINE = 6;
/** Start of an f-string (prefix and quote); the code of its replacement fields follows as tokens. */
export const T_FSTART = 7;
/** Closing quote of an f-string. */
export const T_FEND = 8;

/** Operator codes: single characters use their char code; these are the multi-character ones. */
export const OP_EQEQ = 300;
export const OP_NOTEQ = 301;
export const OP_LE = 302;
export const OP_GE = 303;
export const OP_WALRUS = 304;
export const OP_ARROW = 305;
export const OP_POW = 306;
export const OP_FLOORDIV = 307;
export const OP_SHL = 308;
export const OP_SHR = 309;
export const OP_AUGASSIGN = 310;
export const OP_UNKNOWN = 399;

const DOT = 46;
const LPAR = 40;
const RPAR = 41;
const LSQB = 91;
const RSQB = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * The token stream of a Python source text, as Python's own tokenizer sees it (PEP 701 f-strings with
 * nested quotes, line continuations, implicit logical lines inside brackets). Comments and string
 * literals are recognised here rather than from the syntax tree because a whole-tree walk through
 * web-tree-sitter costs more than this entire pass.
 */
export interface PythonTokens {
  count: number;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** Operator code for T_OP tokens; 1 for T_NAME tokens with non-ASCII characters. */
  op: Int32Array;
  /** For brackets: the index of the matching bracket token, or -1. */
  match: Int32Array;
  /** Number of brackets enclosing the token (a bracket counts as outside itself). */
  depth: Int32Array;
  /** Index of the innermost open bracket enclosing the token, or -1. */
  parent: Int32Array;
  /**
   * For T_NAME and T_KEYWORD: the NFKC-normalised identifier; '' for other tokens and for names after a
   * `.` (read those with tokenName).
   */
  names: string[];
  text: string;
  comments: Span[];
  /** String literal spans; for f-strings, only the literal parts. */
  strings: Span[];
}

const IDENTIFIER = /[\p{ID_Start}_][\p{ID_Continue}\u00B7\u0387\u1369-\u1371\u19DA\u200C\u200D]*/uy;
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);

const M_FSTRING = 1;
const M_INTERP = 2;
const M_SPEC = 3;

interface Mode {
  type: number;
  /** M_FSTRING: quote char code; triple-quoted; raw. */
  quote: number;
  triple: boolean;
  raw: boolean;
  /** Where the current literal part began (M_FSTRING, M_SPEC). */
  partStart: number;
  /** M_INTERP: the length of the bracket stack just after its `{` was pushed. */
  depth: number;
}

function isIdentAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The normalised name of a T_NAME or T_KEYWORD token. */
export function tokenName(t: PythonTokens, i: number): string {
  let name = t.names[i];
  if (name === '' && (t.kind[i] === T_NAME || t.kind[i] === T_KEYWORD)) {
    name = t.text.slice(t.start[i], t.end[i]);
    if (!/^[\x00-\x7f]*$/.test(name)) name = name.normalize('NFKC');
    t.names[i] = name;
  }
  return name;
}

export function lexPython(text: string): PythonTokens {
  const n = text.length;
  let cap = Math.max(64, Math.ceil(n / 6));
  let kind = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let op = new Int32Array(cap);
  let match = new Int32Array(cap);
  let depth = new Int32Array(cap);
  let parent = new Int32Array(cap);
  // Preallocated: pushing tens of thousands of strings costs twice as much (V8 keeps arrays above ~100k
  // elements in dictionary mode, so big texts fall back to growing).
  const names: string[] = cap <= 90000 ? new Array<string>(cap) : [];
  const comments: Span[] = [];
  const strings: Span[] = [];
  let count = 0;
  const brackets: number[] = [];
  const modes: Mode[] = [];
  let lineHasTokens = false;

  function grow(): void {
    cap *= 2;
    const k = new Uint8Array(cap);
    k.set(kind);
    kind = k;
    const s = new Int32Array(cap);
    s.set(start);
    start = s;
    const e = new Int32Array(cap);
    e.set(end);
    end = e;
    const o = new Int32Array(cap);
    o.set(op);
    op = o;
    const m = new Int32Array(cap);
    m.set(match);
    match = m;
    const d = new Int32Array(cap);
    d.set(depth);
    depth = d;
    const pa = new Int32Array(cap);
    pa.set(parent);
    parent = pa;
  }

  function emit(k: number, s: number, e: number, code: number, name: string): number {
    if (count === cap) grow();
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    op[count] = code;
    match[count] = -1;
    depth[count] = brackets.length;
    parent[count] = brackets.length > 0 ? brackets[brackets.length - 1] : -1;
    names[count] = name;
    if (k !== T_NEWLINE) lineHasTokens = true;
    return count++;
  }

  function openBracket(s: number, code: number): void {
    brackets.push(emit(T_OP, s, s + 1, code, ''));
  }

  function closeBracket(s: number, code: number): void {
    const t = emit(T_OP, s, s + 1, code, '');
    const want = code === RPAR ? LPAR : code === RSQB ? LSQB : LBRACE;
    // Unbalanced input: pair with the nearest opener of the same shape and drop what lies between.
    for (let i = brackets.length - 1; i >= 0; i--) {
      const inner =
        modes.length > 0 && modes[modes.length - 1].type === M_INTERP ? modes[modes.length - 1].depth : 0;
      if (i < inner) break;
      if (op[brackets[i]] === want) {
        match[brackets[i]] = t;
        match[t] = brackets[i];
        brackets.length = i;
        depth[t] = i;
        parent[t] = i > 0 ? brackets[i - 1] : -1;
        return;
      }
    }
  }

  /** Scans a plain (not f-) string body from `pos` (just after the opening quote); returns the end. */
  function scanString(pos: number, quote: number, triple: boolean): number {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        pos += pos + 1 < n && text.charCodeAt(pos + 1) === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 2;
        continue;
      }
      if (c === quote) {
        if (!triple) return pos + 1;
        if (text.charCodeAt(pos + 1) === quote && text.charCodeAt(pos + 2) === quote) return pos + 3;
      } else if (!triple && (c === 10 || c === 13)) {
        return pos; // unterminated: Python stops at the end of the line
      }
      pos++;
    }
    return n;
  }

  /**
   * Scans literal text of an f-string (or of a format spec inside one) from `pos`. Returns the position
   * of the character that ends the literal run: a closing quote, a `{` or `}` that is not doubled, or a
   * newline in a single-quoted string.
   */
  function scanFLiteral(pos: number, m: Mode, inSpec: boolean): number {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 92) {
        if (!m.raw && text.charCodeAt(pos + 1) === 78 && text.charCodeAt(pos + 2) === LBRACE) {
          const close = text.indexOf('}', pos + 3);
          pos = close < 0 ? n : close + 1; // \N{NAME} escape: its braces are not a field
          continue;
        }
        const next = text.charCodeAt(pos + 1);
        if (next === LBRACE || next === RBRACE) {
          pos++;
          continue;
        }
        pos += pos + 1 < n && next === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 2;
        continue;
      }
      if (c === LBRACE || c === RBRACE) {
        if (!inSpec && text.charCodeAt(pos + 1) === c) {
          pos += 2;
          continue;
        }
        return pos;
      }
      if (c === m.quote) {
        if (!m.triple) return pos;
        if (text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === c) return pos;
      } else if (!m.triple && (c === 10 || c === 13)) {
        return pos;
      }
      pos++;
    }
    return n;
  }

  function pushPart(s: number, e: number): void {
    if (e > s) strings.push({ start: s, end: e });
  }

  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < n) {
    const top = modes.length > 0 ? modes[modes.length - 1] : undefined;

    if (top !== undefined && top.type === M_FSTRING) {
      const stop = scanFLiteral(pos, top, false);
      const c = stop < n ? text.charCodeAt(stop) : -1;
      if (c === LBRACE) {
        pushPart(top.partStart, stop);
        openBracket(stop, LBRACE);
        modes.push({
          type: M_INTERP,
          quote: 0,
          triple: false,
          raw: false,
          partStart: 0,
          depth: brackets.length,
        });
        pos = stop + 1;
      } else if (c === RBRACE) {
        pos = stop + 1; // a lone `}` is an error in Python; keep it in the literal
      } else if (c === top.quote) {
        const e = stop + (top.triple ? 3 : 1);
        pushPart(top.partStart, e);
        emit(T_FEND, stop, e, 0, '');
        modes.pop();
        pos = e;
      } else {
        pushPart(top.partStart, stop); // unterminated
        modes.pop();
        pos = stop;
      }
      continue;
    }

    if (top !== undefined && top.type === M_SPEC) {
      const fstr = modes[modes.length - 3];
      const stop = scanFLiteral(pos, fstr, true);
      const c = stop < n ? text.charCodeAt(stop) : -1;
      pushPart(top.partStart, stop);
      modes.pop();
      if (c === LBRACE) {
        top.partStart = stop + 1;
        modes.push(top);
        openBracket(stop, LBRACE);
        modes.push({
          type: M_INTERP,
          quote: 0,
          triple: false,
          raw: false,
          partStart: 0,
          depth: brackets.length,
        });
        pos = stop + 1;
      } else {
        pos = stop; // `}` closes the field in code mode below; a quote or newline ends the f-string
        if (c !== RBRACE) {
          const interp = modes.pop() as Mode;
          brackets.length = Math.min(brackets.length, interp.depth - 1);
        }
      }
      continue;
    }

    const c = text.charCodeAt(pos);

    if (c === 32 || c === 9 || c === 12) {
      pos++;
      while (pos < n) {
        const w = text.charCodeAt(pos);
        if (w !== 32 && w !== 9 && w !== 12) break;
        pos++;
      }
      continue;
    }
    if (c === 10 || c === 13) {
      if (brackets.length === 0 && lineHasTokens) {
        emit(T_NEWLINE, pos, pos + 1, 0, '');
        lineHasTokens = false;
      }
      pos++;
      continue;
    }
    if (c === 35) {
      let e = pos + 1;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d === 10 || d === 13) break;
        e++;
      }
      comments.push({ start: pos, end: e });
      pos = e;
      continue;
    }
    if (c === 92) {
      const d = text.charCodeAt(pos + 1);
      if (d === 10) pos += 2;
      else if (d === 13) pos += text.charCodeAt(pos + 2) === 10 ? 3 : 2;
      else {
        emit(T_OP, pos, pos + 1, OP_UNKNOWN, '');
        pos++;
      }
      continue;
    }

    // Identifiers, keywords and string prefixes.
    if (isIdentAscii(c) && !isDigit(c)) {
      let e = pos + 1;
      while (e < n && isIdentAscii(text.charCodeAt(e))) e++;
      let ascii = true;
      if (e < n && text.charCodeAt(e) >= 0x80) {
        IDENTIFIER.lastIndex = pos;
        const m = IDENTIFIER.exec(text);
        if (m && pos + m[0].length > e) {
          e = pos + m[0].length;
          ascii = false;
        }
      }
      const q = e < n ? text.charCodeAt(e) : -1;
      if ((q === 34 || q === 39) && e - pos <= 2 && STRING_PREFIXES.has(text.slice(pos, e).toLowerCase())) {
        pos = lexStringAt(pos, e);
        continue;
      }
      emitName(pos, e, ascii);
      pos = e;
      continue;
    }
    if (c >= 0x80) {
      IDENTIFIER.lastIndex = pos;
      const m = IDENTIFIER.exec(text);
      if (m) {
        emitName(pos, pos + m[0].length, false);
        pos += m[0].length;
      } else {
        const w = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        emit(T_OP, pos, pos + w, OP_UNKNOWN, '');
        pos += w;
      }
      continue;
    }
    if (c === 34 || c === 39) {
      pos = lexStringAt(pos, pos);
      continue;
    }
    if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(pos + 1)))) {
      const e = scanNumber(pos);
      emit(T_NUMBER, pos, e, 0, '');
      pos = e;
      continue;
    }

    // Operators and delimiters.
    const interp =
      top !== undefined && top.type === M_INTERP && brackets.length === top.depth ? top : undefined;
    if (interp !== undefined) {
      if (c === RBRACE) {
        const t = emit(T_OP, pos, pos + 1, RBRACE, '');
        const open = brackets[interp.depth - 1];
        match[open] = t;
        match[t] = open;
        brackets.length = interp.depth - 1;
        depth[t] = brackets.length;
        parent[t] = brackets.length > 0 ? brackets[brackets.length - 1] : -1;
        modes.pop();
        const fstr = modes[modes.length - 1];
        fstr.partStart = pos + 1;
        pos++;
        continue;
      }
      if (c === 58 /* : */) {
        emit(T_OP, pos, pos + 1, 58, '');
        modes.push({ type: M_SPEC, quote: 0, triple: false, raw: false, partStart: pos + 1, depth: 0 });
        pos++;
        continue;
      }
      if (c === 33 /* ! */ && text.charCodeAt(pos + 1) !== 61) {
        // Conversion `!r`: the letter is not a name.
        emit(T_OP, pos, pos + 1, 33, '');
        pos++;
        while (pos < n && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) pos++;
        while (pos < n && isIdentAscii(text.charCodeAt(pos))) pos++;
        continue;
      }
    }
    if (c === LPAR || c === LSQB || c === LBRACE) {
      openBracket(pos, c);
      pos++;
      continue;
    }
    if (c === RPAR || c === RSQB || c === RBRACE) {
      closeBracket(pos, c);
      pos++;
      continue;
    }
    const c1 = text.charCodeAt(pos + 1);
    const c2 = text.charCodeAt(pos + 2);
    let code = c;
    let len = 1;
    if (c1 === 61 /* = */ && (c === 42 || c === 47 || c === 60 || c === 62) && c2 !== 61) {
      code = c === 60 ? OP_LE : c === 62 ? OP_GE : OP_AUGASSIGN;
      len = 2;
      if (c === 42 || c === 47) code = OP_AUGASSIGN;
    } else if ((c === 42 || c === 47 || c === 60 || c === 62) && c1 === c) {
      len = 2;
      code = c === 42 ? OP_POW : c === 47 ? OP_FLOORDIV : c === 60 ? OP_SHL : OP_SHR;
      if (c2 === 61) {
        len = 3;
        code = OP_AUGASSIGN;
      }
    } else if (c1 === 61) {
      if (c === 61) {
        code = OP_EQEQ;
        len = 2;
      } else if (c === 33) {
        code = OP_NOTEQ;
        len = 2;
      } else if (c === 58) {
        code = OP_WALRUS;
        len = 2;
      } else if (c === 43 || c === 45 || c === 37 || c === 38 || c === 124 || c === 94 || c === 64) {
        code = OP_AUGASSIGN;
        len = 2;
      }
    } else if (c === 45 && c1 === 62) {
      code = OP_ARROW;
      len = 2;
    } else if (c === 60 && c1 === 62) {
      code = OP_NOTEQ;
      len = 2;
    } else if (!(
      c === 61 ||
      c === DOT ||
      c === 44 ||
      c === 58 ||
      c === 59 ||
      c === 43 ||
      c === 45 ||
      c === 42 ||
      c === 47 ||
      c === 37 ||
      c === 38 ||
      c === 124 ||
      c === 94 ||
      c === 126 ||
      c === 60 ||
      c === 62 ||
      c === 64 ||
      c === 33
    )) {
      code = OP_UNKNOWN;
    }
    emit(T_OP, pos, pos + len, code, '');
    pos += len;
  }
  // Unterminated f-strings at the end of the text.
  for (let i = modes.length - 1; i >= 0; i--) {
    if (modes[i].type === M_FSTRING || modes[i].type === M_SPEC) pushPart(modes[i].partStart, n);
  }
  if (lineHasTokens) emit(T_NEWLINE, n, n, 0, '');
  for (let i = 1; i < strings.length; i++) {
    if (strings[i].start < strings[i - 1].start) {
      strings.sort((a, b) => a.start - b.start);
      break;
    }
  }

  return {
    count,
    kind: kind.subarray(0, count),
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    op: op.subarray(0, count),
    match: match.subarray(0, count),
    depth: depth.subarray(0, count),
    parent: parent.subarray(0, count),
    names,
    text,
    comments,
    strings,
  };

  function emitName(s: number, e: number, ascii: boolean): void {
    if (
      count > 0 &&
      kind[count - 1] === T_OP &&
      op[count - 1] === DOT &&
      !(e - s === 6 && text.startsWith('import', s))
    ) {
      // An attribute name (`from . import x` aside, never a keyword); tokenName() reads it on demand.
      emit(T_NAME, s, e, ascii ? 0 : 1, '');
      return;
    }
    const raw = text.slice(s, e);
    if (!ascii) {
      emit(T_NAME, s, e, 1, raw.normalize('NFKC'));
      return;
    }
    // Keywords are ASCII, 2 to 8 characters, and start with a lower-case letter or F, N, T.
    const c0 = raw.charCodeAt(0);
    const keyword =
      e - s >= 2 &&
      e - s <= 8 &&
      (c0 >= 97 || c0 === 70 || c0 === 78 || c0 === 84) &&
      PYTHON_KEYWORDS.has(raw);
    emit(keyword ? T_KEYWORD : T_NAME, s, e, 0, raw);
  }

  /** Lexes a string literal whose prefix is text[s, q) and whose opening quote is at q. */
  function lexStringAt(s: number, q: number): number {
    const prefix = text.slice(s, q).toLowerCase();
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    const bodyStart = q + (triple ? 3 : 1);
    if (prefix.includes('f') || prefix.includes('t')) {
      emit(T_FSTART, s, bodyStart, 0, '');
      modes.push({ type: M_FSTRING, quote, triple, raw: prefix.includes('r'), partStart: s, depth: 0 });
      return bodyStart;
    }
    const e = scanString(bodyStart, quote, triple);
    strings.push({ start: s, end: e });
    emit(T_STRING, s, e, 0, '');
    return e;
  }

  function scanNumber(p: number): number {
    const c = text.charCodeAt(p);
    const c1 = text.charCodeAt(p + 1) | 0x20;
    if (c === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      p += 2;
      while (p < n) {
        const d = text.charCodeAt(p);
        if (isDigit(d) || d === 95 || ((d | 0x20) >= 97 && (d | 0x20) <= 102)) p++;
        else break;
      }
      return p;
    }
    while (p < n && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 95)) p++;
    if (text.charCodeAt(p) === DOT) {
      p++;
      while (p < n && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 95)) p++;
    }
    if ((text.charCodeAt(p) | 0x20) === 101) {
      const s = text.charCodeAt(p + 1);
      const q = s === 43 || s === 45 ? p + 2 : p + 1;
      if (isDigit(text.charCodeAt(q))) {
        p = q;
        while (p < n && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 95)) p++;
      }
    }
    if ((text.charCodeAt(p) | 0x20) === 106) p++;
    return p;
  }
}
