import { languageInfo } from '../core/languages/registry';

/** Replace [start, end) with `text` (offsets into the document's text). */
export interface TextInsertion {
  start: number;
  end: number;
  text: string;
}

/** What the character at an offset belongs to; `code` when unknown (no syntax tree). */
export type RegionKind = 'code' | 'string' | 'comment';
export type RegionOracle = (offset: number) => RegionKind;

interface CommentStyle {
  line?: string;
  block?: [string, string];
}

const LINE_COMMENTS: Record<string, string> = {
  jsonc: '//',
  csharp: '//',
  rust: '//',
  kotlin: '//',
  swift: '//',
  scala: '//',
  php: '//',
  dart: '//',
  groovy: '//',
  'objective-c': '//',
  'objective-cpp': '//',
  zig: '//',
  fsharp: '//',
  scss: '//',
  less: '//',
  perl: '#',
  yaml: '#',
  toml: '#',
  dockerfile: '#',
  makefile: '#',
  powershell: '#',
  julia: '#',
  elixir: '#',
  coffeescript: '#',
  nim: '#',
  crystal: '#',
  raku: '#',
  properties: '#',
  ini: ';',
  sql: '--',
  lua: '--',
  haskell: '--',
  elm: '--',
  ada: '--',
  latex: '%',
  tex: '%',
  matlab: '%',
  erlang: '%',
  clojure: ';',
  lisp: ';',
  scheme: ';',
  bat: 'REM',
  vb: "'",
  plaintext: '#',
};

const BLOCK_ONLY: Record<string, [string, string]> = {
  css: ['/*', '*/'],
  html: ['<!--', '-->'],
  xml: ['<!--', '-->'],
  markdown: ['<!--', '-->'],
  svg: ['<!--', '-->'],
  vue: ['<!--', '-->'],
};

/** Languages that cannot hold a comment at all: no suppression action is offered. */
const NO_COMMENTS = new Set(['json']);

export function commentStyle(languageId: string): CommentStyle | undefined {
  const id = languageId.toLowerCase();
  if (NO_COMMENTS.has(id)) return undefined;
  if (BLOCK_ONLY[id]) return { block: BLOCK_ONLY[id] };
  const line = languageInfo(id)?.lineComment ?? LINE_COMMENTS[id] ?? '#';
  return { line, block: line === '//' ? ['/*', '*/'] : undefined };
}

function comment(style: CommentStyle, body: string, preferBlock = false): string {
  if (style.line && !preferBlock) return `${style.line} ${body}`;
  const [open, close] = style.block ?? ['#', ''];
  return `${open} ${body} ${close}`.trimEnd();
}

/** `\n`-based line bounds, as the engine counts lines for suppressions. */
function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

/**
 * An existing directive of this kind between [from, to): the offset of its `]` and its ids. Directives
 * that are not in a comment (inside a string) do not count, as the engine ignores them too.
 */
function findDirective(
  text: string,
  from: number,
  to: number,
  kind: '' | '-file' | '-next-line',
  regionAt: RegionOracle,
): { close: number; ids: string[] } | undefined {
  const re = /sandbox-guard:\s*ignore(-file|-next-line)?\b(?:\[([^\]\n]*)\])?/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    if ((m[1] ?? '') !== kind || regionAt(m.index) === 'string') continue;
    const ids =
      m[2] === undefined
        ? ['*']
        : m[2]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    return { close: m[2] === undefined ? -1 : m.index + m[0].length - 1, ids };
  }
  return undefined;
}

/** Adds `ruleId` to an existing directive; undefined when it already covers the rule. */
function extend(
  text: string,
  d: { close: number; ids: string[] },
  ruleId: string,
): TextInsertion | undefined {
  if (d.ids.includes('*') || d.ids.includes(ruleId) || d.close < 0) return undefined;
  const inside = text.slice(text.lastIndexOf('[', d.close) + 1, d.close);
  const sep = inside.trim() === '' ? '' : inside.endsWith(' ') ? ',' : ', ';
  const insert = inside.trim() === '' ? ruleId : `${sep}${ruleId}`;
  return { start: d.close, end: d.close, text: insert };
}

