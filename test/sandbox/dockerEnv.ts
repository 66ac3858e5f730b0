// Shared setup for the suites that drive the real Docker engine: whether one answers (else the suites skip
// with the reason, or fail under SANDBOX_GUARD_REQUIRE_DOCKER=1 as CI sets it), the offline test images
// (built by scripts/test-images.sh), policies, and a sink that records everything.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Policy } from '../../core/policy';
import { loadEffectivePolicy } from '../../runtime/effectivePolicy';
import { connectDocker } from '../../sandbox/dockerClient';
import { LABELS } from '../../sandbox/hardening';
import type { RunSink, RunStatus } from '../../sandbox/types';

export const PYTHON_IMAGE =
  process.env.SANDBOX_GUARD_TEST_PYTHON_IMAGE ?? 'sandbox-guard-test/python:bookworm';
export const NODE_IMAGE = process.env.SANDBOX_GUARD_TEST_NODE_IMAGE ?? 'sandbox-guard-test/node:bookworm';
const REQUIRED = process.env.SANDBOX_GUARD_REQUIRE_DOCKER === '1';

let probe: Promise<string | undefined> | undefined;

/** undefined when the engine answers and both test images exist; otherwise why not. */
function dockerProblem(): Promise<string | undefined> {
  probe ??= (async () => {
    try {
      const { docker } = connectDocker();
      const ping = docker.ping();
      const timeout = new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error('no answer in 10 s')), 10_000).unref(),
      );
      await Promise.race([ping, timeout]);
    } catch (e) {
      return `no Docker engine answers (${(e as Error).message}); run .ci/docker.sh`;
    }
    for (const image of [PYTHON_IMAGE, NODE_IMAGE]) {
      try {
        await connectDocker().docker.getImage(image).inspect();
      } catch {
        return `test image ${image} is missing; run scripts/test-images.sh`;
      }
    }
    return undefined;
  })();
  return probe;
}

/** Call first in every Docker test: returns false (test skipped) when Docker is unavailable and not required. */
export async function needDocker(t: TestContext): Promise<boolean> {
  const problem = await dockerProblem();
  if (!problem) return true;
  if (REQUIRED) throw new Error(`SANDBOX_GUARD_REQUIRE_DOCKER=1 but ${problem}`);
  t.skip(problem);
  return false;
}

const policyDir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-policy-'));

export function policyFromJson(name: string, json: object): { policy: Policy; source: string } {
  const file = join(policyDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, ...json }));
  const eff = loadEffectivePolicy({ policyFile: file });
  if (eff.problems.length > 0) throw new Error(`test policy ${name}: ${JSON.stringify(eff.problems)}`);
  return { policy: eff.policy, source: eff.source };
}

/** Reports everything and blocks nothing, for tests about the container rather than the gate. */
export function permissivePolicy(): Policy {
  return policyFromJson('test-permissive', { severity_threshold: 'SAFE' }).policy;
}

export interface RecordingSink extends RunSink {
  out: string;
  err: string;
  events: RunStatus[];
  /** Interleaving as received, `O:`/`E:` tagged, for ordering checks. */
  chunks: string[];
  /** Everything in arrival order: `O`, `E`, or `S:<status kind>`. */
  order: string[];
}

export function recordingSink(
  onStatus?: (e: RunStatus) => void,
  onOutput?: (text: string) => void,
): RecordingSink {
  const s: RecordingSink = {
    out: '',
    err: '',
    events: [],
    chunks: [],
    order: [],
    stdout(t) {
      s.out += t;
      s.chunks.push(`O:${t}`);
      s.order.push('O');
      onOutput?.(t);
    },
    stderr(t) {
      s.err += t;
      s.chunks.push(`E:${t}`);
      s.order.push('E');
      onOutput?.(t);
    },
    status(e) {
      s.events.push(e);
      s.order.push(`S:${e.kind}`);
      onStatus?.(e);
    },
  };
  return s;
}

/** The actor label for a suite, so its after-hook can find containers it may have left behind. */
export function suiteActor(suite: string): string {
  return `test:sandbox:${suite}`;
}

/** Sandbox Guard containers (any state) created by runs with this actor. */
export async function leftoverContainers(actor?: string): Promise<string[]> {
  const filters = { label: [`${LABELS.managed}=1`, ...(actor ? [`${LABELS.client}=${actor}`] : [])] };
  const list = await connectDocker().docker.listContainers({ all: true, filters });
  return list
    .filter((c) => !actor || c.Labels[LABELS.client] === actor)
    .map((c) => `${c.Id.slice(0, 12)} ${c.State}`);
}

/** Polls until `check` returns true or the deadline passes (never a fixed sleep). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
