import { base64Decode, decodeBytes, hexDecode, rot13, utf8Encode } from './pythonDecoders';
import { braceFormat, constantToStr, percentFormat, safeChr } from './pythonFormat';
import { MAX_ITEMS, MAX_STRING, UNKNOWN, type Value } from './pythonValues';

/** Operations on constant values, as Python performs them, with results bounded in size. */

export function str(v: string): Value[] {
  return v.length > MAX_STRING ? [UNKNOWN] : [{ k: 'str', v }];
}

export function bytes(v: string): Value[] {
  return v.length > MAX_STRING ? [UNKNOWN] : [{ k: 'bytes', v }];
}

export function int(v: number): Value[] {
  return Number.isSafeInteger(v) ? [{ k: 'int', v }] : [UNKNOWN];
}

export function parseInteger(text: string): Value[] {
  const t = text.replace(/_/g, '').toLowerCase();
  let v: number;
  if (t.startsWith('0x')) v = parseInt(t.slice(2), 16);
  else if (t.startsWith('0o')) v = parseInt(t.slice(2), 8);
  else if (t.startsWith('0b')) v = parseInt(t.slice(2), 2);
  else if (/^\d+$/.test(t)) v = parseInt(t, 10);
  else return [UNKNOWN];
  return Number.isNaN(v) ? [UNKNOWN] : int(v);
}

export function binaryOp(op: string, l: Value, r: Value): Value[] {
  if (op === '+') {
    if ((l.k === 'str' && r.k === 'str') || (l.k === 'bytes' && r.k === 'bytes'))
      return l.k === 'str' ? str(l.v + r.v) : bytes(l.v + (r as { v: string }).v);
    if (l.k === 'int' && r.k === 'int') return int(l.v + r.v);
    if (l.k === 'seq' && r.k === 'seq')
      return l.items.length + r.items.length > MAX_ITEMS
        ? [UNKNOWN]
        : [{ k: 'seq', items: [...l.items, ...r.items] }];
    return [UNKNOWN];
  }
  if (op === '*') {
    const [s, n] = l.k === 'int' ? [r, l.v] : r.k === 'int' ? [l, r.v] : [undefined, 0];
    if (s === undefined) return [UNKNOWN];
    if (s.k === 'int') return int(s.v * n);
    const count = Math.max(0, n);
    if (s.k === 'str' || s.k === 'bytes') {
      if (s.v.length * count > MAX_STRING) return [UNKNOWN];
      return s.k === 'str' ? str(s.v.repeat(count)) : bytes(s.v.repeat(count));
    }
    if (s.k === 'seq') {
      if (s.items.length * count > MAX_ITEMS) return [UNKNOWN];
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(...s.items);
      return [{ k: 'seq', items }];
    }
    return [UNKNOWN];
  }
  if (op === '%' && l.k === 'str') {
    const r2 = percentFormat(l.v, r);
    return r2 === undefined ? [UNKNOWN] : str(r2);
  }
  if (l.k !== 'int' || r.k !== 'int') return [UNKNOWN];
  const a = l.v;
  const b = r.v;
  switch (op) {
    case '-':
      return int(a - b);
    case '//':
      return b === 0 ? [UNKNOWN] : int(Math.floor(a / b));
    case '%':
      return b === 0 ? [UNKNOWN] : int(((a % b) + b) % b);
    case '**':
      return b < 0 || b > 64 ? [UNKNOWN] : int(a ** b);
    case '^':
    case '&':
    case '|':
      if (Math.abs(a) > 0x7fffffff || Math.abs(b) > 0x7fffffff) return [UNKNOWN];
      return int(op === '^' ? a ^ b : op === '&' ? a & b : a | b);
    case '<<':
      return b < 0 || b > 52 ? [UNKNOWN] : int(a * 2 ** b);
    case '>>':
      return b < 0 ? [UNKNOWN] : int(Math.floor(a / 2 ** Math.min(b, 64)));
  }
  return [UNKNOWN];
}

