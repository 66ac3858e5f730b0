import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageFromPath } from '../core/languages/registry';

export interface InputFile {
  /** As given on the command line (or `-` for stdin), joined with the walked subpath. */
  path: string;
  text: string;
  languageId: string;
}

const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  'dist',
  'build',
  '.tox',
]);
/** Files found by walking a directory are skipped above this size; named files are always checked. */
const MAX_WALKED_BYTES = 5 * 1024 * 1024;

function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** Expands the PATH arguments: directories recursively (known languages only), `-` as stdin. */
export function collectFiles(
  paths: string[],
  language: string | undefined,
  readStdin: () => string,
): InputFile[] {
  const out: InputFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(p);
      } else if (st.isFile() && st.size <= MAX_WALKED_BYTES) {
        const buf = readFileSync(p);
        if (looksBinary(buf)) continue;
        const text = buf.toString('utf8');
        const languageId = language ?? languageFromPath(p, firstLine(text));
        if (languageId !== 'plaintext') out.push({ path: p, text, languageId });
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      const text = readStdin();
      out.push({ path: '-', text, languageId: language ?? languageFromPath('', firstLine(text)) });
      continue;
    }
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new UsageError(`${p}: no such file or directory`);
    if (st.isDirectory()) walk(p);
    else {
      const buf = readFileSync(p);
      const text = buf.toString('utf8');
      // A binary file is not source code: parsing noise as Python costs seconds and gigabytes for nothing.
      // Only patterns without a language list still apply to it.
      const languageId = looksBinary(buf) ? 'binary' : (language ?? languageFromPath(p, firstLine(text)));
      out.push({ path: p, text, languageId });
    }
  }
  return out;
}

/** A command-line mistake: printed with the usage hint, exit status 2. */
export class UsageError extends Error {}
