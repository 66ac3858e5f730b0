/** Where a run's output is shown: the interactive terminal, or an output channel in Restricted Mode. */
export interface RunView {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A line of our own (header, notices). */
  info(text: string): void;
  /** The final status line. */
  finish(text: string, ok: boolean): void;
  /** Everything shown so far, without colours (what the user read). */
  readonly transcript: string;
}
