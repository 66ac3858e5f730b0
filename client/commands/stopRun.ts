import * as vscode from 'vscode';
import type { Services } from '../services';

/** Stops the run whose terminal is focused (else the newest); the container is killed and removed. */
export async function stopRun(s: Services): Promise<boolean> {
  const run = s.runs.current();
  if (!run) {
    void vscode.window.showInformationMessage('Sandbox Guard: no run in progress.');
    return false;
  }
  s.log.info(`stopping the run of ${run.label}`);
  await run.handle.stop();
  return true;
}
