import { RE2JS } from 're2js';

/**
 * Policy patterns are written in Python `re` syntax (llm-sandbox's format) but evaluated with RE2 (re2js), whose
 * matching time is linear in the input: a policy is user input, and a backtracking engine would let one hostile
 * pattern hang the language server. This translates the Python spellings RE2 spells differently and rejects, with a
 * clear reason, the few Python features that need backtracking (lookaround, backreferences).
 */
export type CompiledPattern = { ok: true; regex: RE2JS } | { ok: false; error: string; offset: number };

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^\(\?[=!]/, 'lookahead'],
  [/^\(\?<[=!]/, 'lookbehind'],
  [/^\(\?P=/, 'named backreferences'],
  [/^\(\?>/, 'atomic groups'],
  [/^\(\?\(/, 'conditional groups'],
  [/^\\[1-9]/, 'backreferences'],
];

function translate(src: string): { out: string } | { error: string; offset: number } {
  let out = '';
  let inClass = false;
  // Without MULTILINE, Python's `$` matches at the end and also just before a final newline; RE2's `$` only
  // at the very end. (A pattern that turns on (?m) gets per-line `$` in both.)
  const multiline = /\(\?[aiLsux]*m[aiLmsux]*[):]/.test(src);
  for (let i = 0; i < src.length; i++) {
    const rest = src.slice(i, i + 4);
    const c = src[i];
    if (!inClass) {
      for (const [re, what] of UNSUPPORTED) {
        if (re.test(rest)) {
          return {
            error: `unsupported syntax (${what}): patterns run on a linear-time engine (RE2 syntax) so that no pattern can hang the checker; rewrite the pattern without it`,
            offset: i,
          };
        }
      }
    }
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return { error: 'pattern ends with a lone backslash', offset: i };
      if (n === 'Z') {
        out += '\\z'; // Python's \Z is end of text, which RE2 spells \z.
      } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += `\\x{${src.slice(i + 2, i + 6)}}`;
        i += 4;
      } else if (n === 'U' && /^[0-9a-fA-F]{8}$/.test(src.slice(i + 2, i + 10))) {
        out += `\\x{${src.slice(i + 2, i + 10)}}`;
        i += 8;
      } else {
        out += c + n;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?:\\n?\\z)';
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` (or `^]`) right after the opening bracket is a literal in both dialects.
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i];
      continue;
    }
    if (c === '{' && src[i + 1] === ',' && /^\{,\d+\}/.test(src.slice(i))) {
      out += '{0'; // Python's {,n} means {0,n}; RE2 would read it as a literal.
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      // Inline global flags `(?aiLmsux)`: RE2 knows i, m, s, U; `a`, `u` and `L` only change character classes.
      const flags = /^\(\?([aiLmsux]+)(\)|:)/.exec(src.slice(i));
      if (flags) {
        if (flags[1].includes('x')) {
          return {
            error: 'verbose mode (?x) is not supported; remove it and the layout whitespace',
            offset: i,
          };
        }
        const kept = flags[1].replace(/[auL]/g, '');
        out += kept ? `(?${kept}${flags[2]}` : flags[2] === ':' ? '(?:' : '';
        i += flags[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { out };
}

const cache = new Map<string, CompiledPattern>();

/** Compiles (and caches: the same policy is applied on every keystroke) a Python-syntax pattern. */
export function compilePythonPattern(pattern: string): CompiledPattern {
  let c = cache.get(pattern);
  if (!c) {
    if (cache.size > 2000) cache.clear();
    c = compileUncached(pattern);
    cache.set(pattern, c);
  }
  return c;
}

function compileUncached(pattern: string): CompiledPattern {
  if (pattern.length > 10_000)
    return { ok: false, error: 'pattern is longer than 10 000 characters', offset: 0 };
  const t = translate(pattern);
  if ('error' in t) return { ok: false, error: t.error, offset: t.offset };
  try {
    return { ok: true, regex: RE2JS.compile(t.out) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, error: msg.replace(/^error parsing regexp: /, ''), offset: 0 };
  }
}
