import { HARMLESS_ENCODINGS } from './pythonConstants';
import type { EncodingRef } from './types';

// CPython's tokenizer test (Lib/tokenize.py cookie_re, Parser/tokenizer.c): a comment line whose text
// has `coding[:=]` followed by a name made of letters, digits, `-`, `_` and `.`.
const CODING_LINE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?$/;

/**
 * The PEP 263 declaration of the source encoding, when it names anything but UTF-8, ASCII or Latin-1
 * (an editor showing UTF-8 then shows other characters than Python runs: `# coding: utf-7` hides code in
 * `+AG8AcwA-` sequences). Python reads it on line 1, or on line 2 when line 1 is blank or a comment.
 * Unknown codec names are reported too (Python refuses them, which is just as unusual).
 */
export function findPythonEncoding(text: string): EncodingRef | undefined {
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 0; line < 2; line++) {
    let lineEnd = lineStart;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    const lineText = text.slice(lineStart, lineEnd);
    const m = CODING_LINE.exec(lineText);
    if (m) {
      const name = m[1];
      if (isHarmlessEncoding(name)) return undefined;
      const start = lineStart + m.index + m[0].length - name.length;
      return { start, end: start + name.length, encoding: name };
    }
    if (!BLANK_OR_COMMENT.test(lineText)) return undefined;
    if (lineEnd >= text.length) return undefined;
    lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
  }
  return undefined;
}

/** Mirrors CPython: tokenizer.c `get_normal_name`, then `encodings.normalize_encoding` and the alias table. */
export function isHarmlessEncoding(name: string): boolean {
  const lower = name.toLowerCase().replace(/_/g, '-');
  for (const canonical of ['utf-8', 'latin-1', 'iso-8859-1', 'iso-latin-1']) {
    if (lower === canonical || lower.startsWith(canonical + '-')) return true;
  }
  const normalized = name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return HARMLESS_ENCODINGS.has(normalized);
}
