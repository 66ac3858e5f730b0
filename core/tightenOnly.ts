import type { CallRule, ModuleRule, PatternRule, Policy } from './policy';
import { Severity } from './severity';

/** Strictness of a threshold: LOW blocks most, HIGH least, SAFE never blocks (report only). */
function strictness(t: Severity): number {
  return t === Severity.SAFE ? 0 : 4 - t;
}

function addRules<T extends { severity: Severity }>(base: T[], extra: T[], key: (t: T) => string): T[] {
  const out = new Map(base.map((r) => [key(r), r] as const));
  for (const r of extra) {
    const k = key(r);
    const prev = out.get(k);
    // A workspace entry that reuses a base rule's key may raise its severity, never lower it.
    out.set(k, prev && prev.severity >= r.severity ? prev : { ...r });
  }
  return [...out.values()];
}

const langKey = (l?: string[]) => (l ? [...l].sort().join(',') : '*');

/**
 * The policy for an untrusted workspace: everything in `base` (from user settings) stays; `workspace` (a policy
 * file or settings from the repository) can only add rules, raise severities, lower the threshold and turn
 * suppressions off. So a cloned repository can tighten the policy but never loosen it.
 */
export function tightenOnly(base: Policy, workspace: Policy): Policy {
  return {
    name: `${base.name} + ${workspace.name} (restrictions only)`,
    severityThreshold:
      strictness(workspace.severityThreshold) > strictness(base.severityThreshold)
        ? workspace.severityThreshold
        : base.severityThreshold,
    dynamicImportSeverity: Math.max(base.dynamicImportSeverity, workspace.dynamicImportSeverity),
    encodingSeverity: Math.max(base.encodingSeverity, workspace.encodingSeverity),
    allowSuppressions: base.allowSuppressions && workspace.allowSuppressions,
    patterns: addRules<PatternRule>(
      base.patterns,
      workspace.patterns,
      (p) => `${p.id}|${p.pattern}|${p.scope}`,
    ),
    restrictedModules: addRules<ModuleRule>(
      base.restrictedModules,
      workspace.restrictedModules,
      (m) => `${m.name}|${langKey(m.languages)}`,
    ),
    restrictedCalls: addRules<CallRule>(
      base.restrictedCalls,
      workspace.restrictedCalls,
      (c) => `${c.name}|${langKey(c.languages)}`,
    ),
    sources: [...workspace.sources, ...base.sources],
  };
}
