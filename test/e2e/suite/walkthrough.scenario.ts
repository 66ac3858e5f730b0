import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scenario } from './harness';
import { driver, EXTENSION_ID, poll } from './util';

scenario('walkthrough: "Get started with Sandbox Guard" opens with its steps', async () => {
  await vscode.commands.executeCommand(
    'workbench.action.openWalkthrough',
    `${EXTENSION_ID}#gettingStarted`,
    false,
  );
  const text = await poll('the walkthrough page', async () => {
    const { texts } = await driver<{ texts: string[] }>('text', { selector: '.gettingStartedContainer' });
    const t = texts.join('\n');
    return t.includes('Get started with Sandbox Guard') ? t : undefined;
  });
  for (const step of [
    'Make sure Docker answers',
    'Choose a policy preset',
    'See a blocked file',
    'Run clean code in the sandbox',
  ]) {
    assert.ok(text.includes(step), `step "${step}" is listed`);
  }
  if (process.env.SANDBOX_GUARD_E2E_DEBUG_SHOTS)
    await driver('screenshot', { path: `${process.env.SANDBOX_GUARD_E2E_DEBUG_SHOTS}/walkthrough.png` });
});
