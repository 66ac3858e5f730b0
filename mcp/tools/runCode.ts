import type { ToolDefinition } from '../context';
import { runSummaryText } from '../format';
import { runFlow } from '../runFlow';
import { RUN_CODE_INPUT, RUN_CODE_OUTPUT } from '../schemas';

export const runCodeTool: ToolDefinition = {
  name: 'run_code',
  title: 'Run code in the hardened sandbox',
  description:
    "Checks the code against the server's security policy and, if nothing blocks, runs it in a fresh, throw-away Docker container with no network, a read-only filesystem (writable /tmp only), no capabilities, a non-root user and memory/CPU/process/output/time limits. Returns exit_code, stdout, stderr, truncated, reason (exit, timeout, oom, output_limit, ...), duration_ms and the policy findings. Code the policy blocks is not run and no container is created: the result lists the blocking findings. The time limit can be shortened with timeout_seconds but never extended past the server's maximum.",
  inputSchema: RUN_CODE_INPUT,
  outputSchema: RUN_CODE_OUTPUT,
  annotations: {
    title: 'Run code in the hardened sandbox',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },

  async handle(args, server, call) {
    const { summary, isError } = await runFlow(
      {
        tool: 'run_code',
        code: args.code as string,
        language: args.language as string,
        stdin: args.stdin as string | undefined,
        timeoutSeconds: args.timeout_seconds as number | undefined,
      },
      server,
      call,
    );
    return {
      ...(isError ? { isError: true } : {}),
      content: [{ type: 'text', text: runSummaryText(summary) }],
      structuredContent: summary as unknown as Record<string, unknown>,
    };
  },
};
