import type { Services } from '../services';

/** Restarts the language server (queued behind any restart already running). */
export async function restartServer(s: Services): Promise<void> {
  await s.server.restart('Restart Server command');
}
