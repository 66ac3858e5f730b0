// The server's configuration: command-line options over the user's config file (never the workspace, never
// tool arguments). Everything a caller could want to loosen (policy, threshold, images, limits, network)
// is fixed here, once, at start-up.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RUNNABLE_LANGUAGES, runtimeKey } from '../sandbox/languages';
import { DEFAULT_LIMITS, parseByteSize, resolveLimits, type RunLimits } from '../sandbox/limits';
import type { QueueMode } from './concurrency';

export class OptionsError extends Error {}

export interface McpOptions {
  /** A bundled preset, when no policy file is given. */
  preset?: string;
  /** A policy file (absolute). */
  policyFile?: string;
  /** Image per runtime key, overriding the defaults. */
  images: Record<string, string>;
  /** Limits every run gets; `timeoutMs` is also the longest a caller may ask for. */
  limits: RunLimits;
  maxConcurrent: number;
  queue: QueueMode;
  maxQueue: number;
  /** Audit log file; undefined = the runner's default (SANDBOX_GUARD_AUDIT_LOG or ~/.sandbox-guard/audit.jsonl). */
  auditLog?: string;
  /** The user config file that was read, if any. */
  configFile?: string;
}

export const DEFAULT_MAX_CONCURRENT = 2;
export const DEFAULT_MAX_QUEUE = 16;

export const MCP_USAGE = `sandbox-guard mcp [--preset NAME | --policy FILE] [--image LANG=IMAGE]... [--timeout SECONDS]
                 [--memory SIZE] [--cpus N] [--pids N] [--tmp-size SIZE] [--output-limit SIZE] [--max-concurrent N]
                 [--queue wait|refuse] [--max-queue N] [--audit-log FILE] [--config FILE]

  Starts a Model Context Protocol server on stdin/stdout for AI agents, with the tools check_code,
  run_code, execute_code (llm-sandbox's call shape) and list_policies. Logs go to stderr.
  Everything below is fixed for the server's lifetime; tool arguments cannot change it, and the sandbox
  never has a network.

  --preset NAME          bundled policy preset (default: recommended; see "sandbox-guard presets")
  --policy FILE          policy file (read once at start; a sandbox-guard.json in the working directory
                         is deliberately NOT used: an agent can write files there)
  --image LANG=IMAGE     image for a language (repeatable); also --image-python IMAGE, --image-javascript ...
  --timeout SECONDS      wall-clock limit per run and the most a caller may ask for (default ${DEFAULT_LIMITS.timeoutMs / 1000})
  --memory SIZE          memory per run, e.g. 512m, 1g (default 512m; swap is disabled)
  --cpus N               CPUs per run (default ${DEFAULT_LIMITS.cpus})
  --pids N               processes/threads per run (default ${DEFAULT_LIMITS.pids})
  --tmp-size SIZE        size of the writable /tmp (default 64m; counts against memory)
  --output-limit SIZE    stdout+stderr bytes before the run is stopped (default 1m)
  --max-concurrent N     sandbox runs at once (default ${DEFAULT_MAX_CONCURRENT})
  --queue MODE           beyond the maximum: wait (default; at most --max-queue calls wait) or refuse
  --max-queue N          calls that may wait for a run slot (default ${DEFAULT_MAX_QUEUE})
  --audit-log FILE       audit log (JSON lines; default $SANDBOX_GUARD_AUDIT_LOG or ~/.sandbox-guard/audit.jsonl)
  --config FILE          user configuration (default $XDG_CONFIG_HOME/sandbox-guard/config.json or
                         ~/.config/sandbox-guard/config.json); its "mcp" object takes the same settings:
                         preset, policy, images {lang: image}, timeoutSeconds, memory, cpus, pids,
                         tmpSize, outputLimit, maxConcurrent, queue, maxQueue, auditLog. Options override it.`;

/** The user-level config file's location (not the workspace's: a cloned repository must not configure this). */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return join(base, 'sandbox-guard', 'config.json');
}

