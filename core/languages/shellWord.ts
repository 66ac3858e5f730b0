/** A shell word's value after quote removal, and where each of its characters came from in the source. */
export interface ShellWord {
  value: string;
  /**
   * `offsets[i]` is the source offset (relative to the word's text) of `value[i]`; absent when the word
   * was written without quoting, so that `value[i]` is at offset `i` (most words: not allocated).
   */
  offsets?: number[];
}

/** The offsets of a folded word, materialised. */
export function wordOffsets(word: ShellWord): number[] {
  return word.offsets ?? Array.from({ length: word.value.length }, (_, k) => k);
}

/**
 * Variable values known to be constant, by name. `null` marks a variable assigned more than once or to
 * something computed, which must not be folded.
 */
export type ShellVariables = ReadonlyMap<string, ShellWord | null>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const ANSI: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The word being built: chars and their source offsets (plain functions, no per-call closures: hot path). */
interface Acc extends ShellWord {
  offsets: number[];
}

function put(acc: Acc, s: string, at: number): void {
  acc.value += s;
  for (let k = 0; k < s.length; k++) acc.offsets.push(at);
}

/** Expands `$name` / `${name}` at `i` of `source`; returns the index after it, or -1 when not constant. */
function expand(acc: Acc, source: string, i: number, variables: ShellVariables): number {
  let name: string;
  let after: number;
  if (source[i + 1] === '{') {
    const close = source.indexOf('}', i + 2);
    if (close < 0) return -1;
    name = source.slice(i + 2, close);
    // `${X:-word}` / `${X-word}` with X never set in the file is `word` (a classic way to hide a name).
    const fallback = /^([A-Za-z_][A-Za-z0-9_]*):?-([A-Za-z0-9_./+-]*)$/.exec(name);
    if (fallback && !variables.has(fallback[1]!)) {
      put(acc, fallback[2]!, i);
      return close + 1;
    }
    if (fallback) name = fallback[1]!;
    if (NAME.exec(name)?.[0] !== name) return -1;
    after = close + 1;
  } else {
    const m = NAME.exec(source.slice(i + 1, i + 257));
    if (!m) return -1;
    name = m[0];
    after = i + 1 + name.length;
  }
  const bound = variables.get(name);
  if (!bound) return -1;
  put(acc, bound.value, i);
  return after;
}

/** A double-quoted body from `k` (after the quote); returns the index of the closing quote, or -1. */
function doubleQuoted(acc: Acc, source: string, k: number, variables: ShellVariables): number {
  for (;;) {
    const d = source[k];
    if (d === undefined) return -1;
    if (d === '"') return k;
    if (d === '\\' && '$`"\\\n'.includes(source[k + 1] ?? 'x')) {
      if (source[k + 1] !== '\n') put(acc, source[k + 1]!, k + 1);
      k += 2;
    } else if (d === '$' && (source[k + 1] === '{' || NAME.test(source[k + 1] ?? ''))) {
      k = expand(acc, source, k, variables);
      if (k < 0) return -1;
    } else if (d === '`' || (d === '$' && /[({[0-9@*#?$!-]/.test(source[k + 1] ?? ''))) {
      return -1;
    } else {
      put(acc, d, k);
      k++;
    }
  }
}

const SIMPLE = /^[A-Za-z0-9_./:@%+=,-]*$/;

/**
 * Quote removal for one shell word (`r''m`, `\rm`, `"rm"`, `$'\x72m'`, `${cmd}` with a known constant),
 * or undefined when the value depends on something computed at run time (command substitution, an
 * unknown variable, globbing) or the text is not a single word.
 */
export function foldShellWord(source: string, variables: ShellVariables): ShellWord | undefined {
  if (source.length > 100_000) return undefined;
  if (SIMPLE.test(source)) return { value: source };
  const acc: Acc = { value: '', offsets: [] };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      if (source[i + 1] === '\n') i += 2;
      else if (i + 1 < source.length) {
        put(acc, source[i + 1]!, i + 1);
        i += 2;
      } else return undefined;
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1);
      if (close < 0) return undefined;
      for (let k = i + 1; k < close; k++) put(acc, source[k]!, k);
      i = close + 1;
    } else if (c === '$' && source[i + 1] === "'") {
      const end = ansiC(acc, source, i + 2);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '"' || (c === '$' && source[i + 1] === '"')) {
      const close = doubleQuoted(acc, source, c === '"' ? i + 1 : i + 2, variables);
      if (close < 0) return undefined;
      i = close + 1;
    } else if (c === '$') {
      if (source[i + 1] === '{' || NAME.test(source[i + 1] ?? '')) {
        i = expand(acc, source, i, variables);
        if (i < 0) return undefined;
      } else if (i + 1 < source.length) {
        return undefined;
      } else {
        put(acc, '$', i);
        i++;
      }
    } else if (c === '`' || c === '*' || c === '?' || c === '[' || /\s/.test(c) || '|&;<>()'.includes(c)) {
      return undefined;
    } else {
      put(acc, c, i);
      i++;
    }
  }
  return acc;
}

function ansiC(acc: Acc, source: string, from: number): number {
  let k = from;
  for (;;) {
    const d = source[k];
    if (d === undefined) return -1;
    if (d === "'") return k + 1;
    if (d !== '\\') {
      put(acc, d, k);
      k++;
      continue;
    }
    const rest = source.slice(k + 1, k + 10);
    let m: RegExpExecArray | null;
    if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) put(acc, String.fromCharCode(parseInt(m[1]!, 16)), k);
    else if ((m = /^u([0-9a-fA-F]{1,4})/.exec(rest))) put(acc, String.fromCharCode(parseInt(m[1]!, 16)), k);
    else if ((m = /^U([0-9a-fA-F]{1,8})/.exec(rest))) {
      const cp = parseInt(m[1]!, 16);
      if (cp > 0x10ffff) return -1;
      put(acc, String.fromCodePoint(cp), k);
    } else if ((m = /^[0-7]{1,3}/.exec(rest))) put(acc, String.fromCharCode(parseInt(m[0], 8) & 0xff), k);
    else if ((m = /^c([\s\S])/.exec(rest)))
      put(acc, String.fromCharCode(m[1]!.toUpperCase().charCodeAt(0) & 0x1f), k);
    else if (rest.length > 0) {
      m = /^[\s\S]/.exec(rest)!;
      put(acc, ANSI[m[0]] ?? `\\${m[0]}`, k);
    } else return -1;
    k += 1 + m[0].length;
  }
}
