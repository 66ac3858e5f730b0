// Starts the built CLI's MCP server (`node dist/cli.js mcp ...`) and talks to it with the SDK's own client
// over stdio, or with raw JSON-RPC lines. Each server gets a private config dir and audit log, so the user's
// ~/.config and ~/.sandbox-guard are never read or written.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectDocker } from '../../sandbox/dockerClient';

export const ROOT = join(__dirname, '..', '..');
/** The bundle under test (overridable to test another build of the same sources). */
export const CLI = process.env.SANDBOX_GUARD_TEST_CLI ?? join(ROOT, 'dist', 'cli.js');

/** Offline test images built by .ci/docker.sh (scripts/test-images.sh). */
export const PYTHON_IMAGE = 'sandbox-guard-test/python:bookworm';
export const NODE_IMAGE = 'sandbox-guard-test/node:bookworm';
export const TEST_IMAGE_ARGS = ['--image', `python=${PYTHON_IMAGE}`, '--image', `javascript=${NODE_IMAGE}`];

export interface Sandbox {
  dir: string;
  auditLog: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** A private HOME/XDG_CONFIG_HOME/audit log for one server. */
export function sandboxDir(extraEnv: Record<string, string> = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'sg-mcp-test-'));
  const auditLog = join(dir, 'audit.jsonl');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { XDG_CONFIG_HOME: join(dir, 'config'), SANDBOX_GUARD_AUDIT_LOG: auditLog }, extraEnv);
  return { dir, auditLog, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readAudit(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  box: Sandbox;
  close(): Promise<void>;
}

/** Spawns the server and connects the SDK client (clientInfo.name = `clientName`). */
export async function connect(
  args: string[],
  opts: { clientName?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<Connected> {
  const box = sandboxDir(opts.env);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: box.env,
    cwd: opts.cwd ?? box.dir,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const client = new Client({ name: opts.clientName ?? 'sg-test-client', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => err,
    box,
    async close() {
      await client.close();
      box.cleanup();
    },
  };
}

/** A server spoken to in raw newline-delimited JSON-RPC, for what the SDK client would never send. */
export class RawServer {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = '';
  private buf = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>, cwd?: string) {
    this.proc = spawn(process.execPath, [CLI, 'mcp', ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => {
      this.buf += d.toString('utf8');
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) !== -1) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  send(line: string | object): void {
    this.proc.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  }

  /** Every stdout line parsed (throws if any line is not JSON: stdout must carry protocol only). */
  messages(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Waits for a message matching `pred`, up to `ms`. */
  async waitFor(
    pred: (m: Record<string, unknown>) => boolean,
    ms = 20_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages().find(pred);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching message within ${ms} ms; got:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async initialize(name = 'raw-test'): Promise<void> {
    this.send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '0' } },
    });
    await this.waitFor((m) => m.id === 'init');
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

/** Runs the CLI to completion (for option errors and --help). */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

/**
 * Why Docker-backed tests cannot run here, or undefined when they can (daemon answers, test images present).
 * With SANDBOX_GUARD_REQUIRE_DOCKER=1 a missing Docker is a failure instead of a skip.
 */
export async function dockerSkipReason(): Promise<string | undefined> {
  const docker = connectDocker().docker;
  let reason: string | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref()),
    ]);
    for (const image of [PYTHON_IMAGE, NODE_IMAGE]) {
      try {
        await docker.getImage(image).inspect();
      } catch {
        reason = `test image ${image} is missing (build it with: bash .ci/docker.sh)`;
        break;
      }
    }
  } catch (e) {
    reason = `Docker is not reachable (${e instanceof Error ? e.message : String(e)}); start it with: bash .ci/docker.sh`;
  }
  if (reason && process.env.SANDBOX_GUARD_REQUIRE_DOCKER === '1')
    throw new Error(`SANDBOX_GUARD_REQUIRE_DOCKER=1 but ${reason}`);
  return reason;
}

/** Sandbox Guard containers created for one MCP client (the runner labels each with `mcp:<client name>`). */
export async function containersOf(clientName: string): Promise<string[]> {
  const list = await connectDocker().docker.listContainers({
    all: true,
    filters: { label: [`sandbox-guard.client=mcp:${clientName}`] },
  });
  return list.map((c) => c.Id);
}

/** All Sandbox Guard containers on the engine. */
export async function managedContainers(): Promise<string[]> {
  const list = await connectDocker().docker.listContainers({
    all: true,
    filters: { label: ['sandbox-guard.managed=1'] },
  });
  return list.map((c) => c.Id);
}

/** Polls `probe` until it returns true or the deadline passes. */
export async function until(
  probe: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
