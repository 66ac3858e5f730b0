import type { CallRule, ModuleRule } from './policy';

/**
 * How a restricted module name covers imported names:
 * - dotted (Python, Java): `os` covers `os` and `os.path`, not `osx`;
 * - path (JS/TS, Ruby): `fs` covers `fs`, `fs/promises`, `node:fs`;
 * - go: like path, plus llm-sandbox's rule that a bare name matches the last path element (`exec` ⊂ `os/exec`);
 * - exact (C headers, R packages, shell).
 */
export type ModuleSemantics = 'dotted' | 'path' | 'go' | 'exact';

function normalise(name: string, how: ModuleSemantics): string {
  return how === 'path' ? name.replace(/^node:/, '') : name;
}

export function moduleMatches(rule: string, imported: string, how: ModuleSemantics): boolean {
  const r = normalise(rule, how);
  const i = normalise(imported, how);
  if (r === i) return true;
  switch (how) {
    case 'dotted':
      return i.startsWith(`${r}.`);
    case 'path':
      return i.startsWith(`${r}/`);
    case 'go':
      return i.startsWith(`${r}/`) || (!r.includes('/') && i.endsWith(`/${r}`));
    default:
      return false;
  }
}

/** Restricted modules indexed by first name segment, so matching an import is a map lookup, not a scan. */
export function moduleRuleIndex(
  rules: ModuleRule[],
  how: ModuleSemantics,
): { match(imported: string): ModuleRule[] } {
  const first = (s: string) => normalise(s, how).split(/[./]/)[0];
  const byFirst = new Map<string, ModuleRule[]>();
  const loose: ModuleRule[] = [];
  for (const r of rules) {
    if (how === 'go' && !r.name.includes('/')) loose.push(r);
    else {
      const k = first(r.name);
      byFirst.set(k, [...(byFirst.get(k) ?? []), r]);
    }
  }
  const memo = new Map<string, ModuleRule[]>();
  return {
    match(imported: string): ModuleRule[] {
      let hit = memo.get(imported);
      if (!hit) {
        const cands = [...(byFirst.get(first(imported)) ?? []), ...loose];
        hit = cands.filter((r) => moduleMatches(r.name, imported, how));
        remember(memo, imported, hit);
      }
      return hit;
    },
  };
}

/**
 * Indexes live as long as their policy (the engine caches them), so their memo of names seen is capped: a
 * generated file with a million distinct names must not stay in memory after its check.
 */
const MEMO_LIMIT = 20_000;

function remember<T>(memo: Map<string, T>, key: string, value: T): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
}

/** `subprocess.*`, `os.spawn*` style globs: `*` is any run of characters, everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export function callRuleIndex(rules: CallRule[]): { match(name: string): CallRule[] } {
  const byFirst = new Map<string, Array<{ rule: CallRule; re: RegExp }>>();
  const loose: Array<{ rule: CallRule; re: RegExp }> = [];
  const memo = new Map<string, CallRule[]>();
  for (const rule of rules) {
    const entry = { rule, re: globToRegExp(rule.name) };
    const head = rule.name.split('.')[0];
    if (head.includes('*')) loose.push(entry);
    else byFirst.set(head, [...(byFirst.get(head) ?? []), entry]);
  }
  return {
    // Analyzers report every builtin and module-member use, so the same few names repeat many times.
    match(name: string): CallRule[] {
      let hit = memo.get(name);
      if (!hit) {
        const cands = [...(byFirst.get(name.split('.')[0]) ?? []), ...loose];
        hit = cands.filter((c) => c.re.test(name)).map((c) => c.rule);
        remember(memo, name, hit);
      }
      return hit;
    },
  };
}
