// From raw container bytes to what the sink receives: a byte budget shared by stdout and stderr (counted
// before decoding, so a newline-free flood is never buffered), then UTF-8 decoding with replacement, then
// terminal sanitising. Past the budget everything is read and dropped (the stream must keep draining or the
// engine blocks, and the kill with it) and `onLimit` fires once.
import type { StreamKind } from './demux';
import { TerminalSanitizer } from './terminalSanitizer';

export interface TextSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export class OutputPipe {
  private delivered = 0;
  private limited = false;
  private readonly decoders = {
    stdout: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }),
    stderr: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }),
  };
  private readonly sanitizers = { stdout: new TerminalSanitizer(), stderr: new TerminalSanitizer() };
  /** Bytes seen after the limit (read and dropped). */
  discarded = 0;

  constructor(
    private readonly limitBytes: number,
    private readonly sink: TextSink,
    private readonly onLimit: () => void,
  ) {}

  get truncated(): boolean {
    return this.limited;
  }

  get bytes(): number {
    return this.delivered;
  }

  push(kind: StreamKind, chunk: Buffer): void {
    if (this.limited) {
      this.discarded += chunk.length;
      return;
    }
    const room = this.limitBytes - this.delivered;
    if (chunk.length <= room) {
      this.delivered += chunk.length;
      this.emit(kind, this.decoders[kind].decode(chunk, { stream: true }));
      return;
    }
    this.delivered += room;
    this.discarded += chunk.length - room;
    if (room > 0) this.emit(kind, this.decoders[kind].decode(chunk.subarray(0, room), { stream: true }));
    this.limited = true;
    this.onLimit();
  }

  /** Flushes partial characters and unfinished escape sequences; resets colours. Call once at the end. */
  end(): void {
    for (const kind of ['stdout', 'stderr'] as const) {
      const tail = this.sanitizers[kind].write(this.decoders[kind].decode()) + this.sanitizers[kind].end();
      if (tail) this.deliver(kind, tail);
    }
  }

  private emit(kind: StreamKind, text: string): void {
    const safe = this.sanitizers[kind].write(text);
    if (safe) this.deliver(kind, safe);
  }

  private deliver(kind: StreamKind, text: string): void {
    try {
      this.sink[kind](text);
    } catch {
      // The display failing must not stop the run from being drained, limited and cleaned up.
    }
  }
}
