// The one place that decides how a sandbox container is configured, as a pure function of the run's spec,
// plus the check that the engine applied all of it (fail closed: rootless or cgroup-less engines can drop
// limits silently). Field names are the Docker Engine API's (POST /containers/create), see
// container-hardening.md §3; every security-relevant field is set explicitly rather than left to defaults,
// except MaskedPaths/ReadonlyPaths, which must stay absent so Docker's default /proc masking applies.
import type { RunLimits } from './limits';

/** Label keys on every Sandbox Guard container (and its anonymous volume). */
export const LABELS = {
  managed: 'sandbox-guard.managed',
  run: 'sandbox-guard.run',
  /** Epoch ms after which a sweep may kill and remove the container. */
  deadline: 'sandbox-guard.deadline',
  client: 'sandbox-guard.client',
} as const;

/** Where the code appears inside the container. */
export const CODE_DIR = '/sandbox';
export const DEFAULT_USER = '65534:65534';
export const SHM_BYTES = 16 * 1024 * 1024;
export const NOFILE = 256;

/** How the code reaches the container: a read-only bind of a private host dir, or (remote engine) an
 *  anonymous volume filled with root-owned, read-only files through putArchive before start. */
export type CodeMount = { kind: 'bind'; hostDir: string } | { kind: 'volume' };

export interface HardeningSpec {
  image: string;
  /** Final argv (already expanded; never passed to a shell by us). */
  argv: string[];
  limits: RunLimits;
  code: CodeMount;
  /** Extra environment beyond the fixed allowlist (language needs, never the host's env). */
  env?: Record<string, string>;
  /** Non-root `uid:gid`; default 65534:65534. */
  user?: string;
  /** Forward stdin (otherwise the program sees EOF at once). */
  stdin?: boolean;
  /** /tmp without noexec, for runtimes that build and execute a binary. */
  tmpExec?: boolean;
  labels?: Record<string, string>;
  /** An OCI runtime the engine lists (`runsc`, `io.containerd.kata.v2`) for stronger isolation. */
  runtime?: string;
  /** `none` (default). `bridge` only from a machine/application-scope setting the user chose. */
  network?: NetworkMode;
}

export type NetworkMode = 'none' | 'bridge';

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

export interface MountSpec {
  Type: 'bind' | 'volume';
  Source?: string;
  Target: string;
  ReadOnly: boolean;
  VolumeOptions?: { NoCopy: boolean; Labels: Record<string, string> };
}

export interface HostConfigBody {
  NetworkMode: NetworkMode;
  Privileged: false;
  ReadonlyRootfs: true;
  CapDrop: string[];
  SecurityOpt: string[];
  Memory: number;
  MemorySwap: number;
  NanoCpus: number;
  PidsLimit: number;
  Ulimits: Ulimit[];
  Tmpfs: Record<string, string>;
  Mounts: MountSpec[];
  IpcMode: 'private';
  CgroupnsMode: 'private';
  ShmSize: number;
  Init: true;
  AutoRemove: false;
  OomKillDisable: false;
  PublishAllPorts: false;
  RestartPolicy: { Name: 'no'; MaximumRetryCount: 0 };
  LogConfig: { Type: 'none'; Config: Record<string, string> };
  Runtime?: string;
}

export interface ContainerCreateBody {
  Image: string;
  Entrypoint: string[];
  Cmd: string[];
  User: string;
  WorkingDir: string;
  Hostname: string;
  Env: string[];
  Labels: Record<string, string>;
  AttachStdin: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  AttachStdout: true;
  AttachStderr: true;
  Tty: false;
  NetworkDisabled: boolean;
  StopTimeout: number;
  HostConfig: HostConfigBody;
}

/** Always present; HOME points at the only writable place. */
const BASE_ENV: Readonly<Record<string, string>> = { HOME: '/tmp', LANG: 'C.UTF-8', TMPDIR: '/tmp' };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Accepts numeric `uid[:gid]` other than root; names would be resolved by the (untrusted) image's passwd. */
export function checkUser(user: string): string {
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) throw new RangeError(`user must be numeric uid[:gid], got ${JSON.stringify(user)}`);
  const uid = Number(m[1]);
  const gid = m[2] === undefined ? uid : Number(m[2]);
  if (uid === 0 || gid === 0) throw new RangeError('the sandbox never runs as root (uid or gid 0)');
  return `${uid}:${gid}`;
}

