import { connectDocker } from '../sandbox/dockerClient';
import { classifyDockerError, withDeadline } from '../sandbox/errors';
import { sweepExpired } from '../sandbox/sweep';
import type { DockerState } from './statusItem';

/**
 * Asks the engine for its version (for the status item) and, when it answers, removes Sandbox Guard
 * containers left behind by an extension host that died mid-run. Never throws.
 */
export async function probeDocker(): Promise<DockerState> {
  let conn;
  try {
    conn = connectDocker();
  } catch (e) {
    return { reachable: false, why: e instanceof Error ? e.message : String(e) };
  }
  try {
    const v = (await withDeadline(conn.docker.version(), 5000, 'docker version')) as { Version?: string };
    void sweepExpired(conn).catch(() => undefined);
    return { reachable: true, version: v.Version };
  } catch (e) {
    return { reachable: false, why: classifyDockerError(e, conn.endpoint).message };
  }
}
