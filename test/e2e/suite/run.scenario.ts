import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunResult } from '../../../sandbox/types';
import { sandboxGuard } from './api';
import { auditLines, containerExists, pythonImage, requireDocker, sandboxContainers } from './docker';
import { scenario } from './harness';
import { driver, openFile, poll, replaceAll, revertAndClose, screenshot, setUserSetting } from './util';

const run = (args: unknown[] = []): Thenable<RunResult | undefined> =>
  vscode.commands.executeCommand<RunResult | undefined>('sandboxGuard.runInSandbox', ...args);

function terminalNamed(name: string): vscode.Terminal | undefined {
  return vscode.window.terminals.find((t) => t.name === `Sandbox Guard: ${name}`);
}

async function transcriptContains(text: string, timeoutMs = 30_000): Promise<string> {
  const api = await sandboxGuard();
  return poll(
    `"${text}" in the run terminal`,
    () => {
      const t = api.lastRunTranscript();
      return t?.includes(text) ? t : undefined;
    },
    timeoutMs,
  );
}

/** What xterm.js shows in the focused terminal: the text a user actually sees. */
async function visibleTerminal(expect: string[]): Promise<string> {
  return poll(`the terminal to show ${JSON.stringify(expect)}`, async () => {
    const { lines } = await driver<{ lines: string[] | null }>('terminalBuffer');
    const text = (lines ?? []).join('\n');
    return expect.every((e) => text.includes(e)) ? text : undefined;
  });
}

/** The last run's container is gone, and so is every container this VS Code started. */
async function noContainersLeft(): Promise<void> {
  const id = (await sandboxGuard()).lastRunContainerId();
  assert.ok(id, 'the last run reported its container');
  await poll(
    'no Sandbox Guard container to be left',
    async () => {
      const left = await sandboxContainers();
      return !left.includes(id) && left.length === 0;
    },
    15_000,
  );
  await assert.rejects(containerExists(id), /no such container/i);
}

scenario(
  'run: a clean Python file prints in a Sandbox Guard terminal and ends with exit code 0',
  async () => {
    await requireDocker();
    const editor = await openFile('hello.py');
    const result = await run();
    assert.ok(result, 'the command returns the run result');
    assert.equal(result.reason, 'exit');
    assert.equal(result.exitCode, 0);
    assert.equal(result.image, pythonImage());
    const terminal = terminalNamed('hello.py');
    assert.ok(terminal, 'a "Sandbox Guard: hello.py" terminal exists');
    terminal.show(false);
    const text = await visibleTerminal(['hello from the sandbox', 'a warning on stderr', 'exit code 0']);
    assert.match(
      text,
      new RegExp(
        `hello\\.py in ${pythonImage().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} — timeout 30 s, memory 512 MiB`,
      ),
    );
    assert.match(text, /no network/);
    assert.match(text, /■ exit code 0 · [\d.]+ s · exited/);
    await screenshot(join(process.env.SANDBOX_GUARD_E2E_DOCS ?? '.', 'run-terminal.png'));
    await noContainersLeft();
    const line = auditLines().find((l) => l.file === editor.document.uri.fsPath && l.verdict === 'ran');
    assert.ok(line, 'the run is in the audit log');
    assert.equal(line.sha256, createHash('sha256').update(editor.document.getText()).digest('hex'));
    terminal.dispose();
    await revertAndClose();
  },
);

scenario('run: the unsaved text in the editor is what runs', async () => {
  await requireDocker();
  const editor = await openFile('hello.py');
  await replaceAll(editor, 'print("this edit was never saved")\n');
  assert.ok(editor.document.isDirty);
  const result = await run();
  assert.equal(result?.exitCode, 0);
  await transcriptContains('this edit was never saved');
  assert.match(
    readFileSync(editor.document.uri.fsPath, 'utf8'),
    /hello from the sandbox/,
    'the file on disk is untouched',
  );
  terminalNamed('hello.py')?.dispose();
  await revertAndClose();
});

scenario('run: a blocked file is refused with its blocking findings, and no container starts', async () => {
  const editor = await openFile('blocked.py');
  const terminalsBefore = vscode.window.terminals.length;
  const result = await run();
  assert.ok(result);
  assert.equal(result.reason, 'blocked');
  assert.equal(result.exitCode, null);
  assert.deepEqual(
    result.gate.blocking.map((f) => [editor.document.positionAt(f.start).line, f.subject]),
    [
      [0, 'subprocess'],
      [2, 'subprocess.run'],
    ],
  );
  assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal was opened');
  // The user sees the refusal with the findings in a notification (toasts are not drawn in a headless
  // window, so read it from the notification center, where the bell leads).
  await vscode.commands.executeCommand('notifications.showList');
  const toast = await poll('the refusal notification', async () => {
    const { texts } = await driver<{ texts: string[] }>('text', {
      selector: '.notifications-center .notification-list-item-message',
    });
    return texts.find((t) => t.includes('refused')) ?? undefined;
  });
  assert.match(toast, /2 blocking findings/);
  assert.match(toast, /line 1: subprocess/);
  assert.match(toast, /line 3: subprocess\.run/);
  const { texts: buttons } = await driver<{ texts: string[] }>('text', {
    selector: '.notifications-center .notification-list-item-buttons-container',
  });
  assert.ok(buttons.some((b) => b.includes('Show Problems')));
  assert.ok(
    !buttons.some((b) => b.includes('Run anyway')),
    'no override offered without the user-level setting',
  );
  const refused = auditLines().filter(
    (l) => l.file === editor.document.uri.fsPath && l.verdict === 'refused',
  );
  assert.equal(refused.length, 1, 'the refusal is in the audit log');
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  await revertAndClose();
});

