// What every tool handler gets: the server's fixed configuration and shared state, and the current call.
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ParserHost } from '../core/parsing';
import type { Policy } from '../core/policy';
import { severityName } from '../core/severity';
import type { McpAudit } from './audit';
import type { RunSlots } from './concurrency';
import type { PolicyRef } from './format';
import type { McpOptions } from './options';
import type { JsonSchema } from './schemas';

export interface ServerContext {
  options: McpOptions;
  policy: Policy;
  /** `preset:NAME` or the policy file. */
  policySource: string;
  /** Grammars, loaded on first use: just the one a language needs. */
  parsers: (languageId: string) => Promise<ParserHost>;
  slots: RunSlots;
  audit: McpAudit;
  log: (message: string) => void;
}

export interface CallContext {
  /** `mcp:<client name>`. */
  actor: string;
  /** Aborted when the client cancels the request or the server shuts down. */
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; otherwise does nothing. */
  progress: (message: string) => void;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  handle(args: Record<string, unknown>, server: ServerContext, call: CallContext): Promise<CallToolResult>;
}

export function policyRef(server: ServerContext): PolicyRef {
  return {
    name: server.policy.name,
    source: server.policySource,
    threshold: severityName(server.policy.severityThreshold),
  };
}
