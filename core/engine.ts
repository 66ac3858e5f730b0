import type { Tree } from 'web-tree-sitter';
import type { CheckResult, Finding, FindingKind } from './findings';
import { analysisFailed } from './languages/analysisFailed';
import { languageInfo, type AnalysisHints, type LanguageInfo } from './languages/registry';
import type { LanguageFacts, Span } from './languages/types';
import { callRuleIndex, moduleRuleIndex } from './matchers';
import type { ParserHost } from './parsing';
import type { PatternRule, Policy, Rule } from './policy';
import { compilePythonPattern } from './pythonRegex';
import { blocks, Severity, severityName } from './severity';
import { findSuppressions } from './suppressions';
import { LineIndex } from './lineIndex';

export interface CheckOptions {
  /** A VS Code language id (`python`, `typescriptreact`, `shellscript`...) or a llm-sandbox name. */
  languageId: string;
  /** Grammars; without them only text-level checks run (patterns over the whole text, R's lexer). */
  parsers?: ParserHost;
  /** The previous tree for this document, already `edit()`ed, for an incremental reparse. */
  previousTree?: Tree;
  /** Cap on reported findings (default 1000). Past it, `blocked` is still computed exactly. */
  maxFindings?: number;
  /** Wall-clock budget in ms for pattern matching (default 2000); past it the result is marked timedOut. */
  timeBudgetMs?: number;
}

export interface CheckOutput extends CheckResult {
  /** The syntax tree, for the caller to keep for the next incremental check. */
  tree?: Tree;
}

const EMPTY_FACTS: LanguageFacts = { comments: [], strings: [], imports: [], dynamicImports: [], calls: [] };
const MAX_SUBJECT = 80;

/** The verdict half of a message: whether this severity blocks Run in Sandbox under the policy's threshold. */
export function verdictText(severity: Severity, threshold: Severity): string {
  const sev = severityName(severity);
  if (threshold === Severity.SAFE) return `${sev}; reported only (threshold SAFE: this policy never blocks)`;
  return blocks(severity, threshold)
    ? `${sev}; blocks Run in Sandbox (threshold ${severityName(threshold)})`
    : `${sev}; reported only, does not block Run in Sandbox (threshold ${severityName(threshold)})`;
}

function ruleApplies(rule: Rule, lang: LanguageInfo | undefined): boolean {
  if (!rule.languages || rule.languages.length === 0) return true;
  return lang !== undefined && rule.languages.some((l) => lang.names.includes(l));
}

