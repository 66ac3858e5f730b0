/**
 * The decoders that hide module and function names in code seen in the wild (`base64.b64decode`,
 * `bytes.fromhex`, `codecs.decode(s, 'rot13')`). Bytes are strings of char codes 0-255, as in Value.
 * Each returns undefined for input Python would reject.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Decode(input: string, urlsafe: boolean): string | undefined {
  let s = input.replace(/[\s]/g, '');
  if (urlsafe) s = s.replace(/-/g, '+').replace(/_/g, '/');
  s = s.replace(/=+$/, '');
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B64.indexOf(s[i]);
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): string | undefined {
  const s = input.replace(/=+$/, '').toUpperCase();
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B32.indexOf(s[i]);
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

export function hexDecode(input: string): string | undefined {
  const s = input.replace(/\s/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  let out = '';
  for (let i = 0; i < s.length; i += 2) out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
  return out;
}

export function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** UTF-8 bytes (char codes 0-255) to a string; undefined for invalid sequences. */
export function utf8Decode(bytes: string): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes.charCodeAt(i);
    let cp: number;
    let len: number;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if (b >= 0xc2 && b < 0xe0) {
      cp = b & 0x1f;
      len = 2;
    } else if (b >= 0xe0 && b < 0xf0) {
      cp = b & 0x0f;
      len = 3;
    } else if (b >= 0xf0 && b < 0xf5) {
      cp = b & 0x07;
      len = 4;
    } else return undefined;
    for (let k = 1; k < len; k++) {
      const c = bytes.charCodeAt(i + k);
      if (Number.isNaN(c) || (c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp > 0x10ffff) return undefined;
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

/** A string to UTF-8 bytes. */
export function utf8Encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += ch;
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
      out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out += String.fromCharCode(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  return out;
}

/** Decodes bytes with a codec name as Python spells it; only the codecs that keep ASCII readable. */
export function decodeBytes(bytes: string, encoding: string): string | undefined {
  const e = encoding.toLowerCase().replace(/[-_ ]/g, '');
  if (e === 'utf8' || e === 'u8' || e === 'utf') return utf8Decode(bytes);
  if (e === 'ascii' || e === 'usascii') return /^[\x00-\x7f]*$/.test(bytes) ? bytes : undefined;
  if (e === 'latin1' || e === 'iso88591' || e === 'l1' || e === 'latin') return bytes;
  return undefined;
}
