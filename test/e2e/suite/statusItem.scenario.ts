import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxGuard, statusOf, statusWhere } from './api';
import { scenario } from './harness';
import { driver, openFile, poll, revertAndClose, setUserSetting } from './util';

/** Opens the language status hover (the `{}` next to the language mode) and returns its text. */
async function languageStatusText(expect: RegExp): Promise<string> {
  return poll(`the language status to show ${expect}`, async () => {
    await driver('click', {
      selector: '.statusbar-item[id="status.languageStatus"] a, #status\\.languageStatus',
    });
    const { texts } = await driver<{ texts: string[] }>('text', { selector: '.hover-language-status' });
    await driver('press', { keys: ['Escape'] });
    const text = texts.join('\n');
    return expect.test(text) ? text : undefined;
  });
}

scenario(
  'language status: the policy, the blocking count and Docker, next to the language mode',
  async () => {
    const api = await sandboxGuard();
    await api.refreshDocker();
    const editor = await openFile('danger.py');
    await statusOf(editor.document);
    const text = await languageStatusText(/2 blocking/);
    assert.match(text, /· 2 blocking/);
    assert.match(text, /2 findings block Run in Sandbox/);
    assert.match(text, /Docker: (reachable|not reachable)/);
    assert.match(text, /Select Preset/, 'the item offers the preset picker');
    await revertAndClose();
  },
);

scenario(
  'Select Policy Preset: the picker lists the presets and saves the choice in user settings',
  async () => {
    const editor = await openFile('danger.py');
    const picked = vscode.commands.executeCommand<string | undefined>('sandboxGuard.selectPreset');
    const items = await poll('the preset picker', async () => {
      const { texts } = await driver<{ texts: string[] }>('text', {
        selector: '.quick-input-list .monaco-list-row',
      });
      return texts.length >= 3 ? texts : undefined;
    });
    assert.ok(items[0].includes('recommended'), `the current preset first, marked: ${items[0]}`);
    assert.ok(
      items.some((t) => /blocks at (HIGH|MEDIUM|LOW)/.test(t)),
      `presets with their thresholds: ${JSON.stringify(items)}`,
    );
    await driver('type', { text: 'strict-no-network' });
    await driver('press', { keys: ['Enter'] });
    try {
      assert.equal(await picked, 'strict-no-network');
      const inspected = vscode.workspace.getConfiguration('sandboxGuard').inspect<string>('policy.preset');
      assert.equal(inspected?.globalValue, 'strict-no-network');
      await statusWhere(
        editor.document,
        'the re-check with the picked preset',
        (s) => s.policy.source === 'preset:strict-no-network',
      );
    } finally {
      await setUserSetting('sandboxGuard.policy.preset', undefined);
    }
    await revertAndClose();
  },
);