/** Sorted, non-overlapping spans; membership by binary search. */
class SpanSet {
  private readonly spans: readonly Span[];
  constructor(spans: readonly Span[]) {
    let ordered = true;
    for (let i = 1; i < spans.length && ordered; i++) ordered = spans[i].start > spans[i - 1].end;
    // Analyzers usually hand spans over in order already: then there is nothing to sort or merge.
    if (ordered) {
      this.spans = spans;
      return;
    }
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    const out: Span[] = [];
    for (const s of sorted) {
      const last = out[out.length - 1];
      if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
      else out.push({ start: s.start, end: s.end });
    }
    this.spans = out;
  }
  /** The span containing offset, if any. */
  at(offset: number): Span | undefined {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.spans[mid];
      if (offset < s.start) hi = mid - 1;
      else if (offset >= s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  }
  get all(): readonly Span[] {
    return this.spans;
  }
}

/** Comments replaced by spaces (newlines kept), so offsets still line up with the original text. */
function maskSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let pos = 0;
  for (const s of spans) {
    parts.push(text.slice(pos, s.start), text.slice(s.start, s.end).replace(/[^\n]/g, ' '));
    pos = s.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

class Collector {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  blocked = false;
  truncated = false;
  constructor(
    private readonly policy: Policy,
    private readonly max: number,
    private readonly isSuppressed: (ruleId: string, offset: number) => boolean,
  ) {}

  /** Whether more findings are still wanted (once capped, only a first blocking one still matters). */
  wants(severity: Severity): boolean {
    if (this.findings.length < this.max) return true;
    this.truncated = true;
    return !this.blocked && blocks(severity, this.policy.severityThreshold);
  }

  add(
    rule: { id: string; severity: Severity; description: string; origin: Finding['origin'] },
    kind: FindingKind,
    span: Span,
    subject: string,
    what: string,
  ): void {
    const key = `${rule.id}\u0000${span.start}\u0000${span.end}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const blocking = blocks(rule.severity, this.policy.severityThreshold);
    if (blocking) this.blocked = true;
    if (this.findings.length >= this.max) {
      this.truncated = true;
      return;
    }
    const verdict = verdictText(rule.severity, this.policy.severityThreshold);
    const why = rule.description ? `: ${rule.description}` : '';
    this.findings.push({
      ruleId: rule.id,
      kind,
      severity: rule.severity,
      message: `${what}${why}. ${verdict}.`,
      description: rule.description,
      start: span.start,
      end: span.end,
      blocking,
      suppressed: this.isSuppressed(rule.id, span.start),
      origin: rule.origin,
      subject,
    });
  }
}

function quote(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > MAX_SUBJECT ? `${one.slice(0, MAX_SUBJECT - 1)}…` : one;
}

function runPatterns(
  text: string,
  rules: PatternRule[],
  facts: LanguageFacts,
  known: boolean,
  out: Collector,
  deadline: number,
  notes: string[],
): boolean {
  const comments = new SpanSet(facts.comments);
  const strings = new SpanSet(facts.strings);
  let commentless: string | undefined;
  for (const rule of rules) {
    if (Date.now() > deadline) return true;
    if (!out.wants(rule.severity)) continue;
    // Without a grammar, comments and strings are unknown: every pattern searches the whole text.
    const scope = known ? rule.scope : 'all';
    const compiled = compilePythonPattern(rule.pattern);
    if (!compiled.ok) {
      notes.push(`pattern ${rule.id} skipped: ${compiled.error}`);
      continue;
    }
    const haystack =
      scope === 'code' || scope === 'strings' ? (commentless ??= maskSpans(text, comments.all)) : text;
    const m = compiled.regex.matcher(haystack);
    let from = 0;
    let n = 0;
    while (from <= haystack.length && m.find(from)) {
      const start = m.start();
      const end = m.end();
      from = end > start ? end : start + 1;
      if (++n % 256 === 0 && Date.now() > deadline) return true;
      // `code` matches must start in code (a string literal may still be part of the match, as in
      // llm-sandbox's open(..., 'w') rule); `strings`/`comments` matches must start inside one.
      if (scope === 'code') {
        const inString = strings.at(start);
        if (inString) {
          from = Math.max(from, inString.end);
          continue;
        }
        if (comments.at(start)) continue;
      } else if (scope === 'strings' && !strings.at(start)) continue;
      else if (scope === 'comments' && !comments.at(start)) continue;
      out.add(
        rule,
        'pattern',
        { start, end },
        text.slice(start, end),
        `Pattern "${rule.id}" matched "${quote(text.slice(start, end))}"`,
      );
      if (!out.wants(rule.severity)) break;
    }
  }
  return false;
}

/** What a policy means for one language, built once per (policy, language) rather than on every keystroke. */
interface LanguageRules {
  hints: AnalysisHints;
  modules: ReturnType<typeof moduleRuleIndex>;
  calls: ReturnType<typeof callRuleIndex>;
  patterns: PatternRule[];
}

const rulesCache = new WeakMap<Policy, Map<string, LanguageRules>>();

function languageRules(policy: Policy, lang: LanguageInfo | undefined): LanguageRules {
  let byLang = rulesCache.get(policy);
  if (!byLang) rulesCache.set(policy, (byLang = new Map()));
  const key = lang?.id ?? '';
  let rules = byLang.get(key);
  if (!rules) {
    const calls = policy.restrictedCalls.filter((r) => ruleApplies(r, lang));
    const roots = calls.map((r) => r.name.split('.')[0]).map((root) => (root.includes('*') ? '*' : root));
    rules = {
      hints: { callModules: new Set(roots) },
      modules: moduleRuleIndex(
        policy.restrictedModules.filter((r) => ruleApplies(r, lang)),
        lang?.modules ?? 'exact',
      ),
      calls: callRuleIndex(calls),
      patterns: policy.patterns.filter((r) => ruleApplies(r, lang)),
    };
    byLang.set(key, rules);
  }
  return rules;
}

/** Applies a policy to one source text. Pure: no I/O. Never throws on any input text. */
export function checkText(text: string, policy: Policy, options: CheckOptions): CheckOutput {
  const started = Date.now();
  const deadline = started + (options.timeBudgetMs ?? 2000);
  const lang = languageInfo(options.languageId);
  const rules = languageRules(policy, lang);
  const notes: string[] = [];
  let tree: Tree | undefined;
  let facts: LanguageFacts = EMPTY_FACTS;
  let known = false;
  try {
    if (lang?.analyzeTree && lang.grammar && options.parsers) {
      tree = options.parsers.parse(
        lang.grammar(options.languageId.toLowerCase()),
        text,
        options.previousTree,
      );
      if (tree) {
        facts = lang.analyzeTree(tree, text, rules.hints);
        known = true;
      }
    } else if (lang?.analyzeText) {
      facts = lang.analyzeText(text);
      known = true;
    }
  } catch (e) {
    // An analyzer bug must not take the checker down, nor let unchecked code pass: patterns still run on the
    // whole text, and a dynamic-import finding says what could not be checked (the gate fails closed).
    notes.push(
      `syntax analysis failed (${e instanceof Error ? e.message : String(e)}); only patterns were checked`,
    );
    facts = analysisFailed({ ...EMPTY_FACTS, dynamicImports: [] }, text, e);
    known = false;
  }
  if (!lang)
    notes.push(`language "${options.languageId}" is not known: only patterns without a language list apply`);

  const lines = new LineIndex(text);
  const suppress = policy.allowSuppressions
    ? findSuppressions(text, known ? facts.comments : undefined, lines)
    : { isSuppressed: () => false };
  const out = new Collector(policy, options.maxFindings ?? 1000, suppress.isSuppressed);

  const modules = rules.modules;
  for (const imp of facts.imports) {
    // `from a import b` reports `a` (on a) and `a.b` (on b): a rule that already matches `a` is reported once.
    const parent = imp.form === 'from-import' ? imp.module.slice(0, imp.module.lastIndexOf('.')) : undefined;
    const parentRules = parent ? new Set(modules.match(parent)) : undefined;
    for (const rule of modules.match(imp.module)) {
      if (parentRules?.has(rule) || !out.wants(rule.severity)) continue;
      out.add(rule, 'module', imp, imp.module, `Import of restricted module "${imp.module}" (${imp.form})`);
    }
  }
  const calls = rules.calls;
  for (const call of facts.calls) {
    for (const rule of calls.match(call.name)) {
      if (!out.wants(rule.severity)) continue;
      const written = text.slice(call.start, call.end);
      const how = written.replace(/\s+/g, '') === call.name ? '' : ` (written "${quote(written)}")`;
      out.add(rule, 'call', call, call.name, `Use of restricted "${call.name}"${how}`);
    }
  }
  const dyn = {
    id: 'dynamic-import',
    severity: policy.dynamicImportSeverity,
    description: 'a module restriction means nothing if a computed import can walk around it',
    origin: { source: policy.sources[0] ?? policy.name },
  };
  for (const d of facts.dynamicImports) {
    if (out.wants(dyn.severity))
      out.add(dyn, 'dynamic-import', d, text.slice(d.start, d.end), `Dynamic import: ${d.reason}`);
  }
  if (facts.encoding) {
    const enc = {
      id: 'source-encoding',
      severity: policy.encodingSeverity,
      description:
        'an unusual source encoding can make the code Python runs differ from the text a checker reads',
      origin: { source: policy.sources[0] ?? policy.name },
    };
    out.add(
      enc,
      'encoding',
      facts.encoding,
      facts.encoding.encoding,
      `Source encoding "${facts.encoding.encoding}" declared`,
    );
  }
  const patterns = rules.patterns.filter((r) => known || r.scope === 'code' || r.scope === 'all');
  const timedOut = patterns.length > 0 && runPatterns(text, patterns, facts, known, out, deadline, notes);
  if (timedOut)
    notes.push(`pattern matching stopped after ${options.timeBudgetMs ?? 2000} ms; findings are partial`);

  out.findings.sort((a, b) => a.start - b.start || b.severity - a.severity);
  return {
    language: lang?.id ?? 'unknown',
    findings: out.findings,
    blocked: out.blocked,
    truncated: out.truncated,
    timedOut,
    notes,
    tree,
  };
}