function endsWithContinuation(lineText: string): boolean {
  return /\\\s*$/.test(lineText);
}

/**
 * "Ignore for this line": a `sandbox-guard: ignore[rule]` comment on the finding's line. In order:
 * extend a directive already on that line (or an `ignore-next-line` on the line above); append a comment at
 * the end of the line; when the line ends inside a string or a block comment or continues with `\`, put an
 * `ignore-next-line` comment on its own line above; failing that (C-like languages), a block comment just
 * before the finding.
 */
export function ignoreLineEdit(
  text: string,
  languageId: string,
  findingStart: number,
  ruleId: string,
  regionAt: RegionOracle,
): TextInsertion | undefined {
  const style = commentStyle(languageId);
  if (!style) return undefined;
  const line = lineBounds(text, findingStart);
  const same = findDirective(text, line.start, line.end, '', regionAt);
  if (same) return extend(text, same, ruleId);
  const prev = line.start > 0 ? lineBounds(text, line.start - 1) : undefined;
  const above = prev && findDirective(text, prev.start, prev.end, '-next-line', regionAt);
  if (above) return extend(text, above, ruleId);

  const lineText = text.slice(line.start, line.end);
  const eolIsCode = line.end >= text.length || regionAt(line.end) === 'code';
  if (eolIsCode && !endsWithContinuation(lineText)) {
    const pad = lineText.trim() === '' ? '' : /\s$/.test(lineText) ? ' ' : '  ';
    return {
      start: line.end,
      end: line.end,
      text: `${pad}${comment(style, `sandbox-guard: ignore[${ruleId}]`)}`,
    };
  }
  const aboveIsCode =
    !prev || (regionAt(line.start - 1) === 'code' && !endsWithContinuation(text.slice(prev.start, prev.end)));
  if (aboveIsCode) {
    const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
    const eol = prev && text[line.start - 2] === '\r' ? '\r\n' : '\n';
    const body = comment(style, `sandbox-guard: ignore-next-line[${ruleId}]`);
    return { start: line.start, end: line.start, text: `${indent}${body}${eol}` };
  }
  if (style.block) {
    return {
      start: findingStart,
      end: findingStart,
      text: `${comment(style, `sandbox-guard: ignore[${ruleId}]`, true)} `,
    };
  }
  return undefined;
}

const CODING_LINE = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;

/**
 * "Ignore for this file": extends an existing `ignore-file[...]` directive, else inserts one at the top,
 * after a shebang line and a PEP 263 encoding line (which must stay on line 1 or 2).
 */
export function ignoreFileEdit(
  text: string,
  languageId: string,
  ruleId: string,
  regionAt: RegionOracle,
): TextInsertion | undefined {
  const style = commentStyle(languageId);
  if (!style) return undefined;
  const existing = findDirective(text, 0, text.length, '-file', regionAt);
  if (existing) return extend(text, existing, ruleId);
  let at = 0;
  for (let line = 0; line < 2 && at < text.length; line++) {
    const b = lineBounds(text, at);
    const lineText = text.slice(b.start, b.end);
    const skip =
      (line === 0 && lineText.startsWith('#!')) || (style.line === '#' && CODING_LINE.test(lineText));
    if (!skip) break;
    const next = text.indexOf('\n', b.start);
    at = next === -1 ? text.length : next + 1;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = comment(style, `sandbox-guard: ignore-file[${ruleId}]`);
  if (at >= text.length && text.length > 0 && !text.endsWith('\n')) {
    return { start: text.length, end: text.length, text: `${eol}${body}${eol}` };
  }
  return { start: at, end: at, text: `${body}${eol}` };
}
