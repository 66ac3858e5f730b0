// Entry point loaded by VS Code as extensionTestsPath: registers every scenario, then runs the ones of
// this session (SANDBOX_GUARD_E2E_SESSION) in registration order (the order of these imports).
import { sandboxGuard } from './api';
import { runScenarios } from './harness';
import { resetWindow } from './util';
import './diagnostics.scenario';
import './hoverQuickFix.scenario';
import './screenshots.scenario';
import './policy.scenario';
import './configuredPolicy.scenario';
import './server.scenario';
import './statusItem.scenario';
import './walkthrough.scenario';
import './run.scenario';
import './policyDeletion.scenario';
import './untrusted.scenario';
import './installed.scenario';
import './agentTools.scenario';

export async function run(): Promise<void> {
  await sandboxGuard();
  await runScenarios(resetWindow);
}
