// Makes untrusted program output safe to write to a terminal (VS Code's Pseudoterminal, a TTY) while keeping
// plain colours. A terminal obeys escape sequences that clear or redraw the screen, move the cursor over
// earlier text, set the window title, create hyperlinks, write the clipboard (OSC 52) or conceal text; so:
// - SGR (`ESC [ ... m`) is kept, minus "conceal" (8); every other CSI, OSC, DCS/SOS/PM/APC string and
//   two-character ESC sequence is removed;
// - a sequence that is malformed, overlong, or interrupted by a control character is shown, not obeyed
//   (ESC as the visible ␛), so opening a string sequence cannot swallow the text after it;
// - other C0 controls and DEL become their visible control pictures (␈, ␀...), C1 controls and bidi
//   overrides (Trojan Source reordering) become U+FFFD; a lone CR (which would let later text overwrite a
//   line) becomes a newline, CRLF becomes LF.
// Streaming: state is kept across `write` calls, so a sequence split between chunks is handled the same.

const ESC = '\x1b';
const MAX_CSI = 64;
const MAX_STRING = 2048;
const VISIBLE_ESC = '\u241b';
/** Characters that need attention; everything between them is copied as-is. */
const SPECIAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

type State = 'ground' | 'esc' | 'escInter' | 'csi' | 'string' | 'stringEsc';

function visibleControl(c: number): string {
  if (c === 0x7f) return '\u2421';
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  return '\ufffd';
}

/** Drops conceal (8) from an SGR parameter list; keeps extended colours (38;5;n, 38;2;r;g;b) intact. */
function filterSgr(params: string): string | undefined {
  if (params === '') return '';
  const tokens = params.split(';');
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const n = t.includes(':') ? NaN : Number(t);
    if ((n === 38 || n === 48 || n === 58) && (tokens[i + 1] === '5' || tokens[i + 1] === '2')) {
      const take = tokens[i + 1] === '5' ? 3 : 5;
      out.push(...tokens.slice(i, i + take));
      i += take - 1;
    } else if (n !== 8) {
      out.push(t);
    }
  }
  return out.length === 0 ? undefined : out.join(';');
}

export class TerminalSanitizer {
  private state: State = 'ground';
  /** Raw text of the sequence being read, for showing it if it turns out malformed. */
  private pending = '';
  private pendingCR = false;
  private coloured = false;

  /** Sanitises the next piece of decoded text. */
  write(text: string): string {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
      if (this.state === 'ground' && !this.pendingCR) {
        SPECIAL.lastIndex = i;
        const m = SPECIAL.exec(text);
        const end = m ? m.index : text.length;
        if (end > i) out.push(text.slice(i, end));
        i = end;
        if (i >= text.length) break;
      }
      this.step(text[i], out);
      i++;
    }
    return out.join('');
  }

  /** Ends the stream: shows an unfinished sequence, completes a trailing CR, resets colours if any were set. */
  end(): string {
    const out: string[] = [];
    if (this.state !== 'ground') this.abort(out);
    if (this.pendingCR) {
      this.pendingCR = false;
      out.push('\n');
    }
    if (this.coloured) {
      this.coloured = false;
      out.push(`${ESC}[0m`);
    }
    return out.join('');
  }

  private step(ch: string, out: string[]): void {
    const c = ch.charCodeAt(0);
    switch (this.state) {
      case 'ground':
        return this.ground(ch, c, out);
      case 'esc':
        if (ch === '[') return this.enter('csi', ch);
        if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_')
          return this.enter('string', ch);
        if (c >= 0x20 && c <= 0x2f) return this.enter('escInter', ch);
        if (c >= 0x30 && c <= 0x7e) return this.drop();
        return this.abortAndRedo(ch, out);
      case 'escInter':
        if (c >= 0x20 && c <= 0x2f && this.pending.length < MAX_CSI) return this.enter('escInter', ch);
        if (c >= 0x30 && c <= 0x7e) return this.drop();
        return this.abortAndRedo(ch, out);
      case 'csi':
        if (c >= 0x20 && c <= 0x3f && this.pending.length < MAX_CSI) return this.enter('csi', ch);
        if (c >= 0x40 && c <= 0x7e) return this.finishCsi(ch, out);
        return this.abortAndRedo(ch, out);
      case 'string':
        if (c === 0x07 || c === 0x9c) return this.drop();
        if (ch === ESC) return this.enter('stringEsc', ch);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || this.pending.length >= MAX_STRING) {
          return this.abortAndRedo(ch, out);
        }
        return this.enter('string', ch);
      case 'stringEsc':
        if (ch === '\\') return this.drop();
        // Any other ESC ends the string (as terminals do) and starts a new sequence.
        this.drop();
        this.state = 'esc';
        this.pending = ESC;
        return this.step(ch, out);
    }
  }

  private ground(ch: string, c: number, out: string[]): void {
    if (this.pendingCR) {
      this.pendingCR = false;
      out.push('\n');
      if (ch === '\n') return;
    }
    if (ch === '\n' || ch === '\t') out.push(ch);
    else if (ch === '\r') this.pendingCR = true;
    else if (ch === ESC) {
      this.state = 'esc';
      this.pending = ESC;
    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out.push(visibleControl(c));
    else if (
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069)
    ) {
      out.push('\ufffd');
    } else out.push(ch);
  }

  private enter(state: State, ch: string): void {
    this.state = state;
    this.pending += ch;
  }

  private drop(): void {
    this.state = 'ground';
    this.pending = '';
  }

  private finishCsi(final: string, out: string[]): void {
    const params = this.pending.slice(2);
    this.drop();
    if (final !== 'm' || !/^[0-9;:]*$/.test(params)) return;
    const kept = filterSgr(params);
    if (kept === undefined) return;
    this.coloured = !/^0*$/.test(kept);
    out.push(`${ESC}[${kept}m`);
  }

  /** Shows the unfinished sequence as text (ESC made visible), then handles `ch` from the ground state. */
  private abortAndRedo(ch: string, out: string[]): void {
    this.abort(out);
    this.step(ch, out);
  }

  private abort(out: string[]): void {
    const rest = this.pending.slice(1);
    this.drop();
    out.push(VISIBLE_ESC);
    for (const r of rest) this.step(r, out);
  }
}

/** Sanitises a complete text in one go (tests, one-shot messages). */
export function sanitizeTerminalText(text: string): string {
  const s = new TerminalSanitizer();
  return s.write(text) + s.end();
}
