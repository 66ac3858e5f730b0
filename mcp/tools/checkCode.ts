import { checkText } from '../../core/engine';
import { languageInfo } from '../../core/languages/registry';
import { checkSummaryText, findingsOut, type CheckSummary } from '../format';
import { CHECK_BUDGET_MS } from '../limits';
import { policyRef, type ToolDefinition } from '../context';
import { CHECK_CODE_INPUT, CHECK_CODE_OUTPUT } from '../schemas';
import { KNOWN_LANGUAGES_TEXT } from './languages';

export const checkCodeTool: ToolDefinition = {
  name: 'check_code',
  title: 'Check code against the security policy',
  description:
    "Checks source code against the server's security policy without running it: returns each finding (rule, severity, line, column, message, whether it blocks) and the verdict, i.e. whether run_code would run it or refuse it. Comments and strings are not treated as code; imports, aliases and computed module names are resolved.",
  inputSchema: CHECK_CODE_INPUT,
  outputSchema: CHECK_CODE_OUTPUT,
  annotations: { title: 'Check code against the security policy', readOnlyHint: true, openWorldHint: false },

  async handle(args, server, call) {
    const started = Date.now();
    const code = args.code as string;
    const language = args.language as string;
    if (!languageInfo(language)) {
      const message = `Unknown language "${language}". Known: ${KNOWN_LANGUAGES_TEXT}.`;
      await server.audit.record({
        actor: call.actor,
        tool: 'check_code',
        verdict: 'invalid',
        reason: 'unknown-language',
        code,
        language,
        policy: server.policy.name,
        policySource: server.policySource,
        durationMs: Date.now() - started,
      });
      return { isError: true, content: [{ type: 'text', text: message }] };
    }
    const r = checkText(code, server.policy, {
      languageId: language,
      parsers: await server.parsers(language),
      timeBudgetMs: CHECK_BUDGET_MS,
    });
    r.tree?.delete();
    // Same rule as the run gate: a check that could not finish counts as blocked.
    const blocked = r.blocked || r.timedOut;
    const summary: CheckSummary = {
      verdict: blocked ? 'blocked' : 'allowed',
      language: r.language,
      policy: policyRef(server),
      findings: findingsOut(r.findings, code),
      truncated: r.truncated,
      timed_out: r.timedOut,
      notes: r.notes,
    };
    await server.audit.record({
      actor: call.actor,
      tool: 'check_code',
      verdict: blocked ? 'blocked' : 'allowed',
      code,
      language: r.language,
      policy: server.policy.name,
      policySource: server.policySource,
      findingsOf: r.findings,
      durationMs: Date.now() - started,
    });
    return {
      content: [{ type: 'text', text: checkSummaryText(summary) }],
      structuredContent: { ...summary, blocked } as unknown as Record<string, unknown>,
    };
  },
};
