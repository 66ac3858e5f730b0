// Each way the engine can be unusable ends in one clear, typed error with a next step, and nothing crashes.
// The daemon is never stopped: DOCKER_HOST points at a socket that does not exist, a file that is not a
// socket, or a closed loopback port.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { startRun } from '../../sandbox/runner';
import type { RunnerOptions, RunRequest, RunResult } from '../../sandbox/types';
import { needDocker, permissivePolicy, PYTHON_IMAGE, recordingSink, suiteActor } from './dockerEnv';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-errors-'));
process.env.SANDBOX_GUARD_AUDIT_LOG = join(dir, 'audit.jsonl');

async function runWith(
  req: Partial<RunRequest>,
  options: RunnerOptions,
): Promise<{ result: RunResult; out: string }> {
  const sink = recordingSink();
  const handle = startRun(
    {
      code: 'print("should not run")\n',
      languageId: 'python',
      image: PYTHON_IMAGE,
      policy: permissivePolicy(),
      ...req,
    },
    sink,
    { actor: suiteActor('errors'), ...options },
  );
  const result = await handle.result;
  return { result, out: sink.out };
}

function assertError(result: RunResult, codes: string[], mention: string | RegExp): void {
  assert.equal(result.reason, 'error');
  assert.equal(result.exitCode, null);
  assert.ok(result.error, 'no error info');
  assert.ok(codes.includes(result.error.code), `code ${result.error.code}, expected ${codes.join('|')}`);
  if (typeof mention === 'string') assert.ok(result.error.message.includes(mention), result.error.message);
  else assert.match(result.error.message, mention);
  assert.ok(result.error.hint.length > 10, 'a next step is given');
}

test('daemon unreachable: the socket does not exist', async () => {
  const socket = join(dir, 'missing', 'docker.sock');
  const { result, out } = await runWith(
    {},
    { connection: connectDocker({ DOCKER_HOST: `unix://${socket}` }) },
  );
  assertError(result, ['daemon-not-running', 'docker-not-installed'], socket);
  assert.equal(out, '');
});

test('daemon unreachable: the path is not a listening socket', async () => {
  const socket = join(dir, 'not-a-socket');
  writeFileSync(socket, '');
  const { result } = await runWith({}, { connection: connectDocker({ DOCKER_HOST: `unix://${socket}` }) });
  assertError(result, ['daemon-not-running'], socket);
  assert.match(result.error!.hint, /Start Docker/);
});

test('remote engine unreachable', async () => {
  const { result } = await runWith({}, { connection: connectDocker({ DOCKER_HOST: 'tcp://127.0.0.1:1' }) });
  assertError(result, ['remote-unreachable'], '127.0.0.1:1');
  assert.match(result.error!.hint, /DOCKER_HOST/);
});

test('requests that cannot run are refused before any engine call', async () => {
  const unreachable = connectDocker({ DOCKER_HOST: `unix://${join(dir, 'never-used.sock')}` });
  const { result: lang } = await runWith(
    { languageId: 'cobol', image: undefined },
    { connection: unreachable },
  );
  assertError(lang, ['unsupported-language'], 'cobol');
  const { result: limits } = await runWith({ limits: { memoryBytes: 1 } }, { connection: unreachable });
  assertError(limits, ['invalid-request'], 'memoryBytes');
  const { result: root } = await runWith({}, { connection: unreachable, user: '0:0' });
  assertError(root, ['invalid-request'], 'root');
});

test('a missing image with pulling disabled names the image and how to supply it', async (t) => {
  if (!(await needDocker(t))) return;
  const image = 'sandbox-guard-test/absent:never';
  const { result } = await runWith({ image }, { pull: 'never' });
  assertError(result, ['image-missing'], image);
  assert.match(result.error!.hint, /docker pull .*docker load/);
});

test('a missing image that cannot be pulled (registry unreachable) is one clear error', async (t) => {
  if (!(await needDocker(t))) return;
  // A registry on a closed loopback port: the pull fails at once and nothing leaves the machine.
  const image = '127.0.0.1:9/sandbox-guard-test/absent:1';
  const sink = recordingSink();
  const handle = startRun(
    { code: 'print(1)\n', languageId: 'python', image, policy: permissivePolicy() },
    sink,
    { actor: suiteActor('errors'), pull: 'missing' },
  );
  const result = await handle.result;
  assertError(result, ['image-missing'], image);
  assert.match(result.error!.message, /could not be pulled/);
});
