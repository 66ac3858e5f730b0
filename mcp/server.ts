// The MCP server: the four tools over the SDK's protocol layer, with arguments validated against the same
// JSON Schemas the tool list publishes. An unknown tool or invalid arguments is a JSON-RPC error
// (-32602, InvalidParams); a refusal or a sandbox failure is a tool result with isError; a bug in a handler
// becomes an isError result too, so one bad call never takes the server down.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import { VERSION } from '../cli/version';
import type { CallContext, ServerContext, ToolDefinition } from './context';
import { checkCodeTool } from './tools/checkCode';
import { executeCodeTool } from './tools/executeCode';
import { listPoliciesTool } from './tools/listPolicies';
import { runCodeTool } from './tools/runCode';
import { ArgumentError, validateArguments } from './validate';

export const TOOLS: readonly ToolDefinition[] = [
  checkCodeTool,
  runCodeTool,
  executeCodeTool,
  listPoliciesTool,
];

const CONFIG_HINT =
  "Policy, threshold, images, limits and network are set by the server's own configuration, not by tool arguments.";

const INSTRUCTIONS = `Sandbox Guard checks code against a security policy and runs it in a hardened, throw-away Docker container with no network.
Use check_code to see whether code would be allowed and why (findings with line numbers), run_code to run it (stdout, stderr, exit_code, reason), execute_code for llm-sandbox's call shape, and list_policies for the active policy and the sandbox limits.
Code the policy blocks is never run. Run code here instead of on the host when you did not write it or are unsure what it does.`;

/** `mcp:<client name>` from initialize's clientInfo; the name is the client's own claim, so it is tidied. */
export function actorOf(clientName: string | undefined): string {
  const name = (clientName ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .slice(0, 64);
  return `mcp:${name || 'unknown-client'}`;
}

export interface McpServerHandle {
  server: Server;
  /** Calls being handled right now. */
  inFlight(): number;
  /** Resolves when no call is in flight. */
  idle(): Promise<void>;
  /** Cancels every call (stopping runs and removing their containers) and refuses queued ones. */
  shutdown(reason: string): void;
}

export function createMcpServer(ctx: ServerContext): McpServerHandle {
  const server = new Server(
    { name: 'sandbox-guard', title: 'Sandbox Guard', version: VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  const shutdown = new AbortController();
  let active = 0;
  let idleWaiters: (() => void)[] = [];

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((t): Tool => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as Tool['inputSchema'],
      outputSchema: t.outputSchema as Tool['outputSchema'],
      annotations: t.annotations,
    })),
  }));

  // Registered with a loose schema on purpose: the SDK's Server then validates tools/call itself and answers
  // a malformed one with InvalidParams (-32602); with the strict schema the protocol layer's own parse fails
  // first and the client gets a generic InternalError.
  const LooseCallTool = z
    .object({ method: z.literal('tools/call'), params: z.unknown().optional() })
    .passthrough();
  server.setRequestHandler(LooseCallTool, async (raw, extra): Promise<CallToolResult> => {
    const request = CallToolRequestSchema.parse(raw);
    const actor = actorOf(server.getClientVersion()?.name);
    const tool = TOOLS.find((t) => t.name === request.params.name);
    if (!tool) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool "${request.params.name}". Available tools: ${TOOLS.map((t) => t.name).join(', ')}.`,
      );
    }
    let args: Record<string, unknown>;
    try {
      args = validateArguments(request.params.arguments, tool.inputSchema, CONFIG_HINT);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      await ctx.audit.record({
        actor,
        tool: tool.name,
        verdict: 'invalid',
        reason: e.message,
        policy: ctx.policy.name,
        policySource: ctx.policySource,
        durationMs: 0,
      });
      throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for tool ${tool.name}: ${e.message}`);
    }

    const progressToken = request.params._meta?.progressToken;
    let step = 0;
    const call: CallContext = {
      actor,
      signal: AbortSignal.any([extra.signal, shutdown.signal]),
      progress: (message) => {
        if (progressToken === undefined) return;
        extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: ++step, message },
          })
          .catch(() => {});
      },
    };
    active++;
    try {
      return await tool.handle(args, ctx, call);
    } catch (e) {
      ctx.log(`internal error in ${tool.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: `Sandbox Guard failed to handle ${tool.name}: ${e instanceof Error ? e.message : String(e)}`,
          },
        ],
      };
    } finally {
      active--;
      if (active === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  });

  return {
    server,
    inFlight: () => active,
    idle: () => (active === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    shutdown(reason) {
      ctx.slots.drain(reason);
      shutdown.abort(new Error(reason));
    },
  };
}
