// Append-only JSON-lines record of every run and every refusal. On by default at
// ~/.sandbox-guard/audit.jsonl; SANDBOX_GUARD_AUDIT_LOG (or the runner option) moves it, `off` disables it,
// except for overrides of a blocking verdict, which are always recorded (and refused if they cannot be).
// One `write` per line on an O_APPEND descriptor, so concurrent writers (extension, CLI, MCP) interleave
// whole lines.
import { createHash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FindingsSummary } from './gate';
import type { RunLimits } from './limits';

export const AUDIT_ENV = 'SANDBOX_GUARD_AUDIT_LOG';

export interface AuditEntry {
  /** ISO 8601, when the run ended or was refused. */
  time: string;
  /** Who asked: `cli`, `vscode`, `mcp:<client name>`. */
  actor: string;
  /** The file's path as the caller knows it (untitled buffers: a name like `Untitled-1`). */
  file?: string;
  /** SHA-256 (hex) of the exact text that was checked and run. */
  sha256: string;
  language: string;
  image: string;
  /** Policy name and where it came from (`preset:recommended`, a file path). */
  policy: string;
  policySource?: string;
  findings: FindingsSummary;
  /** ran: clean; overridden: blocked and forced; refused: blocked; error: could not run. */
  verdict: 'ran' | 'overridden' | 'refused' | 'error';
  exitCode: number | null;
  durationMs: number;
  reason: string;
  truncated?: boolean;
  limits?: RunLimits;
  /** `none` unless the user enabled network access in a machine/application-scope setting. */
  network?: string;
  error?: string;
}

export interface AuditOptions {
  /** Log file; default $SANDBOX_GUARD_AUDIT_LOG, else ~/.sandbox-guard/audit.jsonl. */
  path?: string;
  /** false disables logging of ordinary runs and refusals (overrides are still logged). */
  enabled?: boolean;
}

export function defaultAuditPath(): string {
  return join(homedir(), '.sandbox-guard', 'audit.jsonl');
}

/** Where entries go, or undefined when logging is off (callers still log overrides to `always`). */
export function resolveAuditPath(options: AuditOptions = {}): { path?: string; always: string } {
  const env = process.env[AUDIT_ENV]?.trim();
  const envOff = env !== undefined && /^(off|false|0|none)$/i.test(env);
  const chosen = options.path ?? (env && !envOff ? env : undefined) ?? defaultAuditPath();
  const enabled = options.enabled !== false && !(envOff && options.path === undefined);
  return { path: enabled ? chosen : undefined, always: chosen };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An open log; opened before a run so an override is refused when it could not be recorded. */
export class AuditWriter {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<AuditWriter> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'a', 0o600);
    return new AuditWriter(path, handle);
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.handle.write(`${JSON.stringify(entry)}\n`);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Opens, appends one entry, closes. */
export async function appendAudit(path: string, entry: AuditEntry): Promise<void> {
  const w = await AuditWriter.open(path);
  try {
    await w.append(entry);
  } finally {
    await w.close();
  }
}
