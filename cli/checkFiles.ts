import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import { checkText } from '../core/engine';
import { grammarFor } from '../core/languages/registry';
import type { Policy } from '../core/policy';
import { loadParsers } from '../runtime/grammars';
import type { InputFile } from './files';
import { reportFile, type FileResult } from './report';

/** Below this much text a worker's start-up (bundle + grammars, ~0.1 s) costs more than it saves. */
const PARALLEL_MIN_CHARS = 1_000_000;
/** SANDBOX_GUARD_WORKERS caps the threads (1 = check in this thread only). */
const MAX_WORKERS = Number(process.env.SANDBOX_GUARD_WORKERS) || 4;

async function checkInProcess(files: InputFile[], policy: Policy): Promise<FileResult[]> {
  const grammars = new Set(files.map((f) => grammarFor(f.languageId)).filter((g) => g !== undefined));
  const parsers = await loadParsers([...grammars]);
  return files.map((f) => {
    const r = checkText(f.text, policy, { languageId: f.languageId, parsers, timeBudgetMs: 10_000 });
    r.tree?.delete();
    delete r.tree;
    return reportFile(f.path, f.text, r);
  });
}

/** Splits files into `n` buckets of similar total size (largest first, each to the lightest bucket). */
function buckets(files: InputFile[], n: number): InputFile[][] {
  const out = Array.from({ length: n }, () => ({ size: 0, files: [] as InputFile[] }));
  for (const f of [...files].sort((a, b) => b.text.length - a.text.length)) {
    const b = out.reduce((min, x) => (x.size < min.size ? x : min));
    b.files.push(f);
    b.size += f.text.length;
  }
  return out.map((b) => b.files).filter((b) => b.length > 0);
}

/**
 * Checks files, on worker threads when there is enough work (tree-sitter parsing dominates and is
 * single-threaded per parser). Results keep the input order. Workers run this same bundle (dist/cli.js).
 */
export async function checkFiles(files: InputFile[], policy: Policy): Promise<FileResult[]> {
  const total = files.reduce((n, f) => n + f.text.length, 0);
  const n = Math.min(MAX_WORKERS, availableParallelism(), files.length);
  const bundled = __filename.endsWith('.js');
  if (!bundled || n < 2 || total < PARALLEL_MIN_CHARS) return checkInProcess(files, policy);
  const parts = await Promise.all(
    buckets(files, n).map(
      (bucket) =>
        new Promise<FileResult[]>((resolve, reject) => {
          const w = new Worker(__filename, { workerData: { sandboxGuardCheck: { files: bucket, policy } } });
          w.once('message', (r: FileResult[]) => resolve(r));
          w.once('error', reject);
          w.once('exit', (code) => {
            if (code !== 0) reject(new Error(`check worker exited with ${code}`));
          });
        }),
    ),
  );
  const flat = parts.flat();
  const order = new Map(files.map((f, i) => [f.path, i]));
  flat.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  return flat;
}

/** The worker side: true when this thread was started by checkFiles (and has done its work). */
export async function runCheckWorker(post: (r: FileResult[]) => void): Promise<boolean> {
  const job = (workerData as { sandboxGuardCheck?: { files: InputFile[]; policy: Policy } } | null)
    ?.sandboxGuardCheck;
  if (!job) return false;
  post(await checkInProcess(job.files, job.policy));
  return true;
}
