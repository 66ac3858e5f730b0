// Bounds on what one caller can make the server hold or do. The caller (an agent) is the untrusted party, so
// sizes are capped before any work starts, and a requested timeout can only shorten the configured one.

/** Longest `code` argument accepted (UTF-16 units). Larger programs belong in files, not tool calls. */
export const MAX_CODE_CHARS = 1_000_000;
/** Longest `stdin` argument accepted. */
export const MAX_STDIN_CHARS = 1_000_000;
/** Most `libraries` entries in one execute_code call. */
export const MAX_LIBRARIES = 64;
/** One JSON-RPC line on stdin; beyond it the message is answered with an error and skipped, not buffered. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Shortest run a caller may ask for; anything shorter cannot even start a container. */
export const MIN_TIMEOUT_SECONDS = 0.1;
/** Time the policy check of one tool call may spend on patterns. */
export const CHECK_BUDGET_MS = 5_000;

export interface TimeoutDecision {
  /** What the run gets, in seconds. */
  seconds: number;
  /** What the caller asked for, when it asked. */
  requested?: number;
  /** The request was longer than the configured maximum and was cut to it. */
  clamped: boolean;
  /** One sentence for the result when the request was changed. */
  note?: string;
}

/**
 * The timeout a run gets: the caller's request when it is within the configured maximum, the maximum when it
 * asks for more (and the result says so), the maximum when it asks for nothing.
 */
export function decideTimeout(requestedSeconds: number | undefined, maxSeconds: number): TimeoutDecision {
  if (requestedSeconds === undefined) return { seconds: maxSeconds, clamped: false };
  if (requestedSeconds > maxSeconds) {
    return {
      seconds: maxSeconds,
      requested: requestedSeconds,
      clamped: true,
      note: `requested timeout ${requestedSeconds} s exceeds the server's maximum; clamped to ${maxSeconds} s`,
    };
  }
  if (requestedSeconds < MIN_TIMEOUT_SECONDS) {
    return {
      seconds: MIN_TIMEOUT_SECONDS,
      requested: requestedSeconds,
      clamped: false,
      note: `requested timeout ${requestedSeconds} s raised to the minimum of ${MIN_TIMEOUT_SECONDS} s`,
    };
  }
  return { seconds: requestedSeconds, requested: requestedSeconds, clamped: false };
}
