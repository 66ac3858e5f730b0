// Sandbox Guard's VS Code entry point: starts the language server (diagnostics, hovers, quick fixes as
// you type), registers the commands (Run in Sandbox and friends) and the language status item.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';
import { registerCommands } from './commands/registerCommands';
import { readSettings } from './configuration';
import { probeDocker } from './dockerStatus';
import { registerAgentTools } from './lmTools/registerAgentTools';
import { RunController } from './run/runController';
import { ServerManager } from './serverManager';
import type { Services } from './services';
import { StatusItem } from './statusItem';

/** What activate() returns: a small surface for the end-to-end tests (not a supported API). */
export interface SandboxGuardApi {
  serverPid(): number | undefined;
  serverStarts(): number;
  serverRunning(): boolean;
  /** The server's last status for a document (policy, blocking count), by URI string. */
  statusFor(uri: string): StatusParams | undefined;
  /** Plain text of the most recent run terminal (what the user read, without colours). */
  lastRunTranscript(): string | undefined;
  /** The container of the most recent run (set once it started). */
  lastRunContainerId(): string | undefined;
  refreshDocker(): Promise<void>;
  /** What the registered MCP server definition provider answers (empty without the editor API). */
  mcpServerDefinitions(): Promise<vscode.McpServerDefinition[]>;
  /** The language-model tool registered under this name (to call prepareInvocation as the editor would). */
  languageModelTool(name: string): vscode.LanguageModelTool<object> | undefined;
}

let services: Services | undefined;

/** Absolute paths of the policy files configured per folder, so the client also sends those to the server. */
function configuredPolicyFiles(): string[] {
  const files = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const file = readSettings(folder.uri).policy.file;
    if (!file || folder.uri.scheme !== 'file') continue;
    files.add((isAbsolute(file) ? file : join(folder.uri.fsPath, file)).replace(/\\/g, '/'));
  }
  return [...files];
}

export async function activate(context: vscode.ExtensionContext): Promise<SandboxGuardApi> {
  const log = vscode.window.createOutputChannel('Sandbox Guard', { log: true });
  const server = new ServerManager(
    context.asAbsolutePath(join('dist', 'server.js')),
    log,
    configuredPolicyFiles,
  );
  const status = new StatusItem();
  const runs = new RunController();
  const s: Services = { context, log, server, status, runs };
  services = s;
  const agents = registerAgentTools(s);
  context.subscriptions.push(
    agents,
    log,
    status,
    runs,
    { dispose: () => void server.dispose() },
    server.onStatus((p) => status.update(p)),
    ...registerCommands(s),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // A policy file under another name must be added to the document selector: new client.
      if (e.affectsConfiguration('sandboxGuard.policy.file'))
        void server.restart('policy file setting changed', true);
    }),
    // The trust state is fixed in the server's initialization options (untrusted wins), so start afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server.restart('workspace trust granted')),
  );
  log.info(
    `Sandbox Guard activating (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'})`,
  );
  try {
    await server.start();
  } catch (e) {
    log.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const refreshDocker = async (): Promise<void> => status.setDocker(await probeDocker());
  void refreshDocker();
  return {
    serverPid: () => server.serverPid,
    serverStarts: () => server.starts,
    serverRunning: () => server.running,
    statusFor: (uri) => status.statusFor(vscode.Uri.parse(uri)),
    lastRunTranscript: () => runs.recent[runs.recent.length - 1]?.view.transcript,
    lastRunContainerId: () => runs.recent[runs.recent.length - 1]?.containerId,
    refreshDocker,
    mcpServerDefinitions: async () => (await agents.mcp?.provide()) ?? [],
    languageModelTool: (name) => agents.tools.get(name),
  };
}

export async function deactivate(): Promise<void> {
  const s = services;
  services = undefined;
  await s?.runs.stopAll();
  await s?.server.dispose();
}
