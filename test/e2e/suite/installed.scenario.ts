import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunResult } from '../../../sandbox/types';
import { sandboxGuard } from './api';
import { scenario } from './harness';
import { diagnosticsWhere, EXTENSION_ID, openFile } from './util';

// The extension installed from the .vsix that `npm run package` built (test/e2e/package.test.ts), not the
// repository: proves the package has everything it needs at run time (bundles, grammars, presets).

scenario(
  'installed .vsix: activates from the extensions folder',
  async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the packaged extension is installed');
    assert.doesNotMatch(
      ext.extensionPath,
      /test\/e2e|\/work\//,
      `loaded from the install dir: ${ext.extensionPath}`,
    );
    await sandboxGuard();
    assert.ok(ext.isActive);
  },
  'installed',
);

scenario(
  'installed .vsix: diagnostics, and the run gate refuses blocked code',
  async () => {
    const editor = await openFile('danger.py');
    await diagnosticsWhere(editor.document.uri, 'two diagnostics', (d) => d.length === 2);
    const result = await vscode.commands.executeCommand<RunResult>('sandboxGuard.runInSandbox');
    assert.equal(result.reason, 'blocked');
    assert.equal(result.gate.blocking.length, 2);
  },
  'installed',
);
