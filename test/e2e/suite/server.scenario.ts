import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxGuard } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, openFile, poll, revertAndClose } from './util';

scenario('server: restarts after a crash and diagnostics keep working', async () => {
  const api = await sandboxGuard();
  const editor = await openFile('danger.py');
  await diagnosticsWhere(editor.document.uri, 'diagnostics before the crash', (d) => d.length === 2);
  const pid = api.serverPid();
  assert.ok(pid, 'the server runs in its own process');
  process.kill(pid, 'SIGKILL');
  const next = await poll('a new server process', () => {
    const p = api.serverPid();
    return p !== undefined && p !== pid && api.serverRunning() ? p : undefined;
  });
  assert.notEqual(next, pid);
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'import ctypes\n'));
  await diagnosticsWhere(editor.document.uri, 'diagnostics from the restarted server', (d) => d.length === 3);
  await revertAndClose();
});

scenario('server: concurrent restart requests are serialised (one in flight, one queued)', async () => {
  const api = await sandboxGuard();
  const before = api.serverStarts();
  await Promise.all([1, 2, 3, 4].map(() => vscode.commands.executeCommand('sandboxGuard.restartServer')));
  const restarts = api.serverStarts() - before;
  assert.ok(restarts >= 1 && restarts <= 2, `4 overlapping requests gave ${restarts} restarts`);
  assert.ok(api.serverRunning());
  const editor = await openFile('danger.py');
  await diagnosticsWhere(editor.document.uri, 'diagnostics after the restarts', (d) => d.length === 2);
  await revertAndClose();
});
