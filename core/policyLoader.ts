import type { Policy } from './policy';

/** A problem in a policy file, at an exact place in its text (so it can be a diagnostic in the editor). */
export interface PolicyProblem {
  /** File path/URI or `preset:NAME` the problem is in. */
  source: string;
  message: string;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
}

/** Reads a policy referenced by `extends` (a relative path) from another policy source; undefined if missing. */
export type PolicyReader = (ref: string, fromSource: string) => { source: string; text: string } | undefined;

export interface ResolvedPolicy {
  policy: Policy;
  /** Problems anywhere in the chain. Broken entries are dropped; the rest of the policy keeps working. */
  problems: PolicyProblem[];
}

/** Resolves a policy file's text (with its `extends` chain) into a Policy. Never throws. */
export function resolvePolicyText(source: string, text: string, read: PolicyReader): ResolvedPolicy {
  void source;
  void text;
  void read;
  throw new Error('not implemented yet');
}

/** A bundled preset by name (`recommended`, `production`, ...). Throws on an unknown name. */
export function presetPolicy(name: string): Policy {
  void name;
  throw new Error('not implemented yet');
}
