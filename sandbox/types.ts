// The runner's public shapes, shared by the extension, the CLI and the MCP server (see runner.ts).
import type { Finding } from '../core/findings';
import type { ParserHost } from '../core/parsing';
import type { Policy } from '../core/policy';
import type { AuditOptions } from './auditLog';
import type { DockerConnection } from './dockerClient';
import type { NetworkMode } from './hardening';
import type { SandboxErrorInfo } from './errors';
import type { PullProgress } from './imagePull';
import type { RunLimits } from './limits';

export interface RunRequest {
  /** The text to run: the editor's buffer, saved or not. Never read from disk by the runner. */
  code: string;
  /** VS Code language id or alias (`python`, `javascript`, `typescript`, `shellscript`, `go`, ...). */
  languageId: string;
  /** For messages, the container file's extension and the audit log; never opened. */
  fileName?: string;
  /** The effective policy (same resolution as the diagnostics); the gate applies it before anything runs. */
  policy: Policy;
  /** `preset:NAME` or the policy file path, for the audit log. */
  policySource?: string;
  /**
   * Run even when the policy blocks. Set it only from a user-level (not workspace) setting or the user's
   * own `--force`; every override is written to the audit log, and refused if it cannot be.
   */
  force?: boolean;
  /** Replaces the language's image (a setting or `--image`). */
  image?: string;
  /** Replaces the language's argv template (`{file}` = path of the code in the container). */
  command?: string[];
  limits?: Partial<RunLimits>;
  /** Forward stdin through `writeStdin`/`endStdin`; otherwise the program reads EOF at once. */
  stdin?: boolean;
}

export type RunReason = 'exit' | 'timeout' | 'oom' | 'output-limit' | 'stopped' | 'blocked' | 'error';

export type RunStatus =
  /** The image is missing locally and is being pulled. */
  | ({ kind: 'pulling' } & PullProgress)
  /** The container is created, verified and attached, and starts now; for a header (before any output). */
  | { kind: 'started'; containerId: string; image: string; limits: RunLimits; network: NetworkMode }
  /** The run has ended; cleanup (container removal) follows before `result` resolves. */
  | { kind: 'finished'; result: RunResult }
  /** Something the user should know that did not stop the run (for example the audit log is not writable). */
  | { kind: 'warning'; message: string };

export interface RunSink {
  /** Program output, decoded (UTF-8 with replacement) and sanitised for a terminal; never called after `finished`. */
  stdout(text: string): void;
  stderr(text: string): void;
  status?(event: RunStatus): void;
}

export interface GateSummary {
  blocked: boolean;
  overridden: boolean;
  /** Every finding of the check, as the diagnostics show them. */
  findings: Finding[];
  blocking: Finding[];
  /** Why the check itself failed (it then counts as blocked). */
  problem?: string;
}

export interface RunResult {
  reason: RunReason;
  /** The program's exit status (137 after a kill); null when it never ran. */
  exitCode: number | null;
  /** From the request until the run ended (before cleanup). */
  durationMs: number;
  /** Output went past the limit and the rest was dropped. */
  truncated: boolean;
  image: string;
  limits: RunLimits;
  gate: GateSummary;
  /** Set when reason is `error`. */
  error?: SandboxErrorInfo;
  /** For `blocked`: the refusal text with each blocking finding (line:col severity rule: message). */
  refusal?: string;
  /** Milliseconds from the request to each step (create, attach, start, firstOutput, exit, removed...). */
  timings: Record<string, number>;
}

export interface RunHandle {
  /** Resolves once the run has ended and its container and files are gone. Never rejects. */
  result: Promise<RunResult>;
  /** Kills the run (reason `stopped`); resolves when cleanup is done. Safe to call at any time, repeatedly. */
  stop(): Promise<void>;
  /** Forwards input (only with `stdin: true`); queued until the container is attached. */
  writeStdin(data: string | Buffer): void;
  /** Closes the program's stdin (EOF). */
  endStdin(): void;
}

export interface RunnerOptions {
  /** Engine connection; default from DOCKER_HOST / docker context / the local socket. */
  connection?: DockerConnection;
  /** Pull a missing image (default) or fail at once with a clear error. */
  pull?: 'missing' | 'never';
  /** Code delivery: bind a temp dir (local engines), put an archive (remote), or decide by the endpoint. */
  delivery?: 'auto' | 'bind' | 'archive';
  /** Image per language key, from machine/application-scope settings. */
  images?: Record<string, string>;
  /** Non-root `uid:gid` (default 65534:65534). */
  user?: string;
  /** OCI runtime (`runsc`, `io.containerd.kata.v2`) when the engine offers one. */
  runtime?: string;
  /**
   * `none` (default): no network at all. `bridge` gives the program network access; pass it only from a
   * machine/application-scope setting the user set (never workspace settings). Recorded in the audit log.
   */
  network?: NetworkMode;
  /** Recorded in the audit log and on the container: `vscode`, `cli`, `mcp:<client>`. */
  actor?: string;
  audit?: AuditOptions;
  /** Grammars for the gate; loaded once per process when omitted. */
  parsers?: ParserHost;
  /** Sweep expired Sandbox Guard containers in the background before the run (default true). */
  sweep?: boolean;
}
