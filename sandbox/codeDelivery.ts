// Gets the editor's text (never the workspace, never the user's file) into the container, read-only.
// Local engine: a fresh private temp dir (0700) holding a 0555 dir with a 0444 copy, bind-mounted read-only.
// Remote engine (no shared filesystem): a tar of the same, put into the container's anonymous volume before
// start. The temp dir name carries the run's deadline so a sweep can delete it if this process dies.
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'sandbox-guard-';

export interface StagedCode {
  /** The 0555 directory to bind at /sandbox. */
  dir: string;
  cleanup(): Promise<void>;
}

async function removeTree(base: string): Promise<void> {
  // The inner dir is read-only; a non-root owner must make it writable before its entries can go.
  await chmod(join(base, 'code'), 0o700).catch(() => {});
  await rm(base, { recursive: true, force: true });
}

export async function stageCodeDir(
  fileName: string,
  code: string,
  deadlineMs: number,
  root = tmpdir(),
): Promise<StagedCode> {
  const base = await mkdtemp(join(root, `${PREFIX}${deadlineMs}-`));
  try {
    const dir = join(base, 'code');
    await mkdir(dir, { mode: 0o700 });
    // 'wx': never follow or overwrite anything that might already be there.
    await writeFile(join(dir, fileName), code, { mode: 0o444, flag: 'wx' });
    await chmod(join(dir, fileName), 0o444);
    await chmod(dir, 0o555);
    return { dir, cleanup: () => removeTree(base) };
  } catch (e) {
    await removeTree(base);
    throw e;
  }
}

/** Deletes staging dirs whose run deadline has passed (their process died before cleaning up). */
export async function sweepStagingDirs(now = Date.now(), root = tmpdir()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^sandbox-guard-(\d+)-[A-Za-z0-9]+$/.exec(name);
    if (m && Number(m[1]) < now) {
      await removeTree(join(root, name)).then(
        () => removed++,
        () => {},
      );
    }
  }
  return removed;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, mode: number, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A tar with `./` (0555) and `./NAME` (0444), both owned by root: unwritable by the non-root program. */
export function codeTarball(fileName: string, code: string, now = Date.now()): Buffer {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(fileName))
    throw new RangeError(`bad file name ${JSON.stringify(fileName)}`);
  const data = Buffer.from(code, 'utf8');
  const mtime = Math.floor(now / 1000);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([
    tarHeader('./', 0o555, 0, '5', mtime),
    tarHeader(`./${fileName}`, 0o444, data.length, '0', mtime),
    data,
    pad,
    Buffer.alloc(1024),
  ]);
}
