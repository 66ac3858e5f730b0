import type { Tree } from 'web-tree-sitter';
import type { CheckResult } from './findings';
import type { ParserHost } from './parsing';
import type { Policy } from './policy';

export interface CheckOptions {
  /** A VS Code language id (`python`, `typescriptreact`, `shellscript`...) or a llm-sandbox name. */
  languageId: string;
  /** Grammars; without them only regex patterns (scope `all`) and llm-sandbox-style import rules run. */
  parsers?: ParserHost;
  /** The previous tree for this document, already `edit()`ed, for an incremental reparse. */
  previousTree?: Tree;
  /** Cap on reported findings (default 1000). */
  maxFindings?: number;
  /** Wall-clock budget in ms for pattern matching (default 2000); past it the result is marked timedOut. */
  timeBudgetMs?: number;
}

export interface CheckOutput extends CheckResult {
  /** The syntax tree, for the caller to keep for the next incremental check. */
  tree?: Tree;
}

/** Applies a policy to one source text. Pure: no I/O. Never throws on any input text. */
export function checkText(text: string, policy: Policy, options: CheckOptions): CheckOutput {
  void text;
  void policy;
  void options;
  throw new Error('not implemented yet');
}
