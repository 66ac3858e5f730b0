import { KEYWORDS_BEFORE_EXPRESSION } from './javascriptConstants';
import type { Span } from './types';

/**
 * Answers the two questions a JavaScript lexer cannot answer alone, from the syntax tree: whether a `/`
 * starts a regex literal and whether a `<` starts a JSX element.
 */
export interface LexOracle {
  /** End of the regex literal starting at `pos`, or -1 when the `/` there is not one. */
  regexEnd(pos: number): number;
  /** End of the JSX element (or fragment) starting at `pos`, or -1 when the `<` there does not start one. */
  jsxEnd(pos: number): number;
}

export interface LexResult {
  /** Comments, in text order. */
  comments: Span[];
  /** String literals, literal parts of templates, regex literals, JSX text and JSX attribute strings, in order. */
  strings: Span[];
}

const enum Closer {
  None,
  Template,
  Jsx,
}

interface CodeFrame {
  jsx: false;
  depth: number;
  closer: Closer;
}

interface JsxFrame {
  jsx: true;
  end: number;
  open: number;
  inTag: boolean;
  closing: boolean;
}

type Frame = CodeFrame | JsxFrame;

// Code is scanned by jumping between the only characters that can change the lexical state. Braces matter
// only inside `${...}` and JSX `{...}`, `<` only for grammars with JSX.
const CODE = /["'`/]/g;
const CODE_JSX = /["'`/<]/g;
const CODE_BRACES = /["'`/{}]/g;
const CODE_BRACES_JSX = /["'`/{}<]/g;
const LINE_END = /[\n\r\u2028\u2029]/g;
const DOUBLE_QUOTED = /["\\\n\r]/g;
const SINGLE_QUOTED = /['\\\n\r]/g;
const TEMPLATE_PART = /[`\\$]/g;
const JSX_CHILD = /[<{]/g;
const JSX_TAG = /[>/"'{]/g;
const NON_SPACE = /\S/;

/**
 * Finds comments and string-like literals in JavaScript, TypeScript and JSX source in one pass over the text
 * (walking every syntax node through web-tree-sitter costs several times more). The tree settles the
 * ambiguous `/` and `<`. Never throws; unterminated literals end at the end of the line (strings) or text.
 */
export function lexJavaScript(text: string, oracle: LexOracle, jsx: boolean): LexResult {
  const comments: Span[] = [];
  const strings: Span[] = [];
  const n = text.length;
  const stack: Frame[] = [{ jsx: false, depth: 0, closer: Closer.None }];
  /** End of the last literal (string, template, regex, JSX): a `/` right after one is a division. */
  let lastLiteralEnd = -1;
  let pos = 0;
  if (text.startsWith('#!')) pos = lineComment(0);

  function lineComment(p: number): number {
    const at = next(LINE_END, text, p);
    const end = at >= 0 ? at : n;
    comments.push({ start: p, end });
    return end;
  }

  function blockComment(p: number): number {
    const close = text.indexOf('*/', p + 2);
    const end = close < 0 ? n : close + 2;
    comments.push({ start: p, end });
    return end;
  }

  function quoted(p: number, re: RegExp): number {
    let i = p + 1;
    for (;;) {
      const at = next(re, text, i);
      if (at < 0) {
        i = n;
        break;
      }
      const c = text.charCodeAt(at);
      if (c === 92 /* \ */) {
        i = at + (text.charCodeAt(at + 1) === 13 && text.charCodeAt(at + 2) === 10 ? 3 : 2);
        continue;
      }
      i = c === 10 || c === 13 ? at : at + 1;
      break;
    }
    i = Math.min(i, n);
    strings.push({ start: p, end: i });
    lastLiteralEnd = i;
    return i;
  }

  /** Scans a template from `from` (inside it); `partStart` is where the current literal part began. */
  function template(partStart: number, from: number): number {
    let i = from;
    for (;;) {
      const at = next(TEMPLATE_PART, text, i);
      if (at < 0) {
        strings.push({ start: partStart, end: n });
        lastLiteralEnd = n;
        return n;
      }
      const c = text.charCodeAt(at);
      if (c === 92) {
        i = at + 2;
        continue;
      }
      if (c === 36 /* $ */) {
        if (text.charCodeAt(at + 1) !== 123 /* { */) {
          i = at + 1;
          continue;
        }
        if (at > partStart) strings.push({ start: partStart, end: at });
        stack.push({ jsx: false, depth: 0, closer: Closer.Template });
        return at + 2;
      }
      strings.push({ start: partStart, end: at + 1 });
      lastLiteralEnd = at + 1;
      return at + 1;
    }
  }

  /**
   * Whether the token before `p` ends an operand (so `/` divides and `<` compares), starts an expression, or
   * is ambiguous (`)`, `}`, keywords), judged from the previous significant character.
   */
  function before(p: number): 'operand' | 'expression' | 'ambiguous' | 'paren' {
    let i = p - 1;
    let k = comments.length - 1;
    for (;;) {
      while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
      if (k >= 0 && comments[k].end === i + 1 && i >= 0) {
        i = comments[k].start - 1;
        k--;
        continue;
      }
      break;
    }
    if (i < 0) return 'expression';
    if (i + 1 === lastLiteralEnd) return 'operand';
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      let s = i;
      while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
      const first = text.charCodeAt(s);
      if (first >= 48 && first <= 57) return 'operand';
      return KEYWORDS_BEFORE_EXPRESSION.has(text.slice(s, i + 1)) ? 'ambiguous' : 'operand';
    }
    if (c === 93 /* ] */) return 'operand';
    if (c === 41 /* ) */) return 'paren';
    if (c === 125 /* } */) return 'ambiguous';
    if ((c === 43 || c === 45) && text.charCodeAt(i - 1) === c) return 'ambiguous'; // a++ / b
    return 'expression';
  }

  function jsxStep(f: JsxFrame): void {
    if (f.inTag) {
      const p = next(JSX_TAG, text, pos);
      if (p < 0 || p >= f.end) {
        stack.pop();
        pos = Math.max(pos, f.end);
        return;
      }
      const c = text.charCodeAt(p);
      if (c === 62 /* > */) {
        if (f.closing) f.open--;
        else f.open++;
        pos = p + 1;
        if (f.open <= 0) endJsx(f);
        else f.inTag = false;
      } else if (c === 47 /* / */) {
        const next = text.charCodeAt(p + 1);
        if (next === 47) pos = lineComment(p);
        else if (next === 42) pos = blockComment(p);
        else if (next === 62) {
          pos = p + 2;
          if (f.open <= 0) endJsx(f);
          else f.inTag = false;
        } else pos = p + 1;
      } else if (c === 123) {
        stack.push({ jsx: false, depth: 0, closer: Closer.Jsx });
        pos = p + 1;
      } else {
        // Attribute strings: no escapes in JSX, and they may span lines.
        const close = text.indexOf(text[p], p + 1);
        const end = close < 0 || close >= f.end ? f.end : close + 1;
        strings.push({ start: p, end });
        pos = end;
      }
      return;
    }
    const at = next(JSX_CHILD, text, pos);
    const stop = at >= 0 && at < f.end ? at : f.end;
    if (stop > pos && NON_SPACE.test(text.slice(pos, stop))) strings.push({ start: pos, end: stop });
    if (stop >= f.end) {
      stack.pop();
      pos = f.end;
      lastLiteralEnd = pos;
      return;
    }
    if (text.charCodeAt(stop) === 123) {
      stack.push({ jsx: false, depth: 0, closer: Closer.Jsx });
      pos = stop + 1;
      return;
    }
    let q = stop + 1;
    while (q < f.end && isSpace(text.charCodeAt(q))) q++;
    f.inTag = true;
    f.closing = text.charCodeAt(q) === 47;
    pos = f.closing ? q + 1 : stop + 1;
  }

  function endJsx(f: JsxFrame): void {
    stack.pop();
    lastLiteralEnd = pos;
    if (pos < f.end) pos = f.end;
  }

  while (pos < n) {
    const top = stack[stack.length - 1];
    if (top.jsx) {
      jsxStep(top);
      continue;
    }
    // A `{...}` inside JSX that the tree says has ended (broken input) must not swallow the rest.
    if (top.closer === Closer.Jsx) {
      const owner = stack[stack.length - 2];
      if (owner?.jsx && pos >= owner.end) {
        stack.length -= 2;
        continue;
      }
    }
    const re = top.closer === Closer.None ? (jsx ? CODE_JSX : CODE) : jsx ? CODE_BRACES_JSX : CODE_BRACES;
    const p = next(re, text, pos);
    if (p < 0) break;
    switch (text.charCodeAt(p)) {
      case 34:
        pos = quoted(p, DOUBLE_QUOTED);
        break;
      case 39:
        pos = quoted(p, SINGLE_QUOTED);
        break;
      case 96:
        pos = template(p, p + 1);
        break;
      case 47: {
        const next = text.charCodeAt(p + 1);
        if (next === 47) pos = lineComment(p);
        else if (next === 42) pos = blockComment(p);
        else {
          const end = before(p) === 'operand' ? -1 : oracle.regexEnd(p);
          if (end > p) {
            strings.push({ start: p, end });
            lastLiteralEnd = end;
            pos = end;
          } else pos = p + 1;
        }
        break;
      }
      case 60: {
        const kind = before(p);
        const end = kind === 'operand' || kind === 'paren' ? -1 : oracle.jsxEnd(p);
        if (end > p) stack.push({ jsx: true, end, open: 0, inTag: true, closing: false });
        pos = p + 1;
        break;
      }
      case 123:
        top.depth++;
        pos = p + 1;
        break;
      default: // }
        pos = p + 1;
        if (top.depth > 0) top.depth--;
        else if (top.closer === Closer.Template) {
          stack.pop();
          pos = template(p + 1, p + 1);
        } else if (top.closer === Closer.Jsx) stack.pop();
    }
  }
  return { comments, strings };
}

/**
 * Index of the first character at or after `from` that `re` (a one-character class with the `g` flag)
 * matches, or -1. `test` instead of `exec`: no match array per token, which was most of the lexer's garbage.
 */
function next(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  return re.test(text) ? re.lastIndex - 1 : -1;
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 36 ||
    (c >= 0x80 && !isSpace(c))
  );
}
