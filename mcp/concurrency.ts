// At most `max` sandbox runs at once; calls beyond it wait in a bounded FIFO queue ("wait") or are refused
// at once ("refuse"). A full queue refuses too, so nothing piles up without bound. A waiting call whose
// request is cancelled leaves the queue.

export type QueueMode = 'wait' | 'refuse';

export class SlotRefused extends Error {}

interface Waiter {
  grant: (release: () => void) => void;
  fail: (e: Error) => void;
}

export class RunSlots {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly max: number,
    readonly mode: QueueMode,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max concurrent runs must be a positive integer (got ${max})`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new RangeError(`queue length must be a non-negative integer (got ${maxQueue})`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with SlotRefused when the server is at its
   * limit and may not queue (or the queue is full), and with the signal's reason when cancelled while queued.
   */
  acquire(signal?: AbortSignal, onQueued?: (position: number) => void): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.running < this.max) return Promise.resolve(this.take());
    if (this.mode === 'refuse') {
      return Promise.reject(
        new SlotRefused(
          `the server is already running its maximum of ${this.max} sandbox run${this.max === 1 ? '' : 's'} at once and is configured to refuse extra calls (--queue refuse); try again when a run has finished`,
        ),
      );
    }
    if (this.waiting.length >= this.maxQueue) {
      return Promise.reject(
        new SlotRefused(
          `the server is running its maximum of ${this.max} sandbox run${this.max === 1 ? '' : 's'} and ${this.waiting.length} more call${this.waiting.length === 1 ? ' is' : 's are'} already waiting (queue limit ${this.maxQueue}); try again later`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: reject,
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      onQueued?.(this.waiting.length);
    });
  }

  private take(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiting.shift();
      if (next) next.grant(this.take());
    };
  }

  /** Refuses every queued call (server shutting down). */
  drain(reason: string): void {
    for (const w of this.waiting.splice(0)) w.fail(new SlotRefused(reason));
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the request was cancelled');
}
