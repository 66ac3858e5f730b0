// One container's life: create (pulling the image if missing), verify, attach, start, stream, wait, kill on
// timeout/output limit/stop, and always remove. The only place that drives the Engine API for a run.
// Order matters: attach completes before start, so no early output is lost; wait uses `not-running` after
// start, which returns at once if the program already finished (no registration race).
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { CODE_DIR, LABELS, verifyApplied, type ContainerCreateBody } from './hardening';
import { StreamDemuxer } from './demux';
import type { DockerConnection } from './dockerClient';
import { classifyDockerError, engineMessage, imageMissingError, SandboxError, withDeadline } from './errors';
import { pullImage } from './imagePull';
import type { RunLimits } from './limits';
import { OutputPipe } from './outputPipe';
import type { RunReason, RunStatus } from './types';

/** Engine calls that should answer quickly. */
const API_DEADLINE_MS = 30_000;
/** After a kill, how long the engine may take to report the exit. */
const KILL_GRACE_MS = 15_000;
/** After the exit, how long the attach stream may take to deliver its tail. */
const DRAIN_GRACE_MS = 5_000;

export interface ContainerRunInput {
  conn: DockerConnection;
  body: ContainerCreateBody;
  /** For volume delivery: the tar put into CODE_DIR before start. */
  archive?: Buffer;
  limits: RunLimits;
  pull: 'missing' | 'never';
  output: { stdout(text: string): void; stderr(text: string): void };
  status(event: RunStatus): void;
  /** Milliseconds since the request, for timings. */
  clock(): number;
  /** The deadline label is refreshed at each create attempt to now + timeout + this (a pull can be long). */
  containerGrace: number;
}

export interface ContainerOutcome {
  reason: Exclude<RunReason, 'blocked'>;
  exitCode: number | null;
  truncated: boolean;
  error?: SandboxError;
  timings: Record<string, number>;
}

type Ended = 'timeout' | 'output-limit' | 'stopped';

interface CreateResponse {
  Id: string;
  Warnings?: string[] | null;
}

export class ContainerRun {
  private container?: Docker.Container;
  private started = false;
  private killReason?: Ended;
  private killIssued?: Promise<void>;
  private stdinSocket?: Duplex;
  private stdinQueue: (string | Buffer)[] = [];
  private stdinEnded = false;
  private readonly pullAbort = new AbortController();
  private onKilled!: () => void;
  /** Resolves when a kill has been sent to the engine. */
  private readonly killed = new Promise<void>((r) => (this.onKilled = r));
  readonly timings: Record<string, number> = {};

  constructor(private readonly input: ContainerRunInput) {}

  /** Runs to the end; the caller then calls remove(). Never rejects. */
  async run(): Promise<ContainerOutcome> {
    const pipe = new OutputPipe(this.input.limits.outputBytes, this.firstOutputTimer(), () =>
      this.kill('output-limit'),
    );
    let outcome: ContainerOutcome;
    try {
      outcome = await this.lifecycle(pipe);
    } catch (e) {
      const error = classifyDockerError(e, this.input.conn.endpoint);
      outcome = {
        reason: this.killReason === 'stopped' ? 'stopped' : 'error',
        exitCode: null,
        truncated: pipe.truncated,
        ...(this.killReason === 'stopped' ? {} : { error }),
        timings: this.timings,
      };
    }
    return outcome;
  }

  /** Removes the container (force, with its anonymous volume); safe to call when none was created. */
  async remove(): Promise<void> {
    const c = this.container;
    if (!c) return;
    this.container = undefined;
    try {
      await withDeadline(c.remove({ force: true, v: true }), API_DEADLINE_MS, 'removing the container');
    } catch {
      // Left for the sweep (its deadline label lets any later run remove it).
    }
    this.mark('removed');
  }

  /** Ends the run for `why`; the first reason wins. */
  kill(why: Ended): void {
    this.killReason ??= why;
    if (why === 'stopped') this.pullAbort.abort();
    if (this.started && this.container && !this.killIssued) {
      const c = this.container;
      this.onKilled();
      this.killIssued = withDeadline(
        c.kill({ signal: 'SIGKILL' }),
        API_DEADLINE_MS,
        'killing the container',
      ).then(
        () => {},
        () => {
          // 409/404: it already stopped. Other failures surface as a wait that never ends (KILL_GRACE_MS).
        },
      );
    }
  }

  writeStdin(data: string | Buffer): void {
    if (this.stdinEnded || !this.input.body.OpenStdin) return;
    if (this.stdinSocket) this.stdinSocket.write(data);
    else this.stdinQueue.push(data);
  }

  endStdin(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.stdinSocket?.end();
  }

  private mark(step: string): void {
    this.timings[step] ??= Math.round(this.input.clock() * 10) / 10;
  }

  private firstOutputTimer() {
    const out = this.input.output;
    return {
      stdout: (t: string) => {
        this.mark('firstOutput');
        out.stdout(t);
      },
      stderr: (t: string) => {
        this.mark('firstOutput');
        out.stderr(t);
      },
    };
  }

