// Splits Docker's multiplexed attach stream (Tty false) into stdout and stderr without ever holding a
// whole frame: each frame is an 8-byte header [type, 0, 0, 0, size uint32 BE] followed by `size` bytes,
// and a payload is forwarded piece by piece as it arrives. (docker-modem's demuxStream concatenates until
// a frame is complete, so one huge frame would sit in memory.)

export type StreamKind = 'stdout' | 'stderr';

export class StreamDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private kind: StreamKind = 'stdout';
  private broken = false;

  constructor(
    private readonly onData: (kind: StreamKind, chunk: Buffer) => void,
    private readonly onProtocolError: (message: string) => void = () => {},
  ) {}

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && !this.broken) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - off);
        this.onData(this.kind, chunk.subarray(off, off + n));
        this.remaining -= n;
        off += n;
        continue;
      }
      const n = Math.min(8 - this.headerFill, chunk.length - off);
      chunk.copy(this.header, this.headerFill, off, off + n);
      this.headerFill += n;
      off += n;
      if (this.headerFill < 8) return;
      this.headerFill = 0;
      const type = this.header[0];
      if (type > 2 || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
        // Not a multiplexed stream (or corrupted): refuse to guess which bytes belong where.
        this.broken = true;
        this.onProtocolError(`unexpected attach frame header ${this.header.toString('hex')}`);
        return;
      }
      // Type 0 (stdin echo) is treated as stdout, as Docker's own stdcopy does.
      this.kind = type === 2 ? 'stderr' : 'stdout';
      this.remaining = this.header.readUInt32BE(4);
    }
  }

  /** True when the stream ended in the middle of a frame (output was cut short). */
  get incomplete(): boolean {
    return this.headerFill > 0 || this.remaining > 0;
  }
}
