import type { Severity } from './severity';

/** Which regions of the source a pattern searches. `code` (the default) skips comments and strings. */
export type Scope = 'code' | 'strings' | 'comments' | 'all';

/** Where a rule came from, so hovers and "Open policy entry" can point at it. */
export interface RuleOrigin {
  /** A preset name (`preset:recommended`) or a policy file path/URI as given to the loader. */
  source: string;
  /** Offset of the entry in that file's text, when known (policy files read from disk). */
  offset?: number;
  /** JSON path of the entry inside its file (`['patterns', 3]`), for bundled presets whose text core does not hold. */
  path?: (string | number)[];
}

interface RuleBase {
  /** Stable id: the entry's `id`, else derived (`module:ctypes`, `call:os.system`, `pattern:<n>`). */
  id: string;
  description: string;
  severity: Severity;
  /** Language ids the rule applies to; undefined = every language. */
  languages?: string[];
  origin: RuleOrigin;
}

export interface PatternRule extends RuleBase {
  kind: 'pattern';
  /** The regex exactly as written (Python `re` syntax). */
  pattern: string;
  scope: Scope;
}

export interface ModuleRule extends RuleBase {
  kind: 'module';
  /** Module name: dotted for Python (`os`, `urllib.request`), a specifier for JS (`child_process`, `fs/promises`). */
  name: string;
}

export interface CallRule extends RuleBase {
  kind: 'call';
  /** Qualified callee: `os.system`, `subprocess.*`, `os.spawn*`, `eval`, `child_process.exec`, `process.binding`. */
  name: string;
}

export type Rule = PatternRule | ModuleRule | CallRule;

/** A fully resolved policy (extends applied, defaults filled in). */
export interface Policy {
  name: string;
  severityThreshold: Severity;
  /** Severity of an import whose target cannot be resolved statically. */
  dynamicImportSeverity: Severity;
  /** Severity of a PEP 263 source-encoding declaration other than UTF-8/ASCII/Latin-1 (a known scanner evasion). */
  encodingSeverity: Severity;
  /** Whether `sandbox-guard: ignore[...]` comments are honoured. */
  allowSuppressions: boolean;
  patterns: PatternRule[];
  restrictedModules: ModuleRule[];
  restrictedCalls: CallRule[];
  /** The chain of sources that built it, most derived first (file paths or `preset:NAME`). */
  sources: string[];
}

export function ruleApplies(rule: { languages?: string[] }, languageId: string): boolean {
  return !rule.languages || rule.languages.length === 0 || rule.languages.includes(languageId);
}
