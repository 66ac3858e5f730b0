/**
 * Cooking of JavaScript literal text the way the engine does it, so that `'\x63hild_process'`,
 * `'\u{63}hild_process'` and the sloppy-mode octal `'\143hild_process'` all read as `child_process`.
 */

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

/**
 * Cooks the body of a string literal or template part (without its delimiters). `template` forbids the
 * legacy octal escapes and normalises line ends as templates do. Undefined for a malformed escape.
 */
export function cookLiteral(body: string, template: boolean): string | undefined {
  if (!body.includes('\\') && !(template && body.includes('\r'))) return body;
  let out = '';
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i];
    if (c === '\r' && template) {
      out += '\n';
      i += body[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x') {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (e === 'u') {
      const r = unicodeEscape(body, i);
      if (!r) return undefined;
      out += r.text;
      i = r.end;
    } else if (e === '\r') {
      i += body[i + 2] === '\n' ? 3 : 2;
    } else if (e === '\n' || e === '\u2028' || e === '\u2029') {
      i += 2;
    } else if (e >= '0' && e <= '7') {
      const m = /^(?:[0-3][0-7]{0,2}|[4-7][0-7]?)/.exec(body.slice(i + 1, i + 4));
      const digits = m ? m[0] : e;
      if (template && !(digits === '0' && !/[0-9]/.test(body[i + 2] ?? ''))) return undefined;
      out += String.fromCharCode(parseInt(digits, 8));
      i += 1 + digits.length;
    } else {
      out += e;
      i += 2;
    }
  }
  return out;
}

/** Decodes `\uXXXX` or `\u{X...}` at `i` (the backslash). */
function unicodeEscape(s: string, i: number): { text: string; end: number } | undefined {
  if (s[i + 2] === '{') {
    const close = s.indexOf('}', i + 3);
    if (close < 0 || close - i > 12) return undefined;
    const hex = s.slice(i + 3, close);
    if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) return undefined;
    return { text: String.fromCodePoint(cp), end: close + 1 };
  }
  const hex = s.slice(i + 2, i + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
  return { text: String.fromCharCode(parseInt(hex, 16)), end: i + 6 };
}

/** The name an identifier spelled with escapes denotes (`\u0065val` is `eval`). */
export function cookIdentifier(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length;) {
    if (raw[i] === '\\' && raw[i + 1] === 'u') {
      const r = unicodeEscape(raw, i);
      if (r) {
        out += r.text;
        i = r.end;
        continue;
      }
    }
    out += raw[i++];
  }
  return out;
}

/** The value of a numeric literal; undefined for BigInt literals and anything unparsable. */
export function parseNumber(raw: string): number | undefined {
  const s = raw.replace(/_/g, '');
  if (s.endsWith('n')) return undefined;
  if (/^0[0-7]+$/.test(s)) return parseInt(s, 8);
  if (/^0[0-9]+$/.test(s)) return parseInt(s, 10);
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Bytes of base64 text (standard or URL alphabet, padding optional), or undefined when it is not base64. */
export function base64Bytes(text: string): number[] | undefined {
  const s = text.replace(/[\t\n\f\r ]/g, '').replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined;
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const ch of s) {
    let v = B64.indexOf(ch);
    if (v < 0) v = ch === '-' ? 62 : ch === '_' ? 63 : -1;
    if (v < 0) return undefined;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  return out;
}

export function hexBytes(text: string): number[] | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 2) out.push(parseInt(text.slice(i, i + 2), 16));
  return out;
}

/** Bytes as one character each (what `atob` returns). */
export function latin1(bytes: readonly number[]): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** UTF-8 decoding with U+FFFD for malformed sequences (what `Buffer#toString()` does). */
export function utf8(bytes: readonly number[]): string {
  let s = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (len === 0 || i + len > bytes.length) {
      s += '\ufffd';
      i++;
      continue;
    }
    let cp = len === 1 ? b : b & (0xff >> (len + 1));
    let ok = true;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok || cp > 0x10ffff) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += len;
  }
  return s;
}

/** Bytes of a string in a Node `Buffer` encoding, for `Buffer.from(s, enc)`. */
export function encodeBytes(s: string, encoding: string): number[] | undefined {
  switch (encoding.toLowerCase()) {
    case 'base64':
    case 'base64url':
      return base64Bytes(s);
    case 'hex':
      return hexBytes(s);
    case 'latin1':
    case 'binary':
    case 'ascii':
      return [...s].map((c) => c.charCodeAt(0) & 0xff);
    case 'utf8':
    case 'utf-8': {
      const out: number[] = [];
      for (const ch of s) {
        const cp = ch.codePointAt(0) ?? 0;
        if (cp < 0x80) out.push(cp);
        else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
        else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
        else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A `Buffer`'s bytes read back as a string in an encoding, for `buf.toString(enc)`. */
export function decodeBytes(bytes: readonly number[], encoding: string): string | undefined {
  switch (encoding.toLowerCase()) {
    case 'utf8':
    case 'utf-8':
      return utf8(bytes);
    case 'latin1':
    case 'binary':
      return latin1(bytes);
    case 'ascii':
      return latin1(bytes.map((b) => b & 0x7f));
    case 'hex':
      return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    case 'base64': {
      let out = '';
      for (let i = 0; i < bytes.length; i += 3) {
        const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
        const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
        for (let k = 0; k < 4; k++) out += k < chars ? B64[(chunk >> (18 - 6 * k)) & 63] : '=';
      }
      return out;
    }
    default:
      return undefined;
  }
}