type ConfigValues = {
  preset?: string;
  policy?: string;
  images: Record<string, string>;
  timeout?: string;
  memory?: string;
  cpus?: string;
  pids?: string;
  tmpSize?: string;
  outputLimit?: string;
  maxConcurrent?: string;
  queue?: string;
  maxQueue?: string;
  auditLog?: string;
};

function readConfig(path: string, explicit: boolean): { values: ConfigValues; base: string } | undefined {
  if (!existsSync(path)) {
    if (explicit) throw new OptionsError(`config file not found: ${path}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new OptionsError(`cannot read config file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const mcp = (json as { mcp?: unknown })?.mcp;
  if (mcp === undefined) return { values: { images: {} }, base: path };
  if (typeof mcp !== 'object' || mcp === null || Array.isArray(mcp))
    throw new OptionsError(`${path}: "mcp" must be an object`);
  const o = mcp as Record<string, unknown>;
  const known = [
    'preset',
    'policy',
    'images',
    'timeoutSeconds',
    'memory',
    'cpus',
    'pids',
    'tmpSize',
    'outputLimit',
    'maxConcurrent',
    'queue',
    'maxQueue',
    'auditLog',
  ];
  for (const k of Object.keys(o)) {
    if (!known.includes(k))
      throw new OptionsError(`${path}: unknown setting mcp.${k} (known: ${known.join(', ')})`);
  }
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    throw new OptionsError(`${path}: mcp.${k} must be a string or number`);
  };
  const images: Record<string, string> = {};
  if (o.images !== undefined) {
    if (typeof o.images !== 'object' || o.images === null || Array.isArray(o.images)) {
      throw new OptionsError(`${path}: mcp.images must be an object of language → image`);
    }
    for (const [lang, img] of Object.entries(o.images)) {
      if (typeof img !== 'string') throw new OptionsError(`${path}: mcp.images.${lang} must be a string`);
      images[lang] = img;
    }
  }
  return {
    base: path,
    values: {
      preset: str('preset'),
      policy: str('policy'),
      images,
      timeout: str('timeoutSeconds'),
      memory: str('memory'),
      cpus: str('cpus'),
      pids: str('pids'),
      tmpSize: str('tmpSize'),
      outputLimit: str('outputLimit'),
      maxConcurrent: str('maxConcurrent'),
      queue: str('queue'),
      maxQueue: str('maxQueue'),
      auditLog: str('auditLog'),
    },
  };
}

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new OptionsError(`${name} must be a positive integer (got "${text}")`);
  return Number(text);
}

function nonNegativeInt(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new OptionsError(`${name} must be a non-negative integer (got "${text}")`);
  return Number(text);
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new OptionsError(`${name} must be a positive number (got "${text}")`);
  return n;
}

function bytes(name: string, text: string): number {
  const n = parseByteSize(text);
  if (n === undefined || n <= 0)
    throw new OptionsError(`${name} must be a size such as 512m or 1g (got "${text}")`);
  return n;
}

function imageKey(lang: string, where: string): string {
  const key = runtimeKey(lang);
  if (!key)
    throw new OptionsError(
      `${where}: "${lang}" is not a runnable language (${RUNNABLE_LANGUAGES.join(', ')})`,
    );
  return key;
}