/** The create body for one run. Pure; throws RangeError on a spec it refuses to build. */
export function hardenedCreateOptions(spec: HardeningSpec): ContainerCreateBody {
  if (!spec.image) throw new RangeError('no image');
  if (spec.argv.length === 0) throw new RangeError('empty command');
  const env = { ...(spec.env ?? {}), ...BASE_ENV };
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k) || v.includes('\0'))
      throw new RangeError(`bad environment entry ${JSON.stringify(k)}`);
  }
  const l = spec.limits;
  const stdin = spec.stdin === true;
  const fsize = l.tmpfsBytes + SHM_BYTES;
  const network = spec.network ?? 'none';
  if (network !== 'none' && network !== 'bridge')
    throw new RangeError(`unknown network mode ${JSON.stringify(network)}`);
  const managed = { [LABELS.managed]: '1' };
  const mount: MountSpec =
    spec.code.kind === 'bind'
      ? { Type: 'bind', Source: spec.code.hostDir, Target: CODE_DIR, ReadOnly: true }
      : // Writable only so the engine accepts putArchive; the files are root-owned 0444 in a 0555 dir and
        // the program never runs as root, so it cannot change them. Removed with the container (v=1).
        {
          Type: 'volume',
          Target: CODE_DIR,
          ReadOnly: false,
          VolumeOptions: { NoCopy: true, Labels: managed },
        };
  const hostConfig: HostConfigBody = {
    NetworkMode: network,
    Privileged: false,
    ReadonlyRootfs: true,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges:true'],
    Memory: l.memoryBytes,
    MemorySwap: l.memoryBytes,
    NanoCpus: Math.round(l.cpus * 1e9),
    PidsLimit: l.pids,
    Ulimits: [
      { Name: 'nofile', Soft: NOFILE, Hard: NOFILE },
      { Name: 'core', Soft: 0, Hard: 0 },
      // Above the /tmp size, so filling /tmp ends in ENOSPC (its cap) rather than EFBIG at the same moment.
      { Name: 'fsize', Soft: fsize, Hard: fsize },
    ],
    Tmpfs: { '/tmp': `rw,${spec.tmpExec ? 'exec' : 'noexec'},nosuid,nodev,size=${l.tmpfsBytes},mode=1777` },
    Mounts: [mount],
    IpcMode: 'private',
    CgroupnsMode: 'private',
    ShmSize: SHM_BYTES,
    Init: true,
    AutoRemove: false,
    OomKillDisable: false,
    PublishAllPorts: false,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    LogConfig: { Type: 'none', Config: {} },
  };
  if (spec.runtime) hostConfig.Runtime = spec.runtime;
  return {
    Image: spec.image,
    // Empty (not absent) so an image ENTRYPOINT cannot wrap our argv.
    Entrypoint: [],
    Cmd: [...spec.argv],
    User: checkUser(spec.user ?? DEFAULT_USER),
    WorkingDir: CODE_DIR,
    Hostname: 'sandbox',
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...(spec.labels ?? {}), ...managed },
    AttachStdin: stdin,
    OpenStdin: stdin,
    StdinOnce: stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: network === 'none',
    StopTimeout: 1,
    HostConfig: hostConfig,
  };
}

/** The subset of `GET /containers/{id}/json` that verification reads. */
export interface InspectLike {
  Config?: Record<string, unknown>;
  HostConfig?: Record<string, unknown>;
}

/** Go's omitempty drops zero values from the echo, so false/0/""/[]/null all equal absent. */
function same(a: unknown, b: unknown): boolean {
  const zero = (x: unknown) =>
    x === null ||
    x === undefined ||
    x === false ||
    x === 0 ||
    x === '' ||
    (Array.isArray(x) && x.length === 0);
  if (zero(a) && zero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    // Every field we asked for must be echoed; extra fields the engine adds are fine.
    return Object.entries(a as Record<string, unknown>).every(([k, v]) =>
      same(v, (b as Record<string, unknown>)[k]),
    );
  }
  return a === b;
}

const show = (v: unknown) => JSON.stringify(v) ?? 'absent';

/**
 * Differences between what was asked and what the engine reports, as readable lines; empty = applied.
 * Also checks invariants no request can express (default /proc masks present, nothing re-enabled).
 */
export function verifyApplied(body: ContainerCreateBody, inspect: InspectLike): string[] {
  const problems: string[] = [];
  const hc = inspect.HostConfig ?? {};
  const cfg = inspect.Config ?? {};
  for (const [key, want] of Object.entries(body.HostConfig)) {
    if (!same(want, hc[key]))
      problems.push(`HostConfig.${key}: asked ${show(want)}, engine has ${show(hc[key])}`);
  }
  for (const key of [
    'User',
    'Cmd',
    'Entrypoint',
    'WorkingDir',
    'Tty',
    'NetworkDisabled',
    'OpenStdin',
  ] as const) {
    if (!same(body[key], cfg[key]))
      problems.push(`Config.${key}: asked ${show(body[key])}, engine has ${show(cfg[key])}`);
  }
  const env = Array.isArray(cfg.Env) ? (cfg.Env as string[]) : [];
  for (const e of body.Env) if (!env.includes(e)) problems.push(`Config.Env lacks ${e.split('=')[0]}`);
  const masked = hc.MaskedPaths;
  if (!Array.isArray(masked) || masked.length === 0)
    problems.push('HostConfig.MaskedPaths is empty: /proc is not masked');
  const capAdd = hc.CapAdd;
  if (Array.isArray(capAdd) && capAdd.length > 0) problems.push(`HostConfig.CapAdd adds ${show(capAdd)}`);
  const secOpt = Array.isArray(hc.SecurityOpt) ? (hc.SecurityOpt as string[]) : [];
  for (const o of secOpt) {
    if (/unconfined|label[:=]disable/i.test(o))
      problems.push(`HostConfig.SecurityOpt weakens confinement: ${o}`);
  }
  for (const key of ['PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'CgroupnsMode'] as const) {
    if (hc[key] === 'host') problems.push(`HostConfig.${key} shares the host namespace`);
  }
  const binds = hc.Binds;
  if (Array.isArray(binds) && binds.length > 0) problems.push(`HostConfig.Binds adds ${show(binds)}`);
  const devices = hc.Devices;
  if (Array.isArray(devices) && devices.length > 0) problems.push(`HostConfig.Devices adds ${show(devices)}`);
  return problems;
}
