// Runs one VS Code session of scenarios (test/e2e/suite) and reports each scenario as a node:test subtest.
// @vscode/test-electron's runTests drives our launcher (scripts/e2e/vscode-cs.mjs) as if it were the VS Code
// executable: code-server + headless chromium, with the extension host running the scenarios.
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { missingPrerequisites, repoRoot } from '../../scripts/e2e/paths.mjs';
import type { ScenarioResult } from './suite/harness';

export type SessionName = 'trusted' | 'untrusted' | 'installed';

const missing = (): string[] => [
  ...missingPrerequisites(),
  ...['dist/client.js', 'dist/server.js']
    .filter((f) => !existsSync(join(repoRoot, f)))
    .map((f) => `${f} (npm run build)`),
];

/** Why the E2E tests skip here (undefined: they run). With SANDBOX_GUARD_REQUIRE_E2E=1 they never skip. */
export function e2eSkipReason(): string | undefined {
  const m = missing();
  if (m.length === 0 || process.env.SANDBOX_GUARD_REQUIRE_E2E === '1') return undefined;
  return `E2E toolchain missing: ${m.join(', ')}; run .ci/e2e.sh`;
}

const suiteBundle = join(repoRoot, 'out', 'e2e', 'suite.js');
let bundled: Promise<unknown> | undefined;

function bundleSuite(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [join(repoRoot, 'test/e2e/suite/index.ts')],
    outfile: suiteBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // As in scripts/build.mjs: ssh2's optional native helpers are not needed (dockerode is used for checks).
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return bundled;
}

/** User settings of the test profile: the offline test images, and an audit log inside the scratch dir. */
function userSettings(scratch: string): Record<string, unknown> {
  return {
    'sandboxGuard.run.images': {
      python: process.env.SANDBOX_GUARD_TEST_PYTHON_IMAGE ?? 'sandbox-guard-test/python:bookworm',
      javascript: process.env.SANDBOX_GUARD_TEST_NODE_IMAGE ?? 'sandbox-guard-test/node:bookworm',
    },
    'sandboxGuard.audit.file': join(scratch, 'audit.jsonl'),
    // The screenshot's hover opens below the line, so the code above it stays visible.
    'editor.hover.above': false,
  };
}

export interface SessionOptions {
  /** Fixture folder under test/e2e/fixtures, copied to a scratch dir. */
  fixture: string;
  /** What to open, relative to the copy (a folder or a .code-workspace file); default the copy itself. */
  open?: string;
  /** Extensions installed in the profile (the packaged-extension check); default none. */
  extensionsDir?: string;
  /** Loaded as the development extension; default this repository. */
  extensionDevelopmentPath?: string;
}

export async function runSession(t: TestContext, session: SessionName, o: SessionOptions): Promise<void> {
  const m = missing();
  if (m.length > 0) throw new Error(`E2E toolchain missing: ${m.join(', ')}; run .ci/e2e.sh`);
  await bundleSuite();
  const scratch = mkdtempSync(join(tmpdir(), `sg-e2e-${session}-`));
  const workspace = join(scratch, 'workspace');
  cpSync(join(repoRoot, 'test/e2e/fixtures', o.fixture), workspace, { recursive: true });
  const userDir = join(scratch, 'user');
  // code-server is a remote window: machine-scoped settings (images, limits, audit) are read from the
  // server machine's settings (Machine/), application-scoped ones (allowOverride) from the user's (User/).
  for (const dir of ['User', 'Machine']) {
    mkdirSync(join(userDir, dir), { recursive: true });
    writeFileSync(join(userDir, dir, 'settings.json'), JSON.stringify(userSettings(scratch), null, 2));
  }
  const resultsFile = join(scratch, 'results.json');
  let launchError: unknown;
  try {
    await runTests({
      vscodeExecutablePath: join(repoRoot, 'scripts/e2e/vscode-cs.mjs'),
      extensionDevelopmentPath: o.extensionDevelopmentPath ?? repoRoot,
      extensionTestsPath: suiteBundle,
      launchArgs: [
        join(workspace, o.open ?? ''),
        `--user-data-dir=${userDir}`,
        `--extensions-dir=${o.extensionsDir ?? join(scratch, 'extensions')}`,
      ],
      extensionTestsEnv: {
        SANDBOX_GUARD_E2E_SESSION: session,
        SANDBOX_GUARD_E2E_RESULTS: resultsFile,
        SANDBOX_GUARD_E2E_DOCS: process.env.SANDBOX_GUARD_E2E_DOCS ?? join(repoRoot, 'docs'),
        SANDBOX_GUARD_E2E_WORKSPACE_TRUST: session === 'untrusted' ? '1' : '0',
        SANDBOX_GUARD_E2E_ARTIFACTS: join(repoRoot, 'test-results', `e2e-${session}`),
        SANDBOX_GUARD_AUDIT_LOG: join(scratch, 'audit.jsonl'),
      },
    });
  } catch (e) {
    launchError = e;
  }
  const results: ScenarioResult[] = existsSync(resultsFile)
    ? JSON.parse(readFileSync(resultsFile, 'utf8'))
    : [];
  for (const r of results) {
    await t.test(r.name, { skip: r.skipped }, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
  if (!launchError) rmSync(scratch, { recursive: true, force: true });
  if (results.length === 0) throw new Error(`no scenario ran: ${String(launchError ?? 'empty result list')}`);
  if (launchError && results.every((r) => r.ok)) throw launchError;
}