  private async create(): Promise<CreateResponse> {
    const { docker } = this.input.conn;
    const dial = () =>
      new Promise<CreateResponse>((resolve, reject) => {
        this.input.body.Labels[LABELS.deadline] = String(
          Date.now() + this.input.limits.timeoutMs + this.input.containerGrace,
        );
        docker.modem.dial(
          {
            path: '/containers/create?',
            method: 'POST',
            // _query/_body: the body must not also be sent as a query string (dockerode's default).
            options: { _query: {}, _body: this.input.body },
            statusCodes: {
              200: true,
              201: true,
              400: 'bad parameter',
              404: 'no such image',
              409: 'conflict',
              500: 'server error',
            },
          },
          (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as CreateResponse)),
        );
      });
    try {
      return await withDeadline(dial(), API_DEADLINE_MS, 'creating the container');
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status !== 404 || !/no such image/i.test(engineMessage(e))) throw e;
    }
    const image = this.input.body.Image;
    if (this.input.pull === 'never')
      throw imageMissingError(image, 'it is not present and pulling is disabled.');
    if (this.killReason) throw new SandboxError('docker-error', 'stopped', '');
    this.mark('pullStart');
    await pullImage(
      docker,
      image,
      (p) => this.input.status({ kind: 'pulling', ...p }),
      this.pullAbort.signal,
    );
    this.mark('pulled');
    return withDeadline(dial(), API_DEADLINE_MS, 'creating the container');
  }

  private async lifecycle(pipe: OutputPipe): Promise<ContainerOutcome> {
    const { docker } = this.input.conn;
    const body = this.input.body;
    const created = await this.create();
    this.container = docker.getContainer(created.Id);
    this.mark('created');
    if (created.Warnings && created.Warnings.length > 0) {
      throw new SandboxError(
        'hardening-not-applied',
        `The Docker engine did not accept every sandbox limit, so the run was refused: ${created.Warnings.join('; ')}`,
        'Use an engine that enforces cgroup limits (rootful Docker, or rootless with cgroup v2 and systemd).',
      );
    }
    if (this.input.archive) {
      await withDeadline(
        this.container.putArchive(this.input.archive, { path: CODE_DIR }),
        API_DEADLINE_MS,
        'copying the code',
      );
      this.mark('archived');
    }
    const container = this.container;
    const verify = withDeadline(container.inspect(), API_DEADLINE_MS, 'inspecting the container').then(
      (info) => {
        const problems = verifyApplied(body, info as unknown as Parameters<typeof verifyApplied>[1]);
        this.mark('verified');
        if (problems.length > 0) {
          throw new SandboxError(
            'hardening-not-applied',
            `The Docker engine did not apply every sandbox setting, so the run was refused: ${problems.join('; ')}`,
            'Use an engine that enforces these settings (rootful Docker, or rootless with cgroup v2 and systemd).',
          );
        }
      },
    );
    const attach = withDeadline(
      container.attach({
        stream: true,
        stdout: true,
        stderr: true,
        stdin: body.OpenStdin,
        hijack: body.OpenStdin,
      }),
      API_DEADLINE_MS,
      'attaching to the container',
    ) as Promise<NodeJS.ReadWriteStream>;
    // Settle both before deciding, so a failure of one never leaves the other's socket dangling.
    const [v, a] = await Promise.allSettled([verify, attach]);
    if (a.status === 'rejected' || v.status === 'rejected') {
      if (a.status === 'fulfilled') (a.value as unknown as Duplex).destroy();
      throw v.status === 'rejected' ? v.reason : (a as PromiseRejectedResult).reason;
    }
    const stream = a.value as unknown as Duplex;
    this.mark('attached');
    const drained = this.consume(stream, pipe);
    if (body.OpenStdin) {
      this.stdinSocket = stream;
      for (const d of this.stdinQueue.splice(0)) stream.write(d);
      if (this.stdinEnded) stream.end();
    }
    if (this.killReason) {
      stream.destroy();
      return { reason: this.killReason, exitCode: null, truncated: false, timings: this.timings };
    }
    // Announced before start, so a header always comes before the program's first byte.
    this.input.status({
      kind: 'started',
      containerId: created.Id,
      image: body.Image,
      limits: this.input.limits,
      network: body.HostConfig.NetworkMode,
    });
    try {
      await withDeadline(container.start(), API_DEADLINE_MS, 'starting the container');
    } catch (e) {
      stream.destroy();
      throw e;
    }
    this.started = true;
    this.mark('started');
    const timer = setTimeout(() => this.kill('timeout'), this.input.limits.timeoutMs);
    // A stop or output limit that arrived before start: kill now that there is something to kill.
    if (this.killReason) this.kill(this.killReason);
    let waited: { StatusCode?: number };
    try {
      waited = await this.waitExit(container);
    } finally {
      clearTimeout(timer);
    }
    this.mark('exited');
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_GRACE_MS).unref())]);
    stream.destroy();
    pipe.end();
    this.mark('drained');
    const exitCode = typeof waited.StatusCode === 'number' ? waited.StatusCode : null;
    let reason: ContainerOutcome['reason'] = this.killReason ?? 'exit';
    if (!this.killReason && exitCode !== 0) {
      // The kernel's OOM kill is only visible in the container state.
      const info = await withDeadline(container.inspect(), API_DEADLINE_MS, 'inspecting the container').catch(
        () => undefined,
      );
      if (info?.State?.OOMKilled) reason = 'oom';
    }
    return { reason, exitCode, truncated: pipe.truncated, timings: this.timings };
  }

  /** Waits for the exit; once a kill was issued, gives the engine a bounded time to report it. */
  private async waitExit(container: Docker.Container): Promise<{ StatusCode?: number }> {
    const wait = container.wait({ condition: 'not-running' }) as Promise<{ StatusCode?: number }>;
    const first = await Promise.race([wait.then((w) => ({ w })), this.killed.then(() => undefined)]);
    if (first) return first.w;
    return withDeadline(wait, KILL_GRACE_MS, 'waiting for the killed container to stop');
  }

  /** Demultiplexes the attach stream into the pipe; resolves when the stream ends. */
  private consume(stream: Duplex, pipe: OutputPipe): Promise<void> {
    const demux = new StreamDemuxer(
      (kind, chunk) => pipe.push(kind, chunk),
      () => stream.destroy(),
    );
    return new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('error', () => resolve());
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
    });
  }
}
