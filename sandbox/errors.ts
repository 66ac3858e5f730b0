// One typed error for everything that stops a run before or around the program, each with a message
// that names the cause and a hint that names the next step. Callers show `message` and `hint`; nothing
// else needs to reach the user.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DockerEndpoint } from './dockerClient';

export type SandboxErrorCode =
  | 'docker-not-installed'
  | 'daemon-not-running'
  | 'permission-denied'
  | 'remote-unreachable'
  | 'image-missing'
  | 'hardening-not-applied'
  | 'unsupported-language'
  | 'invalid-request'
  | 'audit-unavailable'
  | 'docker-error';

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  /** A plain object for results, JSON and the MCP protocol. */
  toJSON(): SandboxErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export interface SandboxErrorInfo {
  code: SandboxErrorCode;
  message: string;
  hint: string;
}

interface ErrnoLike {
  code?: string;
  errno?: number;
  statusCode?: number;
  json?: { message?: string } | null;
  message?: string;
  level?: string;
}

function onPath(names: string[]): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  return dirs.some((d) => names.some((n) => exts.some((e) => existsSync(join(d, n + e)))));
}

/** The daemon's own message from an HTTP error, without dockerode's "(HTTP code 404) no such ... -" prefix. */
export function engineMessage(err: unknown): string {
  const e = err as ErrnoLike;
  const m = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  if (m) return m.trim();
  const text = e instanceof Error ? e.message : String(err);
  return text.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

/** Maps a connection or Engine API failure to a SandboxError. Already-typed errors pass through. */
export function classifyDockerError(err: unknown, endpoint: DockerEndpoint): SandboxError {
  if (err instanceof SandboxError) return err;
  const e = (err ?? {}) as ErrnoLike;
  const where = endpoint.local
    ? `the Docker socket ${endpoint.address}`
    : `the Docker engine at ${endpoint.address}`;
  const code = e.code ?? '';
  if (endpoint.local) {
    if (code === 'ENOENT') {
      if (!onPath(['docker', 'dockerd', 'podman'])) {
        return new SandboxError(
          'docker-not-installed',
          `Docker is not installed: ${where} does not exist and no docker command was found.`,
          'Install Docker Engine or Docker Desktop (https://docs.docker.com/get-docker/), or set DOCKER_HOST to a reachable engine.',
        );
      }
      return new SandboxError(
        'daemon-not-running',
        `The Docker daemon is not running: ${where} does not exist.`,
        'Start Docker (Docker Desktop, or `sudo systemctl start docker`), then run again.',
      );
    }
    if (code === 'ECONNREFUSED' || code === 'ENOTSOCK' || code === 'ECONNRESET' || code === 'ETIMEDOUT') {
      return new SandboxError(
        'daemon-not-running',
        `The Docker daemon is not running: nothing answers on ${where} (${code}).`,
        'Start Docker (Docker Desktop, or `sudo systemctl start docker`), then run again.',
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return new SandboxError(
        'permission-denied',
        `Permission denied on ${where}.`,
        'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in), or use rootless Docker or Docker Desktop.',
      );
    }
  } else if (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ECONNABORTED)$/.test(
      code,
    ) ||
    e.level === 'client-authentication' ||
    e.level === 'client-socket' ||
    e.level === 'client-timeout'
  ) {
    return new SandboxError(
      'remote-unreachable',
      `The remote Docker engine at ${endpoint.address} is unreachable (${code || e.message || 'connection failed'}).`,
      'Check that the engine is running and reachable (network, VPN, SSH key), or unset DOCKER_HOST to use the local engine.',
    );
  }
  if (code === 'SANDBOX_DEADLINE') {
    return new SandboxError(
      endpoint.local ? 'daemon-not-running' : 'remote-unreachable',
      `${endpoint.local ? 'The Docker daemon' : `The Docker engine at ${endpoint.address}`} did not answer in time (${e.message}).`,
      'Check that Docker is running and healthy (`docker info`), then run again.',
    );
  }
  if (e.statusCode === 404 && /no such image/i.test(engineMessage(err))) {
    return new SandboxError(
      'image-missing',
      engineMessage(err),
      'Pull or load the image (`docker pull IMAGE`).',
    );
  }
  const detail = e.statusCode ? `${engineMessage(err)} (HTTP ${e.statusCode})` : engineMessage(err);
  return new SandboxError(
    'docker-error',
    `Docker failed: ${detail}`,
    'Check the Docker engine (`docker info`); if it persists, report it with this message.',
  );
}

/** The error for an image that is absent and could not be pulled (offline, private, misspelt). */
export function imageMissingError(image: string, why: string): SandboxError {
  return new SandboxError(
    'image-missing',
    `The image ${image} is not available locally and could not be pulled: ${why}`,
    `Supply it another way: \`docker pull ${image}\` where a registry is reachable, \`docker load -i FILE\` from an exported image, or choose another image in the settings (or --image).`,
  );
}

/** Wraps a promise with a deadline; the rejection is classified as a daemon that did not answer. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} after ${ms / 1000} s`), { code: 'SANDBOX_DEADLINE' })),
      ms,
    );
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
