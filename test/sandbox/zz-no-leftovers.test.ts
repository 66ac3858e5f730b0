// Runs last among the sandbox suites (files run in name order): after them, no Sandbox Guard container may
// remain. Only a live run of a real user (the extension or an MCP client, still before its deadline) is
// tolerated, so this can run on a developer machine too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { LABELS } from '../../sandbox/hardening';
import { needDocker } from './dockerEnv';

test('no Sandbox Guard container is left after the suites', async (t) => {
  if (!(await needDocker(t))) return;
  const list = await connectDocker().docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.managed}=1`] },
  });
  const leaked = list.filter((c) => {
    const client = c.Labels[LABELS.client] ?? '';
    const live = c.State === 'running' && Number(c.Labels[LABELS.deadline]) > Date.now();
    return !(live && (client === 'vscode' || client.startsWith('mcp')));
  });
  assert.deepEqual(
    leaked.map((c) => `${c.Id.slice(0, 12)} ${c.State} ${c.Labels[LABELS.client]}`),
    [],
  );
  const volumes = await connectDocker().docker.listVolumes({
    filters: { label: [`${LABELS.managed}=1`], dangling: ['true'] },
  });
  assert.deepEqual(
    (volumes.Volumes ?? []).map((v) => v.Name),
    [],
    'code volumes left behind',
  );
});
