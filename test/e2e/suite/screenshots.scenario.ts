import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { scenario } from './harness';
import { diagnosticsWhere, driver, openFile, poll, screenshot } from './util';

scenario(
  'screenshot: the editor with squiggles, a hover and the Problems panel (docs/editor-problems.png)',
  async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    try {
      const editor = await openFile('danger.py');
      const [, call] = await diagnosticsWhere(
        editor.document.uri,
        'the two diagnostics',
        (d) => d.length === 2,
      );
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await poll('two problem rows in the Problems panel', async () => {
        const { count } = await driver<{ count: number }>('count', {
          selector: '.markers-panel .monaco-list-row',
        });
        return count >= 3; // the file row and its two problems
      });
      // Back in the editor, the hover on os.system explains the finding, as a user pointing at it sees.
      const back = await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
      back.selection = new vscode.Selection(
        call.range.start.translate(0, 3),
        call.range.start.translate(0, 3),
      );
      await vscode.commands.executeCommand('editor.action.showHover');
      const { texts } = await poll('the hover', async () => {
        const r = await driver<{ texts: string[] }>('text', { selector: '.monaco-hover .hover-contents' });
        return r.texts.some((t) => t.includes('os.system')) ? r : undefined;
      });
      assert.ok(texts.some((t) => /HIGH/.test(t)));
      await screenshot(join(process.env.SANDBOX_GUARD_E2E_DOCS ?? '.', 'editor-problems.png'), [
        '.monaco-editor .squiggly-error',
        '.monaco-hover',
      ]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.focusSideBar');
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }
  },
);
