// The sweep removes Sandbox Guard containers whose deadline passed (their process died mid-run) and leaves
// live runs alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { hardenedCreateOptions, LABELS } from '../../sandbox/hardening';
import { DEFAULT_LIMITS } from '../../sandbox/limits';
import { sweepExpired } from '../../sandbox/sweep';
import { needDocker, PYTHON_IMAGE, suiteActor } from './dockerEnv';

async function orphan(deadline: number): Promise<string> {
  const body = hardenedCreateOptions({
    image: PYTHON_IMAGE,
    argv: ['python3', '-c', 'import time; time.sleep(600)'],
    limits: DEFAULT_LIMITS,
    code: { kind: 'volume' },
    labels: { [LABELS.deadline]: String(deadline), [LABELS.client]: suiteActor('sweep') },
  });
  // Created (not started) the way a runner that died right after create would leave it.
  const c = await connectDocker().docker.createContainer(
    body as unknown as import('dockerode').ContainerCreateOptions,
  );
  return c.id;
}

test('expired containers and their volumes are removed; live ones stay', async (t) => {
  if (!(await needDocker(t))) return;
  const conn = connectDocker();
  const expired = await orphan(Date.now() - 1000);
  const live = await orphan(Date.now() + 600_000);
  try {
    const volumeName = (await conn.docker.getContainer(expired).inspect()).Mounts[0]?.Name;
    assert.ok(volumeName, 'the orphan has its code volume');
    const report = await sweepExpired(conn);
    assert.ok(report.containers >= 1);
    await assert.rejects(conn.docker.getContainer(expired).inspect(), /no such container/i);
    await assert.rejects(conn.docker.getVolume(volumeName).inspect(), /no such volume/i);
    const still = await conn.docker.getContainer(live).inspect();
    assert.equal(still.Id, live);
  } finally {
    await conn.docker
      .getContainer(live)
      .remove({ force: true, v: true })
      .catch(() => {});
    await conn.docker
      .getContainer(expired)
      .remove({ force: true, v: true })
      .catch(() => {});
  }
});
