import * as vscode from 'vscode';
import type { Services } from '../services';
import { checkFile } from './checkFile';
import { createPolicy } from './createPolicy';
import { openPolicy } from './openPolicy';
import { restartServer } from './restartServer';
import { runInSandbox, type RunOptions } from './runInSandbox';
import { selectPreset } from './selectPreset';
import { showAuditLog } from './showAuditLog';
import { showOutput } from './showOutput';
import { stopRun } from './stopRun';

/** Maps every contributed command id to its handler; each handler's result is the command's result. */
export function registerCommands(s: Services): vscode.Disposable[] {
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'sandboxGuard.runInSandbox': (uri, options) => runInSandbox(s, uri, (options ?? {}) as RunOptions),
    'sandboxGuard.stopRun': () => stopRun(s),
    'sandboxGuard.checkFile': (uri) => checkFile(s, uri),
    'sandboxGuard.selectPreset': (name) => selectPreset(s, name),
    'sandboxGuard.openPolicy': (uri) => openPolicy(s, uri),
    'sandboxGuard.createPolicy': (folder) => createPolicy(s, folder),
    'sandboxGuard.showAuditLog': () => showAuditLog(s),
    'sandboxGuard.showOutput': () => showOutput(s),
    'sandboxGuard.restartServer': () => restartServer(s),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        s.log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? message) : message}`);
        void vscode.window
          .showErrorMessage(`Sandbox Guard: ${message}`, 'Show Output')
          .then((c) => c && s.log.show());
        return undefined;
      }
    }),
  );
}
