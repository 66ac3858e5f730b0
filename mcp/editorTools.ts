// vscode-free pieces of the editor's language-model tools (sandboxGuard_checkCode, sandboxGuard_runCode) and of
// the MCP server definition the extension contributes. The extension (client/) registers the tools with
// vscode.lm.registerTool and formats results with mcp/format.ts; the schemas here are the ones its
// package.json contributes, so both stay in step.
import { describeLimits, type RunLimits } from '../sandbox/limits';
import { findingLine, type FindingOut, type PolicyRef } from './format';
import { MAX_CODE_CHARS, MAX_STDIN_CHARS } from './limits';
import type { JsonSchema } from './schemas';

const target: Record<string, JsonSchema> = {
  code: {
    type: 'string',
    description:
      'Source text to use. Omit it to use the current text (saved or not) of filePath, or of the active editor.',
    maxLength: MAX_CODE_CHARS,
  },
  language: {
    type: 'string',
    description:
      "Language of code (python, javascript, typescript, shellscript, go, java, c, cpp, ruby, r). Omit it to use the document's language.",
    maxLength: 64,
  },
  filePath: {
    type: 'string',
    description:
      'Absolute path of an open or workspace file whose current editor text is used when code is omitted.',
    maxLength: 4096,
  },
};

/** `sandboxGuard_checkCode` input (package.json contributes.languageModelTools[].inputSchema). */
export const LM_CHECK_CODE_INPUT: JsonSchema = {
  type: 'object',
  properties: { ...target },
  additionalProperties: false,
};

/** `sandboxGuard_runCode` input. */
export const LM_RUN_CODE_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    ...target,
    stdin: {
      type: 'string',
      description: 'Text for standard input; without it the program reads end-of-file.',
      maxLength: MAX_STDIN_CHARS,
    },
    timeout_seconds: {
      type: 'number',
      exclusiveMinimum: 0,
      description:
        "Wall-clock limit in seconds; at most the user's configured timeout (a longer request is clamped).",
    },
  },
  additionalProperties: false,
};

export interface RunPreview {
  language: string;
  image: string;
  limits: RunLimits;
  policy: PolicyRef;
  findings: FindingOut[];
  /** The timeout the run will get, after clamping the agent's request. */
  timeoutSeconds: number;
  timeoutClamped: boolean;
  fileName?: string;
}

/**
 * The confirmation shown before an agent's run (prepareInvocation → confirmationMessages): what will run,
 * where, under which limits, and what the policy found. Markdown.
 */
export function runConfirmation(p: RunPreview): { title: string; message: string } {
  const what = p.fileName ? `\`${p.fileName.replace(/`/g, "'")}\` (${p.language})` : `${p.language} code`;
  const limits = describeLimits({ ...p.limits, timeoutMs: p.timeoutSeconds * 1000 });
  const lines = [
    `Run ${what} in a throw-away container from \`${p.image}\`.`,
    '',
    `**Limits:** ${limits}${p.timeoutClamped ? ' (the requested timeout was clamped to the configured maximum)' : ''}.`,
    `**Policy:** ${p.policy.name} (threshold ${p.policy.threshold}).`,
  ];
  if (p.findings.length === 0) lines.push('', 'The policy found nothing.');
  else {
    lines.push('', `**Findings (${p.findings.length}, none blocks):**`);
    // Finding messages quote the code; inline code keeps them from being rendered as markdown.
    for (const f of p.findings.slice(0, 20)) lines.push(`- \`${findingLine(f).replace(/`/g, "'")}\``);
    if (p.findings.length > 20) lines.push(`- … and ${p.findings.length - 20} more`);
  }
  return { title: 'Run in Sandbox Guard?', message: lines.join('\n') };
}

export interface McpServerSettings {
  preset?: string;
  policyFile?: string;
  /** Image per language key. */
  images?: Record<string, string>;
  timeoutSeconds?: number;
  /** Bytes. */
  memoryBytes?: number;
  cpus?: number;
  pids?: number;
  tmpBytes?: number;
  outputBytes?: number;
  maxConcurrent?: number;
  queue?: 'wait' | 'refuse';
  auditLog?: string;
}

/**
 * Arguments after `cli.js` for the MCP server the extension contributes (McpStdioServerDefinition), built
 * from user/machine-scope settings only. An argv list: nothing is ever interpreted by a shell.
 */
export function mcpServerArgs(s: McpServerSettings): string[] {
  const args = ['mcp'];
  if (s.policyFile) args.push('--policy', s.policyFile);
  else if (s.preset) args.push('--preset', s.preset);
  for (const [lang, image] of Object.entries(s.images ?? {}))
    if (image) args.push('--image', `${lang}=${image}`);
  if (s.timeoutSeconds !== undefined) args.push('--timeout', String(s.timeoutSeconds));
  if (s.memoryBytes !== undefined) args.push('--memory', String(s.memoryBytes));
  if (s.cpus !== undefined) args.push('--cpus', String(s.cpus));
  if (s.pids !== undefined) args.push('--pids', String(s.pids));
  if (s.tmpBytes !== undefined) args.push('--tmp-size', String(s.tmpBytes));
  if (s.outputBytes !== undefined) args.push('--output-limit', String(s.outputBytes));
  if (s.maxConcurrent !== undefined) args.push('--max-concurrent', String(s.maxConcurrent));
  if (s.queue) args.push('--queue', s.queue);
  if (s.auditLog) args.push('--audit-log', s.auditLog);
  return args;
}
