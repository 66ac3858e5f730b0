import type { RuleOrigin } from './policy';
import type { Severity } from './severity';

export type FindingKind = 'pattern' | 'module' | 'call' | 'dynamic-import' | 'encoding';

export interface Finding {
  ruleId: string;
  kind: FindingKind;
  severity: Severity;
  /** One sentence: what was found, why it matters, and whether it blocks Run in Sandbox. */
  message: string;
  /** The rule's own description from the policy. */
  description: string;
  /** UTF-16 offsets into the checked text, half-open. */
  start: number;
  end: number;
  /** severity >= threshold (and threshold > SAFE). Suppression never changes this. */
  blocking: boolean;
  /** A `sandbox-guard: ignore[...]` comment covers it (and the policy allows suppressions). */
  suppressed: boolean;
  origin: RuleOrigin;
  /** What matched, for messages: the module, the qualified call, or the matched text (truncated). */
  subject: string;
}

export interface CheckResult {
  /** Normalised language family used for the check (`python`, `javascript`, `go`, ..., or `unknown`). */
  language: string;
  findings: Finding[];
  /** True when any finding blocks (suppressed or not: a suppression never lowers the run gate). */
  blocked: boolean;
  /** Findings were capped at `maxFindings`. */
  truncated: boolean;
  /** The check stopped early because it ran past its time budget; findings are partial. */
  timedOut: boolean;
  /** Problems that did not stop the check (a pattern that failed to compile, an unknown language...). */
  notes: string[];
}
