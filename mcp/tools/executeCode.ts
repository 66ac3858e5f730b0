import type { ToolDefinition } from '../context';
import { runFlow } from '../runFlow';
import { EXECUTE_CODE_INPUT, EXECUTE_CODE_OUTPUT } from '../schemas';

export const executeCodeTool: ToolDefinition = {
  name: 'execute_code',
  title: 'Execute code in a secure sandbox (llm-sandbox compatible)',
  description:
    "Execute code in a secure sandbox environment: the same call shape as llm-sandbox's MCP tool (code, language, libraries, timeout), with Sandbox Guard's policy gate and hardened, network-less container. The text result is JSON with exit_code, stdout and stderr (plus success, reason, truncated, duration_ms, findings). libraries cannot be installed (no network): the call is refused unless the configured image already provides them.",
  inputSchema: EXECUTE_CODE_INPUT,
  outputSchema: EXECUTE_CODE_OUTPUT,
  annotations: {
    title: 'Execute code in a secure sandbox',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },

  async handle(args, server, call) {
    const libraries = (args.libraries as string[] | undefined) ?? [];
    const { summary, isError } = await runFlow(
      {
        tool: 'execute_code',
        code: args.code as string,
        language: (args.language as string | undefined) ?? 'python',
        timeoutSeconds: args.timeout as number | undefined,
        libraries,
      },
      server,
      call,
    );
    // llm-sandbox's callers read stderr for why nothing ran; put refusals and sandbox errors there too.
    const stderr = summary.exit_code === null && summary.stderr === '' ? summary.message : summary.stderr;
    const result = {
      success: summary.exit_code === 0 && summary.reason === 'exit',
      ...summary,
      stderr,
      libraries,
    };
    return {
      ...(isError ? { isError: true } : {}),
      // llm-sandbox returns its result as JSON text; keep that, so its users' parsing carries over.
      content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
      structuredContent: result as unknown as Record<string, unknown>,
    };
  },
};