export function toBytes(v: Value, encoding: Value | undefined): Value[] {
  if (v.k === 'bytes') return [v];
  if (v.k === 'seq') {
    let out = '';
    for (const item of v.items) {
      if (item.k !== 'int' || item.v < 0 || item.v > 255) return [UNKNOWN];
      out += String.fromCharCode(item.v);
    }
    return bytes(out);
  }
  if (v.k === 'str' && encoding?.k === 'str') {
    const e = encoding.v.toLowerCase().replace(/[-_]/g, '');
    if (e === 'utf8' || e === 'u8') return bytes(utf8Encode(v.v));
    if (e === 'ascii' && /^[\x00-\x7f]*$/.test(v.v)) return bytes(v.v);
    if ((e === 'latin1' || e === 'l1') && /^[\x00-\xff]*$/.test(v.v)) return bytes(v.v);
  }
  return [UNKNOWN];
}

/** `f(x)` for the simple functions `map` applies in obfuscation: chr, str, and string methods. */
export function applySimple(fn: Value, x: Value): Value[] {
  if (fn.k === 'builtin') {
    if (fn.name === 'chr' && x.k === 'int') {
      const c = safeChr(x.v);
      return c === undefined ? [UNKNOWN] : str(c);
    }
    if (fn.name === 'str') {
      const s = constantToStr(x);
      return s === undefined ? [UNKNOWN] : str(s);
    }
    if (fn.name === 'ord' && x.k === 'str' && x.v.length > 0) return int(x.v.codePointAt(0) as number);
    if ((fn.name === 'str.upper' || fn.name === 'str.lower' || fn.name === 'str.strip') && x.k === 'str') {
      const m = fn.name.slice(4);
      return str(m === 'upper' ? x.v.toUpperCase() : m === 'lower' ? x.v.toLowerCase() : x.v.trim());
    }
  }
  return [UNKNOWN];
}

export function codecTransform(v: Value, enc: string, decode: boolean): Value[] {
  if (enc === 'rot13') return v.k === 'str' ? str(rot13(v.v)) : [UNKNOWN];
  if (v.k !== 'str' && v.k !== 'bytes') return [UNKNOWN];
  if (enc === 'hex' || enc === 'hexcodec') {
    if (!decode) return [UNKNOWN];
    const d = hexDecode(v.v);
    return d === undefined ? [UNKNOWN] : bytes(d);
  }
  if (enc === 'base64' || enc === 'base64codec') {
    if (!decode) return [UNKNOWN];
    const d = base64Decode(v.v, false);
    return d === undefined ? [UNKNOWN] : bytes(d);
  }
  if (decode && v.k === 'bytes') {
    const d = decodeBytes(v.v, enc);
    return d === undefined ? [UNKNOWN] : str(d);
  }
  if (!decode && v.k === 'str' && (enc === 'utf8' || enc === 'u8')) return bytes(utf8Encode(v.v));
  return [UNKNOWN];
}

