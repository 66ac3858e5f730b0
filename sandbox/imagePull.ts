// Pulls a missing image, reporting aggregate progress (bytes over all layers) as it goes.
import type Docker from 'dockerode';
import { engineMessage, imageMissingError } from './errors';

export interface PullProgress {
  image: string;
  /** The latest status line from the engine (`Downloading`, `Extracting`, `Pull complete`...). */
  text: string;
  /** Bytes downloaded and expected over the layers seen so far (undefined until sizes are known). */
  current?: number;
  total?: number;
}

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

export async function pullImage(
  docker: Docker,
  image: string,
  onProgress: (p: PullProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.pull(image, { abortSignal: signal })) as NodeJS.ReadableStream;
  } catch (e) {
    throw imageMissingError(image, engineMessage(e));
  }
  const layers = new Map<string, { current: number; total: number }>();
  const onEvent = (ev: PullEvent) => {
    if (ev.id && ev.status === 'Downloading' && ev.progressDetail?.total) {
      layers.set(ev.id, { current: ev.progressDetail.current ?? 0, total: ev.progressDetail.total });
    } else if (ev.id && (ev.status === 'Download complete' || ev.status === 'Pull complete')) {
      const l = layers.get(ev.id);
      if (l) l.current = l.total;
    }
    let current = 0;
    let total = 0;
    for (const l of layers.values()) {
      current += l.current;
      total += l.total;
    }
    const text = [ev.id, ev.status].filter(Boolean).join(': ');
    try {
      onProgress(total > 0 ? { image, text, current, total } : { image, text });
    } catch {
      // A failing progress display must not fail the pull.
    }
  };
  // The engine reports failures mid-stream as {"error": ...} lines with HTTP 200, so read every line.
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    let failure: string | undefined;
    let done = false;
    const finish = (err?: string) => {
      if (done) return;
      done = true;
      if (err) reject(imageMissingError(image, err));
      else resolve();
    };
    stream.on('data', (chunk: Buffer | string) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let ev: PullEvent;
        try {
          ev = JSON.parse(line) as PullEvent;
        } catch {
          continue;
        }
        if (ev.error || ev.errorDetail?.message) failure ??= ev.errorDetail?.message ?? ev.error;
        else onEvent(ev);
      }
    });
    stream.on('error', (e: Error) => finish(engineMessage(e)));
    stream.on('end', () => finish(failure));
    stream.on('close', () => finish(failure ?? (done ? undefined : 'the pull stream closed early')));
  });
}