scenario('run: "Run anyway" only with the user-level allowOverride setting, and it is audited', async () => {
  await requireDocker();
  const editor = await openFile('blocked.py');
  const refused = await run([editor.document.uri, { force: true }]);
  assert.equal(refused?.reason, 'blocked', 'force is ignored while allowOverride is off');
  await setUserSetting('sandboxGuard.run.allowOverride', true);
  try {
    const forced = await run([editor.document.uri, { force: true }]);
    assert.ok(forced);
    assert.ok(forced.gate.overridden, 'the gate records the override');
    assert.notEqual(forced.reason, 'blocked');
    const line = auditLines().find(
      (l) => l.file === editor.document.uri.fsPath && l.verdict === 'overridden',
    );
    assert.ok(line, 'the override is in the audit log');
  } finally {
    await setUserSetting('sandboxGuard.run.allowOverride', undefined);
  }
  terminalNamed('blocked.py')?.dispose();
  await vscode.commands.executeCommand('notifications.clearAll');
  await revertAndClose();
  await noContainersLeft();
});

scenario('run: Stop Run kills a long-running program and no container is left', async () => {
  await requireDocker();
  await openFile('long.py');
  const pending = run();
  await transcriptContains('tick 2');
  const id = (await sandboxGuard()).lastRunContainerId();
  assert.ok(id && (await sandboxContainers()).includes(id), 'the run has a live container');
  const stopped = await vscode.commands.executeCommand<boolean>('sandboxGuard.stopRun');
  assert.equal(stopped, true);
  const result = await pending;
  assert.equal(result?.reason, 'stopped');
  assert.ok((result?.durationMs ?? 0) < 30_000, 'stopped long before the timeout');
  await transcriptContains('stopped by user');
  await noContainersLeft();
  terminalNamed('long.py')?.dispose();
  await revertAndClose();
});

scenario('run: Ctrl+C in the run terminal stops the container', async () => {
  await requireDocker();
  await openFile('long.py');
  const pending = run();
  await transcriptContains('tick 1');
  const terminal = terminalNamed('long.py');
  assert.ok(terminal);
  terminal.show(false);
  await poll('the terminal to have focus', () => vscode.window.activeTerminal === terminal);
  await driver('click', { selector: '.terminal-wrapper.active .xterm' }).catch(() => undefined);
  await driver('press', { keys: ['Control+C'] });
  const result = await pending;
  assert.equal(result?.reason, 'stopped');
  await noContainersLeft();
  terminal.dispose();
  await revertAndClose();
});

scenario('run: closing the run terminal stops the run and removes the container', async () => {
  await requireDocker();
  await openFile('long.py');
  const pending = run();
  await transcriptContains('tick 1');
  const terminal = terminalNamed('long.py');
  assert.ok(terminal);
  terminal.dispose();
  const result = await pending;
  assert.equal(result?.reason, 'stopped');
  await noContainersLeft();
  await revertAndClose();
});

scenario('run: typing in the run terminal goes to the program stdin', async () => {
  await requireDocker();
  await openFile('echo_input.py');
  const pending = run();
  await transcriptContains('name? ');
  const terminal = terminalNamed('echo_input.py');
  assert.ok(terminal);
  terminal.show(false);
  await poll('the terminal to have focus', () => vscode.window.activeTerminal === terminal);
  await driver('click', { selector: '.terminal-wrapper.active .xterm' }).catch(() => undefined);
  await driver('type', { text: 'sandbox' });
  await driver('press', { keys: ['Enter'] });
  const result = await pending;
  assert.equal(result?.exitCode, 0);
  await transcriptContains('hello, sandbox!');
  terminal.dispose();
  await revertAndClose();
});

scenario('run: the user-level timeout setting kills a program that runs too long', async () => {
  await requireDocker();
  await setUserSetting('sandboxGuard.run.timeoutSeconds', 2);
  try {
    await openFile('long.py');
    const result = await run();
    assert.equal(result?.reason, 'timeout');
    const transcript = await transcriptContains('timed out after');
    assert.match(transcript, /timeout 2 s, memory 512 MiB/);
    assert.match(transcript, /■ exit code 137 · [\d.]+ s · timed out after 2\.00 s, killed/);
    await noContainersLeft();
  } finally {
    await setUserSetting('sandboxGuard.run.timeoutSeconds', undefined);
  }
  await revertAndClose();
});

scenario('run: the editor title button and Ctrl+Alt+R run the file', async () => {
  await requireDocker();
  const api = await sandboxGuard();
  const editor = await openFile('hello.py');
  const ranAgain = async (how: string, before: string | undefined): Promise<void> => {
    await poll(`a run started by ${how} to finish`, () => {
      const id = api.lastRunContainerId();
      return id !== undefined && id !== before && /■ exit code 0/.test(api.lastRunTranscript() ?? '');
    });
  };
  let before = api.lastRunContainerId();
  await driver('click', { selector: '.editor-actions [aria-label^="Run in Sandbox"]' });
  await ranAgain('the editor title button', before);

  before = api.lastRunContainerId();
  await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
  await driver('click', { selector: '.monaco-editor .view-lines' });
  await driver('press', { keys: ['Control+Alt+r'] });
  await ranAgain('Ctrl+Alt+R', before);
  await revertAndClose();
});
