// Run in Sandbox latency: a Python hello world through our runner (policy gate, staging, create, verify,
// attach, start, stream, wait, remove, audit) against `docker run --rm` with the same hardening flags on the
// same image, interleaved in the same run. Reports time to the first output byte and to the end (the CLI
// returns after --rm's removal; our promise resolves after removal too), and where our time goes.
// Usage: node --import tsx bench/sandbox.bench.ts   (env: SANDBOX_GUARD_BENCH_RUNS, SANDBOX_GUARD_BENCH_IMAGE)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadParsers } from '../runtime/grammars';
import { loadEffectivePolicy } from '../runtime/effectivePolicy';
import { stageCodeDir } from '../sandbox/codeDelivery';
import { connectDocker } from '../sandbox/dockerClient';
import { hardenedCreateOptions } from '../sandbox/hardening';
import { DEFAULT_LIMITS } from '../sandbox/limits';
import { startRun } from '../sandbox/runner';
import { median, percentile } from './stats';

const RUNS = Number(process.env.SANDBOX_GUARD_BENCH_RUNS ?? 15);
const WARMUP = 2;
const IMAGE = process.env.SANDBOX_GUARD_BENCH_IMAGE ?? 'sandbox-guard-test/python:bookworm';
const CODE = 'print("hello, sandbox")\n';
const ARGV = ['python3', '-I', '-u', '/sandbox/main.py'];

interface Sample {
  firstByte: number;
  end: number;
  steps?: Record<string, number>;
}

/** The docker CLI flags equivalent to our create body (derived from it, so they cannot drift apart). */
function dockerRunArgs(codeDir: string): string[] {
  const b = hardenedCreateOptions({
    image: IMAGE,
    argv: ARGV,
    limits: DEFAULT_LIMITS,
    code: { kind: 'bind', hostDir: codeDir },
  });
  const h = b.HostConfig;
  return [
    'run',
    '--rm',
    '--network',
    h.NetworkMode,
    '--read-only',
    '--cap-drop',
    'ALL',
    ...h.SecurityOpt.flatMap((o) => ['--security-opt', o]),
    '--user',
    b.User,
    '--memory',
    String(h.Memory),
    '--memory-swap',
    String(h.MemorySwap),
    '--cpus',
    String(h.NanoCpus / 1e9),
    '--pids-limit',
    String(h.PidsLimit),
    ...h.Ulimits.flatMap((u) => ['--ulimit', `${u.Name}=${u.Soft}:${u.Hard}`]),
    ...Object.entries(h.Tmpfs).flatMap(([p, o]) => ['--tmpfs', `${p}:${o}`]),
    '--shm-size',
    String(h.ShmSize),
    '--ipc',
    h.IpcMode,
    '--cgroupns',
    h.CgroupnsMode,
    '--init',
    '--log-driver',
    'none',
    '--restart',
    'no',
    '--stop-timeout',
    String(b.StopTimeout),
    '--hostname',
    b.Hostname,
    '--workdir',
    b.WorkingDir,
    '--mount',
    `type=bind,source=${codeDir},target=/sandbox,readonly`,
    ...b.Env.flatMap((e) => ['-e', e]),
    '-e',
    'PYTHONUNBUFFERED=1',
    '-e',
    'PYTHONDONTWRITEBYTECODE=1',
    '--label',
    'sandbox-guard.bench=1',
    '--entrypoint',
    '',
    IMAGE,
    ...ARGV,
  ];
}

function dockerCli(args: string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstByte = NaN;
    let out = '';
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => {
      if (Number.isNaN(firstByte)) firstByte = performance.now() - t0;
      out += d.toString();
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const end = performance.now() - t0;
      if (code !== 0 || out !== 'hello, sandbox\n')
        reject(new Error(`docker run exited ${code}: ${err}${out}`));
      else resolve({ firstByte, end });
    });
  });
}

