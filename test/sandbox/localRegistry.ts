// A read-only Docker registry (distribution API v2, plain HTTP) on 127.0.0.1 serving one image exported
// with `docker save`, so a real pull with real progress can be exercised without leaving the machine.
// The engine treats 127.0.0.0/8 registries as insecure by default, so plain HTTP is accepted.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRegistry {
  /** `127.0.0.1:PORT/NAME:TAG`, pullable by the engine. */
  image: string;
  close(): Promise<void>;
}

function sha256File(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** A one-file layer tar (uncompressed); its digest is also its diff id. */
function extraLayer(path: string, bytes: number): void {
  const data = randomBytes(bytes);
  const h = Buffer.alloc(512);
  h.write('sandbox-guard-pull-test', 0, 'ascii');
  h.write('0000444\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${bytes.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    'ascii',
  );
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  writeFileSync(
    path,
    Buffer.concat([h, data, Buffer.alloc((512 - (bytes % 512)) % 512), Buffer.alloc(1024)]),
  );
}

/**
 * Serves `source` plus one fresh layer of `extraBytes` random bytes, so the engine has something new to
 * download (and reports byte progress) even though the base layer is already present.
 */
export async function serveImage(
  source: string,
  name: string,
  tag: string,
  extraBytes = 4 << 20,
): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-registry-'));
  const saved = spawnSync('sh', ['-c', 'docker save "$1" | tar -x -C "$2"', 'sh', source, dir], {
    encoding: 'utf8',
  });
  if (saved.status !== 0) throw new Error(`docker save ${source} failed: ${saved.stderr}`);
  const [entry] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    Config: string;
    Layers: string[];
  }[];
  const blobs = new Map<string, string>();
  const describe = (file: string, mediaType: string) => {
    const path = join(dir, file);
    const digest = sha256File(path);
    blobs.set(digest, path);
    return { mediaType, size: statSync(path).size, digest };
  };
  extraLayer(join(dir, 'extra.tar'), extraBytes);
  const config = JSON.parse(readFileSync(join(dir, entry.Config), 'utf8')) as {
    rootfs: { diff_ids: string[] };
    history?: { created_by?: string }[];
  };
  config.rootfs.diff_ids.push(sha256File(join(dir, 'extra.tar')));
  config.history?.push({ created_by: 'sandbox-guard test layer' });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: describe('config.json', 'application/vnd.docker.container.image.v1+json'),
    // Uncompressed layers: the engine detects the compression itself, and the digest equals the diff id.
    layers: [...entry.Layers, 'extra.tar'].map((l) =>
      describe(l, 'application/vnd.docker.image.rootfs.diff.tar.gzip'),
    ),
  });
  const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;

  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    const head = req.method === 'HEAD';
    if (url === '/v2/' || url === '/v2') {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Docker-Distribution-API-Version': 'registry/2.0',
      });
      return res.end(head ? undefined : '{}');
    }
    if (url === `/v2/${name}/manifests/${tag}` || url === `/v2/${name}/manifests/${manifestDigest}`) {
      res.writeHead(200, {
        'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json',
        'Docker-Content-Digest': manifestDigest,
        'Content-Length': Buffer.byteLength(manifest),
      });
      return res.end(head ? undefined : manifest);
    }
    const blob = url.startsWith(`/v2/${name}/blobs/`)
      ? blobs.get(url.slice(`/v2/${name}/blobs/`.length))
      : undefined;
    if (blob) {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': statSync(blob).size,
        'Docker-Content-Digest': url.slice(url.lastIndexOf('/') + 1),
      });
      if (head) return res.end();
      return createReadStream(blob).pipe(res);
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: `not here: ${url}` }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    image: `127.0.0.1:${port}/${name}:${tag}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