/** Parses `sandbox-guard mcp` options; returns undefined for --help. Throws OptionsError with one sentence. */
export function parseMcpOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): McpOptions | undefined {
  const imageOptions = Object.fromEntries(
    RUNNABLE_LANGUAGES.map((l) => [`image-${l}`, { type: 'string' as const }]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        preset: { type: 'string' },
        policy: { type: 'string' },
        image: { type: 'string', multiple: true },
        ...imageOptions,
        timeout: { type: 'string' },
        memory: { type: 'string' },
        cpus: { type: 'string' },
        pids: { type: 'string' },
        'tmp-size': { type: 'string' },
        'output-limit': { type: 'string' },
        'max-concurrent': { type: 'string' },
        queue: { type: 'string' },
        'max-queue': { type: 'string' },
        'audit-log': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new OptionsError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (v.help) return undefined;
  const opt = (k: string): string | undefined => v[k] as string | undefined;

  const configPath = opt('config') ? resolve(cwd, opt('config') as string) : defaultConfigPath(env);
  const config = readConfig(configPath, opt('config') !== undefined);
  const c: ConfigValues = config?.values ?? { images: {} };

  if (opt('preset') && opt('policy')) throw new OptionsError('--preset and --policy are mutually exclusive');
  // A command-line choice of either kind replaces the config file's policy choice entirely.
  const cliPolicy = opt('preset') !== undefined || opt('policy') !== undefined;
  const preset = cliPolicy ? opt('preset') : c.policy ? undefined : c.preset;
  const policyFile = cliPolicy
    ? opt('policy') && resolve(cwd, opt('policy') as string)
    : c.policy && resolve(config?.base ? join(config.base, '..') : cwd, c.policy);

  const images: Record<string, string> = {};
  for (const [lang, img] of Object.entries(c.images))
    images[imageKey(lang, `${configPath}: mcp.images`)] = img;
  for (const l of RUNNABLE_LANGUAGES) {
    const img = opt(`image-${l}`);
    if (img) images[l] = img;
  }
  for (const spec of (v.image as string[] | undefined) ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1)
      throw new OptionsError(`--image expects LANG=IMAGE (got "${spec}")`);
    images[imageKey(spec.slice(0, eq), '--image')] = spec.slice(eq + 1);
  }
  for (const [lang, img] of Object.entries(images)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(img))
      throw new OptionsError(`image for ${lang} is not a valid image reference: "${img}"`);
  }

  const pick = (cli: string, cfg: string | undefined) => opt(cli) ?? cfg;
  const overrides: Partial<RunLimits> = {};
  const timeout = pick('timeout', c.timeout);
  if (timeout !== undefined) overrides.timeoutMs = Math.round(positiveNumber('--timeout', timeout) * 1000);
  const memory = pick('memory', c.memory);
  if (memory !== undefined) overrides.memoryBytes = bytes('--memory', memory);
  const cpus = pick('cpus', c.cpus);
  if (cpus !== undefined) overrides.cpus = positiveNumber('--cpus', cpus);
  const pids = pick('pids', c.pids);
  if (pids !== undefined) overrides.pids = positiveInt('--pids', pids);
  const tmp = pick('tmp-size', c.tmpSize);
  if (tmp !== undefined) overrides.tmpfsBytes = bytes('--tmp-size', tmp);
  const output = pick('output-limit', c.outputLimit);
  if (output !== undefined) overrides.outputBytes = bytes('--output-limit', output);
  let limits: RunLimits;
  try {
    limits = resolveLimits(overrides);
  } catch (e) {
    throw new OptionsError(e instanceof Error ? e.message : String(e));
  }

  const queue = pick('queue', c.queue) ?? 'wait';
  if (queue !== 'wait' && queue !== 'refuse')
    throw new OptionsError(`--queue must be wait or refuse (got "${queue}")`);
  const maxConcurrentText = pick('max-concurrent', c.maxConcurrent);
  const maxQueueText = pick('max-queue', c.maxQueue);
  const auditLog = pick('audit-log', c.auditLog);

  return {
    preset,
    policyFile: policyFile || undefined,
    images,
    limits,
    maxConcurrent:
      maxConcurrentText === undefined
        ? DEFAULT_MAX_CONCURRENT
        : positiveInt('--max-concurrent', maxConcurrentText),
    queue,
    maxQueue: maxQueueText === undefined ? DEFAULT_MAX_QUEUE : nonNegativeInt('--max-queue', maxQueueText),
    auditLog: auditLog ? resolve(cwd, auditLog) : undefined,
    configFile: config ? configPath : undefined,
  };
}
