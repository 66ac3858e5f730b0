import { MAX_STRING, type Value } from './pythonValues';

/** `str(v)` for constant values; undefined when not constant (or when `repr` would differ in ways that matter). */
export function constantToStr(v: Value): string | undefined {
  if (v.k === 'str') return v.v;
  if (v.k === 'int') return String(v.v);
  return undefined;
}

/** printf-style `fmt % args` with %s, %d, %i, %c, %x, %X, %o and %%; undefined for anything else. */
export function percentFormat(fmt: string, args: Value): string | undefined {
  const list = args.k === 'seq' ? args.items : [args];
  let out = '';
  let next = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = fmt[++i];
    if (spec === '%') {
      out += '%';
      continue;
    }
    const arg = list[next++];
    if (arg === undefined) return undefined;
    let piece: string | undefined;
    if (spec === 's') piece = constantToStr(arg);
    else if (spec === 'd' || spec === 'i') piece = arg.k === 'int' ? String(arg.v) : undefined;
    else if (spec === 'c')
      piece = arg.k === 'int' ? safeChr(arg.v) : arg.k === 'str' && arg.v.length === 1 ? arg.v : undefined;
    else if (spec === 'x' || spec === 'X' || spec === 'o') {
      piece = arg.k === 'int' && arg.v >= 0 ? arg.v.toString(spec === 'o' ? 8 : 16) : undefined;
      if (piece !== undefined && spec === 'X') piece = piece.toUpperCase();
    }
    if (piece === undefined) return undefined;
    out += piece;
    if (out.length > MAX_STRING) return undefined;
  }
  return next === list.length ? out : undefined;
}

/** `fmt.format(*args, **kwargs)` for `{}`, `{0}`, `{name}` and `{{`/`}}`, with no conversions or specs. */
export function braceFormat(fmt: string, args: Value[], kwargs: Map<string, Value>): string | undefined {
  let out = '';
  let auto = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if ((c === '{' || c === '}') && fmt[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c === '}') return undefined;
    if (c !== '{') {
      out += c;
      continue;
    }
    const close = fmt.indexOf('}', i);
    if (close < 0) return undefined;
    const field = fmt.slice(i + 1, close);
    let arg: Value | undefined;
    if (field === '') arg = args[auto++];
    else if (/^\d+$/.test(field)) arg = args[Number(field)];
    else if (/^[A-Za-z_]\w*$/.test(field)) arg = kwargs.get(field);
    const piece = arg && constantToStr(arg);
    if (piece === undefined) return undefined;
    out += piece;
    if (out.length > MAX_STRING) return undefined;
    i = close;
  }
  return out;
}

export function safeChr(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** Python slice semantics `s[start:stop:step]` over code points. */
export function sliceSequence<T>(
  items: T[],
  start: number | undefined,
  stop: number | undefined,
  step: number | undefined,
): T[] | undefined {
  const len = items.length;
  const st = step ?? 1;
  if (st === 0 || !Number.isInteger(st)) return undefined;
  const norm = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    let x = v < 0 ? v + len : v;
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    return x;
  };
  const out: T[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, len);
    const b = norm(stop, len, 0, len);
    for (let i = a; i < b; i += st) out.push(items[i]);
  } else {
    const a = norm(start, len - 1, -1, len - 1);
    const b = norm(stop, -1, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(items[i]);
  }
  return out;
}