async function runner(policy: ReturnType<typeof loadEffectivePolicy>): Promise<Sample> {
  const t0 = performance.now();
  let firstByte = NaN;
  let out = '';
  const handle = startRun(
    {
      code: CODE,
      languageId: 'python',
      image: IMAGE,
      policy: policy.policy,
      policySource: policy.source,
      fileName: 'bench.py',
    },
    {
      stdout: (t) => {
        if (Number.isNaN(firstByte)) firstByte = performance.now() - t0;
        out += t;
      },
      stderr: () => {},
    },
    { actor: 'bench', pull: 'never', sweep: true },
  );
  const r = await handle.result;
  const end = performance.now() - t0;
  if (r.reason !== 'exit' || r.exitCode !== 0 || out !== 'hello, sandbox\n') {
    throw new Error(`runner: ${r.reason} ${r.exitCode} ${JSON.stringify(r.error)} ${out}`);
  }
  return { firstByte, end, steps: r.timings };
}

const fmt = (n: number) => n.toFixed(0);

function row(name: string, xs: Sample[]): string {
  const f = xs.map((s) => s.firstByte);
  const e = xs.map((s) => s.end);
  return `| ${name} | ${fmt(median(f))} | ${fmt(percentile(f, 95))} | ${fmt(median(e))} | ${fmt(percentile(e, 95))} |`;
}

async function main(): Promise<void> {
  const conn = connectDocker();
  const version = await conn.docker.version();
  const cliVersion = spawnSync('docker', ['version', '--format', '{{.Client.Version}}'], {
    encoding: 'utf8',
  }).stdout.trim();
  const policy = loadEffectivePolicy({ preset: 'recommended' });
  await loadParsers();
  const staged = await stageCodeDir(
    'main.py',
    CODE,
    Date.now() + 3600_000,
    mkdtempSync(join(tmpdir(), 'sandbox-guard-bench-')),
  );
  const args = dockerRunArgs(staged.dir);
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  try {
    for (let i = 0; i < WARMUP; i++) {
      await runner(policy);
      await dockerCli(args);
    }
    // Interleaved, alternating who goes first, so drift on the machine hits both equally.
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        ours.push(await runner(policy));
        theirs.push(await dockerCli(args));
      } else {
        theirs.push(await dockerCli(args));
        ours.push(await runner(policy));
      }
    }
  } finally {
    await staged.cleanup();
    rmSync(join(staged.dir, '..', '..'), { recursive: true, force: true });
  }

  const ratio = (pick: (s: Sample) => number) => median(ours.map(pick)) / median(theirs.map(pick));
  const stepNames = [
    'gated',
    'prepared',
    'created',
    'verified',
    'attached',
    'started',
    'firstOutput',
    'exited',
    'drained',
    'removed',
  ];
  const stepAt = (name: string) =>
    median(ours.map((s) => s.steps?.[name] ?? NaN).filter((x) => !Number.isNaN(x)));
  const lines: string[] = [];
  let prev = 0;
  for (const name of stepNames) {
    const at = stepAt(name);
    if (Number.isNaN(at)) continue;
    lines.push(`| ${name} | ${fmt(at)} | ${fmt(Math.max(0, at - prev))} |`);
    prev = Math.max(prev, at);
  }
  const out = `## Run in Sandbox: Python hello world, runner vs \`docker run --rm\`

${RUNS} interleaved runs each (after ${WARMUP} warm-up runs), image \`${IMAGE}\`, Docker Engine ${version.Version}
(API ${version.ApiVersion}), docker CLI ${cliVersion}. Both apply the same hardening (the CLI flags are derived from
our create body). Times in ms from the request (our \`startRun\` call, or spawning \`docker run\`).

| | first output p50 | first output p95 | end p50 | end p95 |
|---|---|---|---|---|
${row('Sandbox Guard runner', ours)}
${row('docker run --rm (same flags)', theirs)}

Ratio runner / docker CLI (p50): first output **${ratio((s) => s.firstByte).toFixed(2)}×**, end **${ratio((s) => s.end).toFixed(2)}×**
(target ≤ 1.1×). "End" is when the container is gone: \`docker run --rm\` exits after the engine removed it; our
promise resolves after our remove call, the staging cleanup and the audit line.

Where the runner's time goes (p50 of each step's time since the request; steps overlap where run in parallel:
the inspect that verifies the limits runs alongside the attach):

| step | at (ms) | after previous (ms) |
|---|---|---|
${lines.join('\n')}

gated = policy check done; prepared = code staged and create body built; created = \`POST /containers/create\`;
verified = inspect compared with the request; attached = attach stream open; started = \`start\` returned;
firstOutput = first byte delivered; exited = \`wait\` returned; drained = output stream ended; removed = container
removed (\`force\`, \`v\`).
`;
  process.stdout.write(out);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
