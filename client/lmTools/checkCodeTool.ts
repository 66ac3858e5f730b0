import * as vscode from 'vscode';
import { checkText } from '../../core/engine';
import { grammarFor, languageInfo } from '../../core/languages/registry';
import { LM_CHECK_CODE_INPUT } from '../../mcp/editorTools';
import { checkSummaryText, findingsOut, type CheckSummary } from '../../mcp/format';
import { CHECK_BUDGET_MS } from '../../mcp/limits';
import { KNOWN_LANGUAGES_TEXT } from '../../mcp/tools/languages';
import { loadParsers } from '../../runtime/grammars';
import { resolveTarget, ToolInputError, type LmToolInput, type ToolTarget } from './toolTarget';

export const CHECK_TOOL_NAME = 'sandboxGuard_checkCode';

/** What the invocation message calls the target, without reading anything. */
export function targetLabel(input: LmToolInput | undefined): string {
  if (input?.code !== undefined) return `${input.language ?? 'the'} code`;
  const file = input?.filePath ?? vscode.window.activeTextEditor?.document.uri.path;
  return file ? (file.split(/[\\/]/).pop() ?? file) : 'the open file';
}

/** The policy check of a target, with the run gate's rule: a check that could not finish counts as blocked. */
export async function checkTarget(t: ToolTarget): Promise<CheckSummary> {
  if (!languageInfo(t.language)) {
    throw new ToolInputError(`Unknown language "${t.language}". Known: ${KNOWN_LANGUAGES_TEXT}.`);
  }
  const grammar = grammarFor(t.language);
  const r = checkText(t.code, t.effective.policy, {
    languageId: t.language,
    parsers: await loadParsers(grammar ? [grammar] : []),
    timeBudgetMs: CHECK_BUDGET_MS,
  });
  r.tree?.delete();
  const notes = [...r.notes];
  if (t.effective.info.warning) notes.push(`policy: ${t.effective.info.warning}`);
  return {
    verdict: r.blocked || r.timedOut ? 'blocked' : 'allowed',
    language: r.language,
    policy: t.policy,
    findings: findingsOut(r.findings, t.code),
    truncated: r.truncated,
    timed_out: r.timedOut,
    notes,
  };
}

/**
 * `sandboxGuard_checkCode`: the user's policy applied to code or to an open file's current text, as the
 * diagnostics do, without running anything; so it needs no confirmation.
 */
export class CheckCodeTool implements vscode.LanguageModelTool<LmToolInput> {
  constructor(private readonly presetDir: string) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<LmToolInput>,
  ): vscode.PreparedToolInvocation {
    return { invocationMessage: `Checking ${targetLabel(options.input)} against the Sandbox Guard policy` };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<LmToolInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const target = await resolveTarget(options.input, LM_CHECK_CODE_INPUT, this.presetDir);
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    const summary = await checkTarget(target);
    const where = target.fileName ? `${target.fileName}: ` : '';
    return new vscode.LanguageModelToolResult([
      new vscode.LanguageModelTextPart(where + checkSummaryText(summary)),
    ]);
  }
}
