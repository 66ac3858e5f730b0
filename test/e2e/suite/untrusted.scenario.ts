import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunResult } from '../../../sandbox/types';
import { sandboxGuard, statusOf } from './api';
import { pythonImage, requireDocker } from './docker';
import { scenario } from './harness';
import { diagnosticsWhere, driver, openFile, poll, revertAndClose } from './util';

// The workspace (test/e2e/fixtures/untrusted) tries to weaken the user's policy: .vscode/settings.json picks
// the "minimal" preset, turns diagnostics off, allows overrides, swaps the Python image and lifts limits; its
// sandbox-guard.json raises the threshold to SAFE and allows suppressions; danger.py suppresses a finding.

scenario(
  'untrusted: the workspace runs in Restricted Mode',
  async () => {
    assert.equal(vscode.workspace.isTrusted, false);
  },
  'untrusted',
);

scenario(
  'untrusted: workspace settings and policy file cannot weaken the policy',
  async () => {
    const editor = await openFile('danger.py');
    const diags = await diagnosticsWhere(editor.document.uri, 'the os.system diagnostic', (d) =>
      d.some((x) => editor.document.getText(x.range).startsWith('os.system')),
    );
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    const status = await statusOf(editor.document);
    assert.notEqual(status.policy.source, 'preset:minimal', 'the workspace preset setting is ignored');
    assert.equal(status.policy.threshold, 'HIGH', 'the threshold is not raised');
    assert.equal(status.blockingCount, 2, 'the suppressed import still blocks, and so does os.system');
    await revertAndClose();
  },
  'untrusted',
);

scenario(
  'untrusted: the workspace policy file can still add restrictions',
  async () => {
    const editor = await openFile('uses_json.py');
    const [diag] = await diagnosticsWhere(
      editor.document.uri,
      'the added json restriction',
      (d) => d.length === 1,
    );
    assert.equal(editor.document.getText(diag.range), 'json');
    await revertAndClose();
  },
  'untrusted',
);

scenario(
  'untrusted: Run in Sandbox refuses blocked code; workspace allowOverride is ignored',
  async () => {
    const editor = await openFile('danger.py');
    const result = await vscode.commands.executeCommand<RunResult>(
      'sandboxGuard.runInSandbox',
      editor.document.uri,
      {
        force: true,
      },
    );
    assert.equal(result.reason, 'blocked');
    assert.equal(result.gate.overridden, false);
    await vscode.commands.executeCommand('notifications.clearAll');
    await revertAndClose();
  },
  'untrusted',
);

scenario(
  'untrusted: Run in Sandbox still runs clean code, with the user-level image',
  async () => {
    await requireDocker();
    await openFile('hello.py');
    const terminalsBefore = vscode.window.terminals.length;
    const result = await vscode.commands.executeCommand<RunResult>('sandboxGuard.runInSandbox');
    assert.equal(result.reason, 'exit');
    assert.equal(result.exitCode, 0);
    assert.equal(result.image, pythonImage(), 'not the workspace image evil/python:latest');
    // VS Code asks for trust before opening any terminal, so Restricted Mode gets the output channel.
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal (it would need trust)');
    const transcript = (await sandboxGuard()).lastRunTranscript() ?? '';
    assert.match(transcript, /hello from the sandbox/);
    assert.match(transcript, /\[stderr\] a warning on stderr/);
    assert.match(transcript, /■ exit code 0/);
    assert.match(transcript, /timeout 30 s, memory 512 MiB/, 'workspace limits are ignored');
    await poll('the run output in the Output panel', async () => {
      const { texts } = await driver<{ texts: string[] }>('text', {
        selector: '.panel .monaco-editor .view-lines',
      });
      return texts.some((t) => t.includes('hello from the sandbox') && t.includes('exit code 0'));
    });
    await revertAndClose();
  },
  'untrusted',
);
