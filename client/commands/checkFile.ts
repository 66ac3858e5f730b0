import * as vscode from 'vscode';
import type { CheckResponse } from '../../server/protocol';
import type { Services } from '../services';
import { targetDocument } from './targetDocument';

/**
 * Checks the current text of a file with the effective policy and says what the policy thinks of it.
 * The diagnostics already show the same findings; this answers "may this run?" explicitly.
 */
export async function checkFile(s: Services, uri?: unknown): Promise<CheckResponse | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showWarningMessage('Sandbox Guard: open a file to check.');
    return undefined;
  }
  const r = await s.server.check({
    uri: doc.uri.toString(),
    text: doc.getText(),
    languageId: doc.languageId,
  });
  const name = doc.uri.path.split('/').pop() ?? doc.uri.toString();
  const shown = r.findings.filter((f) => !f.suppressed).length;
  s.log.info(
    `check ${doc.uri.toString()}: ${r.findings.length} findings, ${r.blockingCount} blocking (${r.policy.source})`,
  );
  if (r.incomplete) {
    void vscode.window.showWarningMessage(
      `Sandbox Guard: ${name} could not be fully checked (${r.incomplete}); Run in Sandbox treats it as blocked.`,
    );
  } else if (r.blocked) {
    void vscode.window
      .showWarningMessage(
        `Sandbox Guard: ${name} has ${r.blockingCount} finding${r.blockingCount === 1 ? '' : 's'} that block Run in Sandbox under policy "${r.policy.name}".`,
        'Show Problems',
      )
      .then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
  } else {
    void vscode.window.showInformationMessage(
      shown === 0
        ? `Sandbox Guard: no findings in ${name} under policy "${r.policy.name}".`
        : `Sandbox Guard: ${shown} finding${shown === 1 ? '' : 's'} in ${name}, none blocking under policy "${r.policy.name}".`,
    );
  }
  return r;
}
