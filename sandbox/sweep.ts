// Removes Sandbox Guard containers (and their volumes and staging dirs) whose deadline has passed: the
// process that started them died before its `finally` ran (VS Code can kill the extension host mid-run).
// Containers of runs still within their deadline, from this or another process, are never touched.
import { sweepStagingDirs } from './codeDelivery';
import type { DockerConnection } from './dockerClient';
import { LABELS } from './hardening';

export interface SweepReport {
  containers: number;
  volumes: number;
  dirs: number;
}

export async function sweepExpired(conn: DockerConnection, now = Date.now()): Promise<SweepReport> {
  const report: SweepReport = { containers: 0, volumes: 0, dirs: 0 };
  const list = await conn.docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=1`] } });
  await Promise.all(
    list.map(async (c) => {
      const deadline = Number(c.Labels?.[LABELS.deadline]);
      // A managed container without a readable deadline cannot be a live run of ours: remove it too.
      if (Number.isFinite(deadline) && deadline > now) return;
      try {
        await conn.docker.getContainer(c.Id).remove({ force: true, v: true });
        report.containers++;
      } catch {
        // Already gone, or being removed by its owner.
      }
    }),
  );
  try {
    const vols = await conn.docker.listVolumes({
      filters: { label: [`${LABELS.managed}=1`], dangling: ['true'] },
    });
    for (const v of vols.Volumes ?? []) {
      await conn.docker
        .getVolume(v.Name)
        .remove()
        .then(
          () => report.volumes++,
          () => {},
        );
    }
  } catch {
    // Listing volumes is best effort.
  }
  if (conn.endpoint.local) report.dirs = await sweepStagingDirs(now);
  return report;
}

const lastSweep = new WeakMap<DockerConnection, number>();

/** Sweeps at most once per `intervalMs` per connection, in the background; never throws. */
export function sweepSoon(conn: DockerConnection, intervalMs = 60_000): void {
  const now = Date.now();
  if ((lastSweep.get(conn) ?? 0) + intervalMs > now) return;
  lastSweep.set(conn, now);
  sweepExpired(conn, now).catch(() => {});
}
