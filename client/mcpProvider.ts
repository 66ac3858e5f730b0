// Contributes Sandbox Guard's MCP server (`sandbox-guard mcp`, from the bundled dist/cli.js) to VS Code's MCP
// server list, so agents in the editor and elsewhere get check_code/run_code without manual configuration.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { VERSION } from '../cli/version';
import { mcpServerArgs, type McpServerSettings } from '../mcp/editorTools';
import { userLevelSetting } from './configuration';
import { readRunSettings } from './run/runSettings';

export const MCP_PROVIDER_ID = 'sandboxGuard.mcpServer';
export const MCP_SERVER_LABEL = 'Sandbox Guard';

/**
 * The server's options from user-level settings only (the server runs an agent's code: a workspace must not
 * choose its policy, image or limits). A relative user-level policy file would resolve against whatever
 * folder is open, which an agent can write to, so only an absolute one is passed. Throws when a run setting
 * cannot be used (the server would otherwise run with limits the user did not set).
 */
export function mcpServerSettings(log?: vscode.LogOutputChannel): {
  settings: McpServerSettings;
  auditEnabled: boolean;
} {
  const run = readRunSettings();
  const preset = userLevelSetting<string>('policy.preset')?.trim() || undefined;
  let policyFile = userLevelSetting<string>('policy.file')?.trim() || undefined;
  if (policyFile && !isAbsolute(policyFile)) {
    log?.warn(
      `MCP server: the user-level policy file "${policyFile}" is relative; the server uses the preset instead`,
    );
    policyFile = undefined;
  }
  const l = run.limits;
  return {
    auditEnabled: run.audit.enabled,
    settings: {
      preset,
      policyFile,
      images: run.images,
      timeoutSeconds: l.timeoutMs === undefined ? undefined : l.timeoutMs / 1000,
      memoryBytes: l.memoryBytes,
      cpus: l.cpus,
      pids: l.pids,
      tmpBytes: l.tmpfsBytes,
      outputBytes: l.outputBytes,
      auditLog: run.audit.enabled ? run.audit.path : undefined,
    },
  };
}

/** The stdio definition: the editor's own Node.js runs the bundled CLI (ELECTRON_RUN_AS_NODE in Electron). */
export function mcpServerDefinition(
  context: vscode.ExtensionContext,
  log?: vscode.LogOutputChannel,
): vscode.McpStdioServerDefinition {
  const { settings, auditEnabled } = mcpServerSettings(log);
  return new vscode.McpStdioServerDefinition(
    MCP_SERVER_LABEL,
    process.execPath,
    [context.asAbsolutePath('dist/cli.js'), ...mcpServerArgs(settings)],
    { ELECTRON_RUN_AS_NODE: '1', ...(auditEnabled ? {} : { SANDBOX_GUARD_AUDIT_LOG: 'off' }) },
    VERSION,
  );
}

export interface McpProviderRegistration extends vscode.Disposable {
  /** What the registered provider answers now (the end-to-end tests' view of it). */
  provide(): Promise<vscode.McpServerDefinition[]>;
}

/**
 * Registers the provider when the editor has the API (VS Code 1.101+); undefined otherwise, so activation
 * never fails on an older editor. The definition changes with the run, audit and policy settings.
 */
export function registerMcpProvider(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): McpProviderRegistration | undefined {
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider !== 'function') return undefined;
  if (typeof vscode.McpStdioServerDefinition !== 'function') return undefined;
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      try {
        return [mcpServerDefinition(context, log)];
      } catch (e) {
        log.error(`MCP server not offered: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    },
  };
  const disposables = [
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['run', 'audit', 'policy'].some((k) => e.affectsConfiguration(`sandboxGuard.${k}`))) changed.fire();
    }),
  ];
  return {
    provide: async () =>
      (await provider.provideMcpServerDefinitions(new vscode.CancellationTokenSource().token)) ?? [],
    dispose: () => disposables.forEach((d) => d.dispose()),
  };
}
