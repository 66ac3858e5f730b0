// Run limits, their defaults, and the parsing of human-written sizes shared by the CLI and the settings.

export interface RunLimits {
  /** Wall clock from start to kill. */
  timeoutMs: number;
  /** Memory cap; swap is set equal, so there is no swap. */
  memoryBytes: number;
  /** CPUs (fractional allowed). */
  cpus: number;
  /** Processes and threads. */
  pids: number;
  /** Size of the writable /tmp (it also counts against memory). */
  tmpfsBytes: number;
  /** Combined stdout+stderr bytes delivered before the run is killed and marked truncated. */
  outputBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({
  timeoutMs: 30_000,
  memoryBytes: 512 * MiB,
  cpus: 1,
  pids: 128,
  tmpfsBytes: 64 * MiB,
  outputBytes: 1 * MiB,
});

/** Bounds a setting or flag may not cross, so a typo cannot disable a limit. */
export const LIMIT_BOUNDS: Readonly<Record<keyof RunLimits, readonly [number, number]>> = Object.freeze({
  timeoutMs: [100, 24 * 3600 * 1000],
  memoryBytes: [6 * MiB, 64 * 1024 * MiB],
  cpus: [0.01, 256],
  pids: [8, 32768],
  tmpfsBytes: [64 * 1024, 16 * 1024 * MiB],
  outputBytes: [1, 1024 * MiB],
});

/** Merges overrides onto the defaults; throws a RangeError naming the first bad value. */
export function resolveLimits(overrides: Partial<RunLimits> = {}): RunLimits {
  const out: RunLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof RunLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    const [lo, hi] = LIMIT_BOUNDS[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      throw new RangeError(`limit ${key}=${String(v)} is outside ${lo}..${hi}`);
    }
    out[key] = key === 'cpus' ? v : Math.floor(v);
  }
  return out;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: MiB, g: 1024 * MiB, t: 1024 * 1024 * MiB };

/** `512m`, `1g`, `64MiB`, `1048576` → bytes (binary units, as Docker's `--memory`); undefined if malformed. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2].toLowerCase()];
  return Number.isFinite(n) ? Math.floor(n) : undefined;
}

/** `512 MiB`, `1.5 GiB`: for headers and status lines. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** For a header: `timeout 30 s, memory 512 MiB, 1 CPU, 128 pids, /tmp 64 MiB, output 1 MiB, no network`. */
export function describeLimits(l: RunLimits, network: 'none' | 'bridge' = 'none'): string {
  return [
    `timeout ${l.timeoutMs / 1000} s`,
    `memory ${formatBytes(l.memoryBytes)}`,
    `${l.cpus} CPU${l.cpus === 1 ? '' : 's'}`,
    `${l.pids} pids`,
    `/tmp ${formatBytes(l.tmpfsBytes)}`,
    `output ${formatBytes(l.outputBytes)}`,
    network === 'none' ? 'no network' : 'NETWORK ENABLED',
  ].join(', ');
}
