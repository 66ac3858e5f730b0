// A missing image is pulled with progress before the run (from a registry on 127.0.0.1 that serves the
// offline test image), and the run then proceeds as usual.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { startRun } from '../../sandbox/runner';
import type { RunStatus } from '../../sandbox/types';
import {
  leftoverContainers,
  needDocker,
  permissivePolicy,
  PYTHON_IMAGE,
  recordingSink,
  suiteActor,
} from './dockerEnv';
import { serveImage, type LocalRegistry } from './localRegistry';

const ACTOR = suiteActor('pull');
let registry: LocalRegistry | undefined;

after(async () => {
  if (registry) {
    await connectDocker()
      .docker.getImage(registry.image)
      .remove({ force: true })
      .catch(() => {});
    await registry.close();
  }
  assert.deepEqual(await leftoverContainers(ACTOR).catch(() => []), []);
});

test('a missing image is pulled with progress, then the run goes ahead', async (t) => {
  if (!(await needDocker(t))) return;
  registry = await serveImage(PYTHON_IMAGE, 'sandbox-guard-test/pulled', `t${Date.now()}`);
  const { docker } = connectDocker();
  await assert.rejects(
    docker.getImage(registry.image).inspect(),
    /no such image/i,
    'the image must start out missing',
  );

  const sink = recordingSink();
  const handle = startRun(
    {
      code: 'print("after the pull")\n',
      languageId: 'python',
      image: registry.image,
      policy: permissivePolicy(),
    },
    sink,
    { actor: ACTOR, pull: 'missing' },
  );
  const result = await handle.result;
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  assert.equal(result.reason, 'exit');
  assert.equal(sink.out, 'after the pull\n');

  const pulls = sink.events.filter((e): e is Extract<RunStatus, { kind: 'pulling' }> => e.kind === 'pulling');
  assert.ok(pulls.length > 0, 'no progress was reported');
  assert.ok(pulls.every((p) => p.image === registry!.image));
  const sized = pulls.filter((p) => p.total !== undefined);
  assert.ok(sized.length > 0, 'no byte progress was reported');
  assert.ok(sized.every((p) => (p.current ?? 0) <= p.total!));
  const startedAt = sink.events.findIndex((e) => e.kind === 'started');
  assert.ok(
    startedAt > sink.events.lastIndexOf(pulls[pulls.length - 1]),
    'the run started before the pull finished',
  );
  assert.ok(result.timings.pulled >= result.timings.pullStart);
  await docker.getImage(registry.image).inspect(); // present now
});
