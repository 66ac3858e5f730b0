import * as vscode from 'vscode';
import { registerMcpProvider, type McpProviderRegistration } from '../mcpProvider';
import type { Services } from '../services';
import { CHECK_TOOL_NAME, CheckCodeTool } from './checkCodeTool';
import { RUN_TOOL_NAME, RunCodeTool } from './runCodeTool';
import type { LmToolInput } from './toolTarget';

export interface AgentTools extends vscode.Disposable {
  /** The language-model tools registered, by name (none on an editor without the API). */
  readonly tools: ReadonlyMap<string, vscode.LanguageModelTool<LmToolInput>>;
  /** The MCP server definition provider, when the editor has the API. */
  readonly mcp: McpProviderRegistration | undefined;
}

/**
 * What agents get in the editor: the language-model tools sandboxGuard_checkCode and sandboxGuard_runCode,
 * and the MCP server definition. Each registration is guarded by a feature check, so activation never fails
 * on an editor without these APIs; the rest of the extension works there as before.
 */
export function registerAgentTools(s: Services): AgentTools {
  const presetDir = vscode.Uri.joinPath(s.context.extensionUri, 'policies').fsPath;
  const disposables: vscode.Disposable[] = [];
  const tools = new Map<string, vscode.LanguageModelTool<LmToolInput>>();
  const guarded = (what: string, register: () => void): void => {
    try {
      register();
    } catch (e) {
      s.log.warn(`${what} not registered: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (typeof vscode.lm?.registerTool === 'function') {
    const register = (name: string, tool: vscode.LanguageModelTool<LmToolInput>): void =>
      guarded(name, () => {
        disposables.push(vscode.lm.registerTool(name, tool));
        tools.set(name, tool);
      });
    register(CHECK_TOOL_NAME, new CheckCodeTool(presetDir));
    register(RUN_TOOL_NAME, new RunCodeTool(s, presetDir));
  } else {
    s.log.info(`language-model tools need VS Code 1.95 or later (this is ${vscode.version})`);
  }
  let mcp: McpProviderRegistration | undefined;
  guarded('MCP server definition provider', () => {
    mcp = registerMcpProvider(s.context, s.log);
    if (mcp) disposables.push(mcp);
    else
      s.log.info(
        `the MCP server definition provider needs VS Code 1.101 or later (this is ${vscode.version})`,
      );
  });
  return {
    tools,
    get mcp() {
      return mcp;
    },
    dispose: () => disposables.forEach((d) => d.dispose()),
  };
}
