import type * as vscode from 'vscode';
import type { RunController } from './run/runController';
import type { ServerManager } from './serverManager';
import type { StatusItem } from './statusItem';

/** What the commands work with; built once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  server: ServerManager;
  status: StatusItem;
  runs: RunController;
}
