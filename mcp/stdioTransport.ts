// MCP over stdio (newline-delimited JSON-RPC), answering what the SDK's transport only logs: a line that is
// not JSON gets a Parse error (-32700), a JSON value that is not a JSON-RPC message an Invalid Request
// (-32600, with its id when it has one), and a line past the size cap is skipped without being buffered and
// answered with -32600 (and its id, when the start of the line shows it). The server keeps serving after each.
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type RequestId = string | number;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Inside an over-long line: drop bytes until its newline. */
  private skipping = false;
  private skippedHead = '';
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly maxLineBytes: number,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
    this.input.on('end', this.onEnd);
    this.input.on('close', this.onEnd);
  }

  private readonly onInputError = (e: Error) => this.onerror?.(e);
  /**
   * The client closed our stdin: requests already received are still answered (as when they are piped in),
   * then the transport closes.
   */
  private readonly onEnd = () => {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.closeIfDrained();
  };
  private inputEnded = false;
  /** Requests received and not yet answered. */
  private readonly pending = new Set<RequestId>();

  private closeIfDrained(): void {
    if (this.inputEnded && this.pending.size === 0) void this.close();
  }

  private readonly onData = (chunk: Buffer) => {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.skipping) {
        if (this.skippedHead.length < 256) this.skippedHead += piece.subarray(0, 256).toString('latin1');
      } else if (this.buffered + piece.length > this.maxLineBytes) {
        this.skipping = true;
        // Only the first bytes are kept, to find the id in.
        let head = '';
        for (const c of [...this.chunks, piece]) {
          if (head.length >= 256) break;
          head += c.subarray(0, 256 - head.length).toString('latin1');
        }
        this.skippedHead = head;
        this.chunks = [];
        this.buffered = 0;
      } else if (piece.length > 0) {
        this.chunks.push(Buffer.from(piece));
        this.buffered += piece.length;
      }
      if (nl === -1) break;
      if (this.skipping) {
        this.skipping = false;
        this.rejectOversized(this.skippedHead);
        this.skippedHead = '';
      } else {
        const line = Buffer.concat(this.chunks).toString('utf8');
        this.chunks = [];
        this.buffered = 0;
        this.handleLine(line);
      }
      start = nl + 1;
    }
  };

  private rejectOversized(head: string): void {
    // The id is usually near the start of the message; answering with it lets the client's request fail at
    // once instead of waiting for a response that will never come.
    const m = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,128}")/.exec(head);
    let id: RequestId | undefined;
    if (m) {
      try {
        id = JSON.parse(m[1]) as RequestId;
      } catch {
        id = undefined;
      }
    }
    const message = `message larger than the server's limit of ${this.maxLineBytes} bytes; it was discarded`;
    this.onerror?.(new Error(message));
    this.sendError(id, -32600, message);
  }

  private handleLine(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      this.onerror?.(new Error(`unparsable message: ${e instanceof Error ? e.message : String(e)}`));
      this.sendError(
        undefined,
        -32700,
        `Parse error: the message is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const obj = value as { id?: unknown; method?: unknown } | null;
      const id =
        obj && typeof obj === 'object' && (typeof obj.id === 'string' || typeof obj.id === 'number')
          ? obj.id
          : undefined;
      // A malformed response or notification has nobody waiting for an answer; only requests get one.
      const looksLikeResponse =
        !!obj &&
        typeof obj === 'object' &&
        !Array.isArray(obj) &&
        !('method' in obj) &&
        ('result' in obj || 'error' in obj);
      const looksLikeRequest = !looksLikeResponse;
      this.onerror?.(new Error(`invalid JSON-RPC message: ${line.slice(0, 200)}`));
      if (looksLikeRequest) {
        this.sendError(
          id,
          -32600,
          Array.isArray(value)
            ? 'Invalid Request: batches are not supported by MCP'
            : 'Invalid Request: not a JSON-RPC 2.0 request or notification (needs "jsonrpc": "2.0", a string "method" and, for a request, a string or integer "id")',
        );
      }
      return;
    }
    const msg = parsed.data as { id?: RequestId; method?: string; params?: { requestId?: RequestId } };
    if (msg.method !== undefined && msg.id !== undefined) this.pending.add(msg.id);
    // A cancelled request gets no response, so it is no longer waited for.
    if (msg.method === 'notifications/cancelled' && msg.params?.requestId !== undefined) {
      this.pending.delete(msg.params.requestId);
      queueMicrotask(() => this.closeIfDrained());
    }
    this.onmessage?.(parsed.data);
  }

  private sendError(id: RequestId | undefined, code: number, message: string): void {
    // MCP lets an error response omit the id when the request's id could not be read (JSON-RPC would use
    // null, which the SDK's clients reject).
    const response = {
      jsonrpc: '2.0' as const,
      ...(id === undefined ? {} : { id }),
      error: { code, message },
    };
    void this.send(response as JSONRPCMessage).catch((e: unknown) => this.onerror?.(e as Error));
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    const m = message as { id?: RequestId; method?: string };
    const isResponse = m.method === undefined && m.id !== undefined;
    return new Promise<void>((resolve, reject) => {
      const ok = this.output.write(`${JSON.stringify(message)}\n`, (err) => {
        if (err) reject(err);
      });
      if (ok) resolve();
      else this.output.once('drain', resolve);
    }).finally(() => {
      if (isResponse) {
        this.pending.delete(m.id as RequestId);
        this.closeIfDrained();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    this.input.pause();
    this.chunks = [];
    this.onclose?.();
  }
}
