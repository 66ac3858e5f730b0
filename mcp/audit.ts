// Audit lines for MCP calls that never reach the runner (checks, listings, calls refused before a run:
// invalid arguments, a busy server, an unknown language, missing libraries). Runs and policy refusals are
// written by the runner itself, to the same file, with the same `actor`. One appended line per call.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveAuditPath, sha256Hex, type AuditEntry } from '../sandbox/auditLog';
import { summarizeFindings, type FindingsSummary } from '../sandbox/gate';
import type { Finding } from '../core/findings';

export interface McpAuditEntry {
  time: string;
  /** `mcp:<client name>` (from the client's initialize request). */
  actor: string;
  tool: string;
  verdict: 'allowed' | 'blocked' | 'listed' | 'invalid' | 'refused' | 'error';
  reason?: string;
  sha256?: string;
  language?: string;
  policy: string;
  policySource: string;
  findings?: FindingsSummary;
  durationMs: number;
  error?: string;
}

export class McpAudit {
  /** undefined when logging is off (SANDBOX_GUARD_AUDIT_LOG=off and no --audit-log). */
  readonly path: string | undefined;
  private warned = false;

  constructor(
    configured: string | undefined,
    private readonly log: (message: string) => void,
  ) {
    this.path = resolveAuditPath({ path: configured }).path;
  }

  /** A line in the runner's own format (policy refusals the server answers without calling the runner). */
  async recordRun(entry: AuditEntry): Promise<void> {
    await this.write(entry);
  }

  async record(
    entry: Omit<McpAuditEntry, 'time' | 'sha256' | 'findings'> & {
      code?: string;
      findingsOf?: readonly Finding[];
    },
  ): Promise<void> {
    if (!this.path) return;
    const { code, findingsOf, ...rest } = entry;
    const line: McpAuditEntry = {
      time: new Date().toISOString(),
      ...rest,
      ...(code !== undefined ? { sha256: sha256Hex(code) } : {}),
      ...(findingsOf ? { findings: summarizeFindings([...findingsOf]) } : {}),
    };
    await this.write(line);
  }

  private async write(line: object): Promise<void> {
    if (!this.path) return;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await appendFile(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600, flag: 'a' });
    } catch (e) {
      if (!this.warned) {
        this.warned = true;
        this.log(`audit log ${this.path} is not writable: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
