import { type Node, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { CallRule, ModuleRule, PatternRule, Policy, RuleOrigin, Scope } from './policy';
import { PRESETS } from './presets';
import { compilePythonPattern } from './pythonRegex';
import { parseSeverity, Severity } from './severity';

/** A problem in a policy file, at an exact place in its text (so it can be a diagnostic in the editor). */
export interface PolicyProblem {
  /** File path/URI or `preset:NAME` the problem is in. */
  source: string;
  message: string;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
}

/**
 * Reads a policy referenced by `extends` (a path, relative to the referring source) from another policy source;
 * undefined when it does not exist. Presets are resolved by the loader itself, never through this.
 */
export type PolicyReader = (ref: string, fromSource: string) => { source: string; text: string } | undefined;

export interface ResolvedPolicy {
  policy: Policy;
  /** Problems anywhere in the chain. Broken entries are dropped; the rest of the policy keeps working. */
  problems: PolicyProblem[];
}

/** One policy file as written: its own settings and entries, before `extends` is applied. */
interface PolicyLayer {
  name?: string;
  extends: { ref: string; offset: number; length: number }[];
  severityThreshold?: Severity;
  dynamicImportSeverity?: Severity;
  encodingSeverity?: Severity;
  allowSuppressions?: boolean;
  patterns: PatternRule[];
  modules: ModuleRule[];
  calls: CallRule[];
}

const TOP_KEYS = new Set([
  '$schema',
  'name',
  'description',
  'extends',
  'severity_threshold',
  'dynamic_import_severity',
  'encoding_severity',
  'allow_suppressions',
  'languages',
  'patterns',
  'restricted_modules',
  'restricted_calls',
]);
const ENTRY_KEYS: Record<'patterns' | 'restricted_modules' | 'restricted_calls', Set<string>> = {
  patterns: new Set(['id', 'pattern', 'description', 'severity', 'languages', 'scope']),
  restricted_modules: new Set(['id', 'name', 'description', 'severity', 'languages']),
  restricted_calls: new Set(['id', 'name', 'description', 'severity', 'languages']),
};
const SCOPES: Scope[] = ['code', 'strings', 'comments', 'all'];
const MAX_EXTENDS_DEPTH = 16;

export const PRESET_NAMES: string[] = Object.keys(PRESETS);
export const DEFAULT_PRESET = 'recommended';

class LayerParser {
  readonly problems: PolicyProblem[] = [];
  constructor(
    private readonly source: string,
    private readonly withOffsets: boolean,
  ) {}

  private problem(node: Node | undefined, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({
      source: this.source,
      message,
      offset: node?.offset ?? 0,
      length: node?.length ?? 0,
      severity,
    });
  }

  private origin(node: Node, path: (string | number)[]): RuleOrigin {
    return this.withOffsets
      ? { source: this.source, offset: node.offset, path }
      : { source: this.source, path };
  }

  private severity(node: Node | undefined, what: string): Severity | undefined {
    if (!node) return undefined;
    const s = parseSeverity(node.value);
    if (s === undefined) {
      this.problem(
        node,
        `${what}: ${JSON.stringify(node.value)} is not a severity (SAFE, LOW, MEDIUM, HIGH or 0-3)`,
      );
    }
    return s;
  }

  private languages(node: Node | undefined, what: string): string[] | undefined {
    if (!node) return undefined;
    if (node.type !== 'array' || !node.children?.every((c) => c.type === 'string')) {
      this.problem(node, `${what}: "languages" must be an array of language ids`);
      return undefined;
    }
    return node.children.map((c) => String(c.value).toLowerCase());
  }

  private string(node: Node | undefined, what: string, required: boolean): string | undefined {
    if (!node) {
      return undefined;
    }
    if (node.type !== 'string' || (required && node.value === '')) {
      this.problem(node, `${what} must be a non-empty string`);
      return undefined;
    }
    return node.value as string;
  }

  parse(text: string): PolicyLayer {
    const layer: PolicyLayer = { extends: [], patterns: [], modules: [], calls: [] };
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    for (const e of errors) {
      this.problems.push({
        source: this.source,
        message: `JSON syntax error: ${printParseErrorCode(e.error)}`,
        offset: e.offset,
        length: Math.max(e.length, 1),
        severity: 'error',
      });
    }
    if (!root) return layer;
    if (root.type !== 'object') {
      this.problem(root, 'a policy file must contain one JSON object');
      return layer;
    }
    const props = new Map<string, Node>();
    for (const prop of root.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (!key || !value) continue;
      const k = String(key.value);
      if (!TOP_KEYS.has(k)) {
        this.problem(
          key,
          `unknown key "${k}" (expected one of: ${[...TOP_KEYS].slice(1).join(', ')})`,
          'warning',
        );
        continue;
      }
      props.set(k, value);
    }
    layer.name = this.string(props.get('name'), '"name"', true);
    const ext = props.get('extends');
    if (ext) {
      const refs = ext.type === 'array' ? (ext.children ?? []) : [ext];
      for (const r of refs) {
        if (r.type !== 'string' || !r.value)
          this.problem(r, '"extends" takes a preset name or a relative path');
        else layer.extends.push({ ref: r.value as string, offset: r.offset, length: r.length });
      }
    }
    layer.severityThreshold = this.severity(props.get('severity_threshold'), '"severity_threshold"');
    layer.dynamicImportSeverity = this.severity(
      props.get('dynamic_import_severity'),
      '"dynamic_import_severity"',
    );
    layer.encodingSeverity = this.severity(props.get('encoding_severity'), '"encoding_severity"');
    const sup = props.get('allow_suppressions');
    if (sup) {
      if (sup.type === 'boolean') layer.allowSuppressions = sup.value as boolean;
      else this.problem(sup, '"allow_suppressions" must be true or false');
    }
    const defaultLanguages = this.languages(props.get('languages'), 'policy');
    for (const list of ['patterns', 'restricted_modules', 'restricted_calls'] as const) {
      const node = props.get(list);
      if (!node) continue;
      if (node.type !== 'array') {
        this.problem(node, `"${list}" must be an array`);
        continue;
      }
      (node.children ?? []).forEach((entry, index) =>
        this.entry(layer, list, entry, index, defaultLanguages),
      );
    }
    return layer;
  }

  private entry(
    layer: PolicyLayer,
    list: 'patterns' | 'restricted_modules' | 'restricted_calls',
    entry: Node,
    index: number,
    defaultLanguages: string[] | undefined,
  ): void {
    const where = `${list}[${index}]`;
    if (entry.type !== 'object') {
      this.problem(entry, `${where} must be an object`);
      return;
    }
    const f = new Map<string, Node>();
    for (const prop of entry.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (!key || !value) continue;
      const k = String(key.value);
      if (!ENTRY_KEYS[list].has(k)) {
        this.problem(
          key,
          `${where}: unknown key "${k}" (expected: ${[...ENTRY_KEYS[list]].join(', ')})`,
          'warning',
        );
      } else f.set(k, value);
    }
    const description = this.string(f.get('description'), `${where}.description`, false) ?? '';
    const sevNode = f.get('severity');
    if (!sevNode) {
      this.problem(entry, `${where}: "severity" is required`);
      return;
    }
    const severity = this.severity(sevNode, `${where}.severity`);
    const languages = f.has('languages') ? this.languages(f.get('languages'), where) : defaultLanguages;
    const id = this.string(f.get('id'), `${where}.id`, true);
    if (severity === undefined) return;
    const origin = this.origin(entry, [list, index]);
    if (list === 'patterns') {
      const pNode = f.get('pattern');
      const pattern = this.string(pNode, `${where}.pattern`, true);
      if (pNode === undefined) this.problem(entry, `${where}: "pattern" is required`);
      if (pattern === undefined || pNode === undefined) return;
      const compiled = compilePythonPattern(pattern);
      if (!compiled.ok) {
        this.problem(pNode, `${where}: invalid regular expression: ${compiled.error}`);
        return;
      }
      let scope: Scope = 'code';
      const sNode = f.get('scope');
      if (sNode) {
        if (SCOPES.includes(sNode.value as Scope)) scope = sNode.value as Scope;
        else this.problem(sNode, `${where}.scope must be one of ${SCOPES.join(', ')}`);
      }
      layer.patterns.push({
        kind: 'pattern',
        id: id ?? `pattern-${slug(description) || index}`,
        pattern,
        description,
        severity,
        languages,
        scope,
        origin,
      });
      return;
    }
    const nNode = f.get('name');
    const name = this.string(nNode, `${where}.name`, true)?.trim();
    if (nNode === undefined) this.problem(entry, `${where}: "name" is required`);
    if (!name) return;
    if (list === 'restricted_modules') {
      layer.modules.push({
        kind: 'module',
        id: id ?? `module:${name}`,
        name,
        description,
        severity,
        languages,
        origin,
      });
    } else {
      layer.calls.push({
        kind: 'call',
        id: id ?? `call:${name}`,
        name,
        description,
        severity,
        languages,
        origin,
      });
    }
  }
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
}

/** Later entries override earlier ones with the same key (id for patterns, name+languages otherwise). */
function mergeBy<T>(base: T[], over: T[], key: (t: T) => string): T[] {
  const out = new Map<string, T>();
  for (const t of [...base, ...over]) {
    const k = key(t);
    out.delete(k); // re-insert so the override takes the later position
    out.set(k, t);
  }
  return [...out.values()];
}

const langKey = (l?: string[]) => (l ? [...l].sort().join(',') : '*');

function merge(base: Policy, layer: PolicyLayer): Policy {
  return {
    name: layer.name ?? base.name,
    severityThreshold: layer.severityThreshold ?? base.severityThreshold,
    dynamicImportSeverity: layer.dynamicImportSeverity ?? base.dynamicImportSeverity,
    encodingSeverity: layer.encodingSeverity ?? base.encodingSeverity,
    allowSuppressions: layer.allowSuppressions ?? base.allowSuppressions,
    patterns: mergeBy(base.patterns, layer.patterns, (p) => p.id),
    restrictedModules: mergeBy(
      base.restrictedModules,
      layer.modules,
      (m) => `${m.name}|${langKey(m.languages)}`,
    ),
    restrictedCalls: mergeBy(base.restrictedCalls, layer.calls, (c) => `${c.name}|${langKey(c.languages)}`),
    sources: base.sources,
  };
}

/** llm-sandbox's SecurityPolicy defaults: threshold SAFE (report only), no rules. */
function emptyPolicy(name: string): Policy {
  return {
    name,
    severityThreshold: Severity.SAFE,
    dynamicImportSeverity: Severity.MEDIUM,
    encodingSeverity: Severity.HIGH,
    allowSuppressions: true,
    patterns: [],
    restrictedModules: [],
    restrictedCalls: [],
    sources: [],
  };
}

function uniquifyPatternIds(layer: PolicyLayer): void {
  const seen = new Map<string, number>();
  for (const p of layer.patterns) {
    const n = seen.get(p.id) ?? 0;
    seen.set(p.id, n + 1);
    if (n > 0) p.id = `${p.id}-${n + 1}`;
  }
}

class Resolver {
  readonly problems: PolicyProblem[] = [];
  constructor(private readonly read: PolicyReader) {}

  resolve(source: string, text: string, isPreset: boolean, chain: string[]): Policy {
    const parser = new LayerParser(source, !isPreset);
    const layer = parser.parse(text);
    uniquifyPatternIds(layer);
    this.problems.push(...parser.problems);
    let base = emptyPolicy(layer.name ?? source.replace(/^preset:/, '').replace(/^.*[\\/]/, ''));
    const parentSources: string[] = [];
    for (const ext of layer.extends) {
      const at = { source, offset: ext.offset, length: ext.length, severity: 'error' as const };
      if (chain.length >= MAX_EXTENDS_DEPTH) {
        this.problems.push({ ...at, message: `"extends" chain is deeper than ${MAX_EXTENDS_DEPTH}` });
        continue;
      }
      const target = this.locate(ext.ref, source);
      if (!target) {
        this.problems.push({
          ...at,
          message: `"extends": "${ext.ref}" is neither a bundled preset (${PRESET_NAMES.join(', ')}) nor a readable policy file`,
        });
        continue;
      }
      if (chain.includes(target.source) || target.source === source) {
        this.problems.push({
          ...at,
          message: `"extends": "${ext.ref}" makes a cycle (${[...chain, source].join(' → ')})`,
        });
        continue;
      }
      const parent = this.resolve(target.source, target.text, target.preset, [...chain, source]);
      base = merge(base, policyAsLayer(parent));
      parentSources.push(...parent.sources);
    }
    return { ...merge(base, layer), sources: [source, ...parentSources] };
  }

  private locate(ref: string, from: string): { source: string; text: string; preset: boolean } | undefined {
    const looksLikePath = /[\\/]|\.json$/i.test(ref);
    if (!looksLikePath && ref in PRESETS) return presetSource(ref);
    const found = this.read(ref, from);
    if (found) return { ...found, preset: false };
    return ref in PRESETS ? presetSource(ref) : undefined;
  }
}

function presetSource(name: string): { source: string; text: string; preset: boolean } {
  return { source: `preset:${name}`, text: JSON.stringify(PRESETS[name]), preset: true };
}

function policyAsLayer(p: Policy): PolicyLayer {
  return {
    name: p.name,
    extends: [],
    severityThreshold: p.severityThreshold,
    dynamicImportSeverity: p.dynamicImportSeverity,
    encodingSeverity: p.encodingSeverity,
    allowSuppressions: p.allowSuppressions,
    patterns: p.patterns,
    modules: p.restrictedModules,
    calls: p.restrictedCalls,
  };
}

/** Resolves a policy file's text (with its `extends` chain) into a Policy. Never throws. */
export function resolvePolicyText(source: string, text: string, read: PolicyReader): ResolvedPolicy {
  const r = new Resolver(read);
  const policy = r.resolve(source, text, false, []);
  return { policy, problems: r.problems };
}

const presetCache = new Map<string, Policy>();

/** A bundled preset by name (`recommended`, `production`, ...). Throws on an unknown name. */
export function presetPolicy(name: string): Policy {
  const cached = presetCache.get(name);
  if (cached) return cached;
  if (!(name in PRESETS)) {
    throw new Error(`unknown preset "${name}" (available: ${PRESET_NAMES.join(', ')})`);
  }
  const r = new Resolver(() => undefined);
  const { source, text } = presetSource(name);
  const policy = r.resolve(source, text, true, []);
  if (r.problems.length > 0) {
    throw new Error(`bundled preset ${name} is invalid: ${r.problems.map((p) => p.message).join('; ')}`);
  }
  presetCache.set(name, policy);
  return policy;
}