function stripChars(s: string, chars: string | undefined, method: string): string {
  const set = chars === undefined ? ' \t\n\r\x0b\x0c' : chars;
  let a = 0;
  let b = s.length;
  if (method !== 'rstrip') while (a < b && set.includes(s[a])) a++;
  if (method !== 'lstrip') while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** `importlib.import_module('..x', package='a.b.c')` → `a.b.x`, as importlib resolves it. */
export function resolveRelative(name: string, pkg: string | undefined): string {
  if (pkg === undefined || pkg === '') return name;
  const level = name.length - name.replace(/^\.+/, '').length;
  const parts = pkg.split('.');
  if (level - 1 >= parts.length) return name;
  const base = parts.slice(0, parts.length - (level - 1)).join('.');
  const rest = name.slice(level);
  return rest ? base + '.' + rest : base;
}

/**
 * A method of a constant str or bytes: `'so'[::-1]`-style folding's companions (`''.join`, `.lower()`,
 * `.format()`, `.decode()`...). Arguments are single values (UNKNOWN when not constant).
 */
export function stringMethod(
  self: { k: 'str' | 'bytes'; v: string },
  method: string,
  positional: Value[],
  keywords: Map<string, Value>,
): Value[] {
  const arg = (i: number): Value | undefined => positional[i];
  const s = self.v;
  const wrap = (v: string): Value[] => (self.k === 'bytes' ? bytes(v) : str(v));
  const sameKind = (v: Value | undefined): string | undefined =>
    v && v.k === self.k ? (v as { v: string }).v : undefined;
  switch (method) {
    case 'join': {
      const it = positional[0] ?? UNKNOWN;
      const items =
        it.k === self.k
          ? Array.from(it.v).map((c) => c)
          : it.k === 'seq'
            ? it.items.map(sameKind)
            : undefined;
      if (!items || items.some((x) => x === undefined)) return [UNKNOWN];
      const joined = (items as string[]).join(s);
      return joined.length > MAX_STRING ? [UNKNOWN] : wrap(joined);
    }
    case 'upper':
      return wrap(s.toUpperCase());
    case 'lower':
    case 'casefold':
      return wrap(s.toLowerCase());
    case 'swapcase':
      return wrap(Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
    case 'capitalize':
      return wrap(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
    case 'title':
      return wrap(
        s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()),
      );
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const charsV = arg(0);
      const chars = charsV === undefined || charsV.k === 'none' ? undefined : sameKind(charsV);
      if (charsV !== undefined && charsV.k !== 'none' && chars === undefined) return [UNKNOWN];
      return wrap(stripChars(s, chars, method));
    }
    case 'replace': {
      const a = sameKind(arg(0));
      const b = sameKind(arg(1));
      const countV = arg(2);
      if (a === undefined || b === undefined) return [UNKNOWN];
      let count = countV === undefined ? -1 : countV.k === 'int' ? countV.v : NaN;
      if (Number.isNaN(count)) return [UNKNOWN];
      if (a === '') return [UNKNOWN];
      let out = '';
      let rest = s;
      while (count !== 0) {
        const i = rest.indexOf(a);
        if (i < 0) break;
        out += rest.slice(0, i) + b;
        rest = rest.slice(i + a.length);
        count--;
        if (out.length > MAX_STRING) return [UNKNOWN];
      }
      return wrap(out + rest);
    }
    case 'removeprefix': {
      const a = sameKind(arg(0));
      return a === undefined ? [UNKNOWN] : wrap(s.startsWith(a) ? s.slice(a.length) : s);
    }
    case 'removesuffix': {
      const a = sameKind(arg(0));
      return a === undefined ? [UNKNOWN] : wrap(a !== '' && s.endsWith(a) ? s.slice(0, -a.length) : s);
    }
    case 'split': {
      const sepV = arg(0);
      const sep = sepV === undefined || sepV.k === 'none' ? undefined : sameKind(sepV);
      if (sepV !== undefined && sepV.k !== 'none' && sep === undefined) return [UNKNOWN];
      const parts =
        sep === undefined ? s.split(/\s+/).filter((x) => x !== '') : sep === '' ? undefined : s.split(sep);
      if (!parts || parts.length > MAX_ITEMS) return [UNKNOWN];
      return [{ k: 'seq', items: parts.map((x): Value => ({ k: self.k, v: x }) as Value) }];
    }
    case 'format': {
      if (self.k !== 'str') return [UNKNOWN];
      const r = braceFormat(s, positional, keywords);
      return r === undefined ? [UNKNOWN] : str(r);
    }
    case '__mod__': {
      const a = arg(0);
      const r = a === undefined || self.k !== 'str' ? undefined : percentFormat(s, a);
      return r === undefined ? [UNKNOWN] : str(r);
    }
    case '__add__': {
      const a = sameKind(arg(0));
      return a === undefined ? [UNKNOWN] : wrap(s + a);
    }
    case 'decode': {
      if (self.k !== 'bytes') return [UNKNOWN];
      const encV = arg(0) ?? { k: 'str', v: 'utf-8' };
      const r = encV.k === 'str' ? decodeBytes(s, encV.v) : undefined;
      return r === undefined ? [UNKNOWN] : str(r);
    }
    case 'encode': {
      if (self.k !== 'str') return [UNKNOWN];
      const encV = arg(0) ?? { k: 'str', v: 'utf-8' };
      const e = encV.k === 'str' ? encV.v.toLowerCase().replace(/[-_]/g, '') : '';
      if (e === 'utf8' || e === 'u8') return bytes(utf8Encode(s));
      if (
        (e === 'ascii' && /^[\x00-\x7f]*$/.test(s)) ||
        ((e === 'latin1' || e === 'l1') && /^[\x00-\xff]*$/.test(s))
      )
        return bytes(s);
      return [UNKNOWN];
    }
  }
  return [UNKNOWN];
}
