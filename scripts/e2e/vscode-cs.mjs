#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) and
// @vscode/test-cli's useInstallation.fromPath: accepts the CLI they pass
//   [folder] --extensionDevelopmentPath=P --extensionTestsPath=P [--user-data-dir=D] [--extensions-dir=D] ...
// runs the tests in code-server + headless chromium (launch.mjs) and exits with the tests' exit code.
// Other VS Code flags are accepted and ignored. Workspace Trust is off, as with test-electron, unless
// SANDBOX_GUARD_E2E_WORKSPACE_TRUST=1 (the workspace then opens in Restricted Mode: untrusted).
// Env: SANDBOX_GUARD_E2E_CACHE (toolchain, default ~/.cache/sandbox-guard/e2e), CHROMIUM, SANDBOX_GUARD_E2E_TIMEOUT (s),
//      SANDBOX_GUARD_E2E_ARTIFACTS (where logs are kept on failure), SANDBOX_GUARD_E2E_VERBOSE=1.
import { launchVsCode } from './launch.mjs';

const flags = new Map();
const positional = [];
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (m) flags.set(m[1], m[2] ?? '');
  else positional.push(arg);
}
const devPath = flags.get('extensionDevelopmentPath');
const testsPath = flags.get('extensionTestsPath');
if (!devPath || !testsPath) {
  console.error('usage: vscode-cs.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE');
  process.exit(2);
}
try {
  const { exitCode, durationMs } = await launchVsCode({
    folder: positional[0] ?? process.cwd(),
    extensionDevelopmentPath: devPath,
    extensionTestsPath: testsPath,
    userDataDir: flags.get('user-data-dir') || undefined,
    extensionsDir: flags.get('extensions-dir') || undefined,
    workspaceTrust: process.env.SANDBOX_GUARD_E2E_WORKSPACE_TRUST === '1',
    timeoutMs: Number(process.env.SANDBOX_GUARD_E2E_TIMEOUT || 300) * 1000,
    artifactsDir: process.env.SANDBOX_GUARD_E2E_ARTIFACTS || undefined,
    verbose: process.env.SANDBOX_GUARD_E2E_VERBOSE === '1',
  });
  console.log(`[sg-e2e] launcher: tests exited with ${exitCode} after ${(durationMs / 1000).toFixed(1)} s`);
  process.exit(exitCode);
} catch (e) {
  console.error(`[sg-e2e] launcher failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
