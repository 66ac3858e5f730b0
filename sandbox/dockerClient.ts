// Which Docker engine to talk to, decided the way the docker CLI does: DOCKER_HOST, else the current
// docker context (DOCKER_CONTEXT or ~/.docker/config.json), else the local socket. Whether the engine is
// local decides how code is delivered (a bind mount needs a shared filesystem).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { SandboxError } from './errors';

export interface DockerEndpoint {
  kind: 'unix' | 'npipe' | 'tcp' | 'ssh';
  /** Socket path or URL, for messages. */
  address: string;
  /** Shares this machine's filesystem (a unix socket or named pipe). */
  local: boolean;
}

function contextHost(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
    let name = env.DOCKER_CONTEXT;
    if (!name) {
      const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { currentContext?: string };
      name = cfg.currentContext;
    }
    if (!name || name === 'default') return undefined;
    const id = createHash('sha256').update(name).digest('hex');
    const meta = JSON.parse(readFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: string } };
    };
    return meta.Endpoints?.docker?.Host;
  } catch {
    return undefined;
  }
}

/** docker-modem also reads DOCKER_HOST itself; these keys make the explicit socket win. */
function socketOptions(socketPath: string): Docker.DockerOptions {
  return { socketPath, host: undefined, port: undefined, protocol: undefined };
}

function defaultSocket(): string {
  if (process.platform === 'win32') return '//./pipe/docker_engine';
  const user = join(homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(user) ? user : '/var/run/docker.sock';
}

/** Parses the engine address; throws SandboxError('invalid-request') for one that cannot be used. */
export function resolveEndpoint(env: NodeJS.ProcessEnv = process.env): {
  endpoint: DockerEndpoint;
  options: Docker.DockerOptions;
} {
  const host = env.DOCKER_HOST?.trim() || contextHost(env);
  if (!host) {
    const socketPath = defaultSocket();
    const kind = socketPath.startsWith('//./pipe/') ? 'npipe' : 'unix';
    return { endpoint: { kind, address: socketPath, local: true }, options: socketOptions(socketPath) };
  }
  if (host.startsWith('unix://') || host.startsWith('npipe://')) {
    const kind = host.startsWith('unix://') ? 'unix' : 'npipe';
    const socketPath = host.slice(kind === 'unix' ? 7 : 8) || defaultSocket();
    return { endpoint: { kind, address: socketPath, local: true }, options: socketOptions(socketPath) };
  }
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    throw new SandboxError(
      'invalid-request',
      `DOCKER_HOST=${host} is not a valid engine address.`,
      'Use unix:///path/to/docker.sock, tcp://HOST:2376 or ssh://user@host, or unset DOCKER_HOST.',
    );
  }
  if (url.protocol === 'ssh:') {
    return {
      endpoint: { kind: 'ssh', address: host, local: false },
      options: {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port || 22,
        username: decodeURIComponent(url.username) || undefined,
        sshOptions: { agent: env.SSH_AUTH_SOCK },
      } as Docker.DockerOptions,
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SandboxError(
      'invalid-request',
      `DOCKER_HOST=${host} uses an unsupported scheme ${url.protocol}`,
      'Use unix://, tcp:// or ssh://.',
    );
  }
  const tls = env.DOCKER_TLS_VERIFY === '1' || url.protocol === 'https:' || url.port === '2376';
  const options: Docker.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (tls ? 2376 : 2375),
  };
  if (tls && env.DOCKER_CERT_PATH) {
    try {
      options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
      options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
      options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
    } catch (e) {
      throw new SandboxError(
        'invalid-request',
        `Cannot read the TLS certificates in DOCKER_CERT_PATH=${env.DOCKER_CERT_PATH}: ${(e as Error).message}`,
        'Fix DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or unset DOCKER_TLS_VERIFY.',
      );
    }
  }
  return { endpoint: { kind: 'tcp', address: host, local: false }, options };
}

export interface DockerConnection {
  docker: Docker;
  endpoint: DockerEndpoint;
}

const cache = new Map<string, DockerConnection>();

/** One client per engine address per process (keeps HTTP connections warm between runs). */
export function connectDocker(env: NodeJS.ProcessEnv = process.env): DockerConnection {
  const { endpoint, options } = resolveEndpoint(env);
  const key = `${endpoint.kind}:${endpoint.address}`;
  let c = cache.get(key);
  if (!c) {
    c = { docker: new Docker(options), endpoint };
    cache.set(key, c);
  }
  return c;
}
