// The policy gate in front of the runner: refusals list the blocking findings and create nothing; an
// override runs and is audited, and is itself refused when it cannot be audited.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { checkRunGate } from '../../sandbox/gate';
import { startRun } from '../../sandbox/runner';
import type { RunnerOptions, RunRequest } from '../../sandbox/types';
import {
  leftoverContainers,
  needDocker,
  policyFromJson,
  PYTHON_IMAGE,
  recordingSink,
  suiteActor,
} from './dockerEnv';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-gate-'));
const ACTOR = suiteActor('gate');
const { policy, source } = policyFromJson('test-gate', {
  severity_threshold: 'MEDIUM',
  restricted_modules: [{ name: 'socket', description: 'network access', severity: 'HIGH' }],
  patterns: [
    { id: 'low-marker', pattern: '\\bLOW_MARKER\\b', description: 'a low-severity marker', severity: 'LOW' },
  ],
});
const BLOCKED_CODE = 'print("before")\nimport socket\nsocket.socket()\n';

function readAudit(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function gated(req: Partial<RunRequest>, options: RunnerOptions) {
  const sink = recordingSink();
  const handle = startRun(
    {
      code: BLOCKED_CODE,
      languageId: 'python',
      image: PYTHON_IMAGE,
      policy,
      policySource: source,
      fileName: 'agent.py',
      ...req,
    },
    sink,
    { actor: ACTOR, pull: 'never', ...options },
  );
  return { result: await handle.result, sink };
}

test('checkRunGate blocks on a blocking finding and lets non-blocking ones through', async () => {
  const blocked = await checkRunGate(BLOCKED_CODE, policy, { languageId: 'python' });
  assert.equal(blocked.blocked, true);
  assert.equal(blocked.allowed, false);
  assert.ok(blocked.blocking.some((f) => f.ruleId.includes('socket')));
  const forced = await checkRunGate(BLOCKED_CODE, policy, { languageId: 'python', force: true });
  assert.equal(forced.allowed, true);
  assert.equal(forced.overridden, true);
  const low = await checkRunGate('LOW_MARKER = 1\n', policy, { languageId: 'python' });
  assert.equal(low.blocked, false);
  assert.equal(low.allowed, true);
  assert.equal(low.findings.length, 1);
  assert.equal(low.blocking.length, 0);
});

test('a blocked run is refused with its findings, creates no container, and is audited', async () => {
  const log = join(dir, 'refused.jsonl');
  // An unreachable engine proves the refusal happens before any engine call.
  const connection = connectDocker({ DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` });
  const { result, sink } = await gated({}, { connection, audit: { path: log } });
  assert.equal(result.reason, 'blocked');
  assert.equal(result.exitCode, null);
  assert.equal(result.gate.blocked, true);
  assert.equal(result.gate.overridden, false);
  assert.ok(result.gate.blocking.length >= 1);
  assert.match(result.refusal ?? '', /^Run refused by the policy: \d+ blocking finding/);
  assert.match(result.refusal ?? '', /agent\.py:2:\d+ HIGH \S*socket\S*: /);
  assert.equal(sink.out, '');
  assert.ok(!sink.events.some((e) => e.kind === 'started'));
  const [entry] = readAudit(log);
  assert.equal(entry.verdict, 'refused');
  assert.equal(entry.reason, 'blocked');
  assert.equal(entry.file, 'agent.py');
  assert.equal(entry.sha256, createHash('sha256').update(BLOCKED_CODE).digest('hex'));
  assert.equal(entry.policy, 'test-gate');
  assert.equal(entry.policySource, source);
  const findings = entry.findings as {
    blocking: number;
    rules: string[];
    bySeverity: Record<string, number>;
  };
  assert.ok(findings.blocking >= 1);
  assert.ok(findings.rules.some((r) => r.includes('socket')));
  assert.ok((findings.bySeverity.HIGH ?? 0) >= 1);
  assert.equal(entry.exitCode, null);
});

test('an override runs the blocked code and is recorded, even with ordinary logging off', async (t) => {
  if (!(await needDocker(t))) return;
  const log = join(dir, 'override.jsonl');
  const { result, sink } = await gated({ force: true }, { audit: { path: log, enabled: false } });
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  assert.equal(result.reason, 'exit');
  assert.equal(result.exitCode, 0);
  assert.equal(sink.out, 'before\n');
  assert.equal(result.gate.overridden, true);
  const entries = readAudit(log);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].verdict, 'overridden');
  assert.equal(entries[0].exitCode, 0);
  assert.equal(entries[0].actor, ACTOR);
  // With logging off, an ordinary run leaves no line.
  const quiet = join(dir, 'quiet.jsonl');
  const clean = await gated({ code: 'print(2)\n' }, { audit: { path: quiet, enabled: false } });
  assert.equal(clean.result.reason, 'exit');
  assert.equal(existsSync(quiet), false);
  assert.deepEqual(await leftoverContainers(ACTOR), []);
});

test('an override that cannot be audited is refused', async () => {
  const connection = connectDocker({ DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` });
  // /dev/null is a file, so nothing can be created under it (this holds for root too).
  const { result } = await gated({ force: true }, { connection, audit: { path: '/dev/null/audit.jsonl' } });
  assert.equal(result.reason, 'error');
  assert.equal(result.error?.code, 'audit-unavailable');
  assert.match(result.error?.message ?? '', /override was refused/);
});

test('non-blocking findings do not stop the run and are reported with it', async (t) => {
  if (!(await needDocker(t))) return;
  const { result, sink } = await gated(
    { code: 'LOW_MARKER = 1\nprint("ran")\n' },
    { audit: { path: join(dir, 'low.jsonl') } },
  );
  assert.equal(result.reason, 'exit');
  assert.equal(sink.out, 'ran\n');
  assert.equal(result.gate.blocked, false);
  assert.equal(result.gate.findings.length, 1);
  const [entry] = readAudit(join(dir, 'low.jsonl'));
  assert.equal(entry.verdict, 'ran');
  assert.equal((entry.findings as { total: number }).total, 1);
});
