// A minimal scenario runner for inside the extension host. Each scenario runs in order; results go to the
// JSON file named by SANDBOX_GUARD_E2E_RESULTS, where the outer node:test file (test/e2e/vscode.test.ts)
// turns them into one reported test each.
import { writeFileSync } from 'node:fs';

export interface ScenarioResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
  skipped?: string;
}

type Session = 'trusted' | 'untrusted' | 'installed';

interface Scenario {
  name: string;
  session: Session;
  fn: () => Promise<void>;
}

const scenarios: Scenario[] = [];

/** Thrown (via `skip()`) when a scenario cannot run here, with the reason. */
export class SkipScenario extends Error {}

export function skip(reason: string): never {
  throw new SkipScenario(reason);
}

export function scenario(name: string, fn: () => Promise<void>, session: Session = 'trusted'): void {
  scenarios.push({ name, session, fn });
}

export const log = (text: string): void => console.log(`[sg-e2e] ${text}`);

/** Runs after every scenario, pass or fail, so one failure does not cascade into the next scenario. */
export async function runScenarios(afterEach: () => Promise<void> = async () => {}): Promise<void> {
  const session = (process.env.SANDBOX_GUARD_E2E_SESSION ?? 'trusted') as Session;
  const grep = process.env.SANDBOX_GUARD_E2E_GREP;
  const results: ScenarioResult[] = [];
  log(`session ${session}: extension active, running scenarios`);
  const save = (): void => {
    const file = process.env.SANDBOX_GUARD_E2E_RESULTS;
    if (file) writeFileSync(file, JSON.stringify(results, null, 2));
  };
  for (const s of scenarios.filter((x) => x.session === session && (!grep || x.name.includes(grep)))) {
    const started = Date.now();
    try {
      await s.fn();
      results.push({ name: s.name, ok: true, ms: Date.now() - started });
      log(`ok   ${s.name} (${Date.now() - started} ms)`);
    } catch (e) {
      if (e instanceof SkipScenario) {
        results.push({ name: s.name, ok: true, ms: Date.now() - started, skipped: e.message });
        log(`skip ${s.name}: ${e.message}`);
      } else {
        const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
        results.push({ name: s.name, ok: false, ms: Date.now() - started, error });
        log(`FAIL ${s.name}: ${error}`);
      }
    }
    await afterEach().catch((e: unknown) => log(`cleanup after ${s.name} failed: ${String(e)}`));
    save();
  }
  save();
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} scenario(s) failed`);
}
