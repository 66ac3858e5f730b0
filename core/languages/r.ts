import { lexR, type RToken } from './rLexer';
import type { LanguageFacts, Span } from './types';
import { collectFacts } from './analysisFailed';

/** Attach or load a package named by their first (or `package =`) argument. */
const LOADERS = new Set(['library', 'require', 'requireNamespace', 'loadNamespace', 'attachNamespace']);
/** Look a function up by a string name: `get("system")` is `system`. Value: index of the name argument. */
const LOOKUPS: Record<string, { index: number; named: string }> = {
  get: { index: 0, named: 'x' },
  get0: { index: 0, named: 'x' },
  mget: { index: 0, named: 'x' },
  'match.fun': { index: 0, named: 'FUN' },
  getFunction: { index: 0, named: 'name' },
  getFromNamespace: { index: 0, named: 'x' },
  getExportedValue: { index: 1, named: 'name' },
};
/** Calls whose arguments are inspected. */
const SPECIAL = new Set([...LOADERS, ...Object.keys(LOOKUPS), 'p_load', 'source', 'sys.source', 'do.call']);
const KEYWORDS = new Set([
  'function',
  'if',
  'else',
  'for',
  'while',
  'repeat',
  'in',
  'next',
  'break',
  'TRUE',
  'FALSE',
  'T',
  'F',
  'NULL',
  'NA',
  'NA_integer_',
  'NA_real_',
  'NA_character_',
  'Inf',
  'NaN',
]);
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);
const MAX_ALIAS_DEPTH = 16;

interface Arg extends Span {
  name?: string;
  tokens: RToken[];
}

interface Callee extends Span {
  /** Resolved name: `system`, `base::system` → `system`, `processx::run`. */
  name: string;
  /** Index of the `(` token, when called. */
  open?: number;
}

/**
 * R (no grammar: a hand-written lexer): comments, strings, package loads anywhere in the file
 * (`library(x)`, `require("x")`, `requireNamespace`, `loadNamespace`, `pacman::p_load`, `x::f` and `x:::f`,
 * `source(file)`), dynamic ones (`library(v, character.only = TRUE)` with a non-constant `v`,
 * `do.call(library, ...)`, `library` passed as a value, a non-constant `source`/`requireNamespace`), and
 * calls by name: `system`, `system2`, `eval`, `parse`; `base::f` is `f`, other namespaces stay qualified
 * (`processx::run`); `"system"(...)`, `` `system`(...) ``, `do.call("system", ...)`, `get("system")`,
 * `match.fun`, an alias `f <- system` and a function passed as a value (`lapply(x, system)`) resolve too.
 * Functions defined in the file (`system <- function(...)`) are not the builtins.
 */
export function analyzeR(text: string): LanguageFacts {
  return collectFacts(text, (facts) => {
    const lexed = lexR(text);
    facts.comments = lexed.comments;
    facts.strings = lexed.strings;
    new RFile(text, lexed.tokens, facts).run();
  });
}

class RFile {
  /** Variable → its only assigned token (a constant string or a function name), or null if ambiguous. */
  private readonly bindings = new Map<string, RToken | null>();
  private readonly localFunctions = new Set<string>();
  private readonly matching: number[];
  /** For each token, the index of the innermost bracket open around it (-1 at top level). */
  private readonly enclosing: number[];
  /** Function bodies (token ranges, in order of start) and the parameter names that shadow globals there. */
  private readonly scopes: { first: number; last: number; names: Set<string> }[] = [];
  private active: { first: number; last: number; names: Set<string> }[] = [];
  private nextScope = 0;
  /** Token indexes that are parameter names or loader operands, never function values. */
  private readonly notValues = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly tokens: RToken[],
    private readonly facts: LanguageFacts,
  ) {
    [this.matching, this.enclosing] = matchBrackets(tokens);
  }

  run(): void {
    this.collectBindings();
    this.collectScopes();
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      if (tok.kind !== 'id' && tok.kind !== 'str') continue;
      const prev = t[i - 1];
      if (prev && prev.kind === 'op' && (prev.value === '$' || prev.value === '@')) continue;
      const next = t[i + 1];
      // `pkg::name`, `pkg:::name` (also spelled with strings or backticks).
      if (next?.kind === 'op' && (next.value === '::' || next.value === ':::')) {
        const member = t[i + 2];
        if (!member || (member.kind !== 'id' && member.kind !== 'str')) continue;
        this.facts.imports.push({ start: tok.start, end: member.end, module: tok.value, form: next.value });
        const name = tok.value === 'base' ? member.value : `${tok.value}::${member.value}`;
        const called = t[i + 3]?.value === '(' && t[i + 3]?.kind === 'op';
        this.use({ start: tok.start, end: member.end, name, open: called ? i + 3 : undefined });
        i += 2;
        continue;
      }
      if (prev?.kind === 'op' && (prev.value === '::' || prev.value === ':::')) continue;
      const called = next?.kind === 'op' && next.value === '(';
      if (tok.kind === 'str') {
        // `"system"("ls")` calls system; any other string is just a string.
        const statementStart = !prev || this.text.slice(prev.end, tok.start).includes('\n');
        if (called && (statementStart || (prev.kind === 'op' && !CLOSE.has(prev.value)))) {
          this.use({ start: tok.start, end: tok.end, name: this.resolve(tok.value), open: i + 1 });
        }
        continue;
      }
      if (!tok.quoted && KEYWORDS.has(tok.value)) continue;
      if (this.notValues.has(i) || this.shadowedAt(i, tok.value)) continue;
      if (called) {
        if (this.localFunctions.has(tok.value)) continue;
        this.use({ start: tok.start, end: tok.end, name: this.resolve(tok.value), open: i + 1 });
      } else if (this.isFunctionValue(i)) {
        this.use({ start: tok.start, end: tok.end, name: this.resolve(tok.value) });
      }
    }
    this.facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** Constant bindings (`pkg <- "httr"`, `f <- system`) and functions defined in the file. */
  private collectBindings(): void {
    const t = this.tokens;
    const stack: string[] = [];
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      if (tok.kind === 'op' && OPEN.has(tok.value)) stack.push(tok.value);
      else if (tok.kind === 'op' && CLOSE.has(tok.value)) stack.pop();
      if (tok.kind !== 'op') continue;
      const top = stack.at(-1);
      const leftward =
        tok.value === '<-' ||
        tok.value === '<<-' ||
        (tok.value === '=' && (top === undefined || top === '{'));
      const rightward = tok.value === '->' || tok.value === '->>';
      if (!leftward && !rightward) continue;
      const target = leftward ? t[i - 1] : t[i + 1];
      if (!target || (target.kind !== 'id' && target.kind !== 'str')) continue;
      if (leftward && t[i - 2]?.kind === 'op' && ['$', '@', '::', ':::'].includes(t[i - 2]!.value)) continue;
      const valueIndex = leftward ? i + 1 : i - 1;
      const value = t[valueIndex];
      if (
        leftward &&
        value &&
        ((value.kind === 'id' && value.value === 'function') || value.value === '\\')
      ) {
        this.localFunctions.add(target.value);
        this.bindings.set(target.value, null);
        continue;
      }
      const qualified = leftward ? this.qualifiedAt(valueIndex) : undefined;
      if (qualified) {
        const previous = this.bindings.get(target.value);
        this.bindings.set(target.value, previous === undefined ? qualified : null);
        continue;
      }
      // Only a lone constant or name is a binding; `x <- system(...)` or `x <- a + b` is not.
      const lone =
        value !== undefined &&
        (value.kind === 'str' || value.kind === 'id') &&
        (leftward ? !this.continues(value, t[valueIndex + 1]) : !this.extends(t[valueIndex - 1], value));
      const previous = this.bindings.get(target.value);
      if (previous === undefined && lone) this.bindings.set(target.value, value);
      else this.bindings.set(target.value, null);
    }
  }

  /** `function(system) system(...)`: inside, `system` is the parameter. */
  private collectScopes(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      const isFunction =
        (tok.kind === 'id' && tok.value === 'function' && !tok.quoted) ||
        (tok.kind === 'op' && tok.value === '\\');
      if (!isFunction || t[i + 1]?.value !== '(') continue;
      const close = this.matching[i + 1];
      if (close === undefined) continue;
      const names = new Set<string>();
      let expectName = true;
      for (let k = i + 2; k < close; k++) {
        const p = t[k]!;
        if (expectName && p.kind === 'id') {
          names.add(p.value);
          this.notValues.add(k);
          expectName = false;
        } else if (p.kind === 'op' && p.value === ',') {
          expectName = true;
        } else if (p.kind === 'op' && OPEN.has(p.value)) {
          k = this.matching[k] ?? k;
        }
      }
      let last = close + 1;
      if (t[last]?.value === '{') last = this.matching[last] ?? t.length - 1;
      else
        while (last + 1 < t.length && !this.text.slice(t[last]!.end, t[last + 1]!.start).includes('\n'))
          last++;
      if (names.size > 0) this.scopes.push({ first: close + 1, last, names });
    }
    // A function written in another's default argument is found after it but starts earlier.
    this.scopes.sort((a, b) => a.first - b.first);
  }

  /** Called with increasing `i`: keeps the set of function bodies around token `i` up to date. */
  private shadowedAt(i: number, name: string): boolean {
    while (this.nextScope < this.scopes.length && this.scopes[this.nextScope]!.first <= i) {
      this.active.push(this.scopes[this.nextScope++]!);
    }
    if (this.active.length > 0 && this.active.some((s) => s.last < i))
      this.active = this.active.filter((s) => s.last >= i);
    return this.active.some((s) => s.names.has(name));
  }

  /** `base::system` or `pkg::f` as a lone value at `i` (an alias binding), as one synthetic name token. */
  private qualifiedAt(i: number): RToken | undefined {
    const t = this.tokens;
    const pkg = t[i];
    const sep = t[i + 1];
    const member = t[i + 2];
    if (!pkg || !sep || !member || sep.kind !== 'op' || (sep.value !== '::' && sep.value !== ':::'))
      return undefined;
    if ((pkg.kind !== 'id' && pkg.kind !== 'str') || (member.kind !== 'id' && member.kind !== 'str'))
      return undefined;
    if (this.continues(member, t[i + 3])) return undefined;
    const value = pkg.value === 'base' ? member.value : `${pkg.value}::${member.value}`;
    return { kind: 'id', value, start: pkg.start, end: member.end, quoted: true };
  }

  /** Follows `f <- system` aliases to the function they name. */
  private resolve(name: string): string {
    let current = name;
    for (let k = 0; k < MAX_ALIAS_DEPTH; k++) {
      const bound = this.bindings.get(current);
      if (!bound || bound.kind !== 'id' || KEYWORDS.has(bound.value)) break;
      current = bound.value;
    }
    return current;
  }

  private constant(tok: RToken): string | undefined {
    if (tok.kind === 'str') return tok.value;
    if (tok.kind !== 'id') return undefined;
    let current = tok.value;
    for (let k = 0; k < MAX_ALIAS_DEPTH; k++) {
      const bound = this.bindings.get(current);
      if (!bound) return undefined;
      if (bound.kind === 'str') return bound.value;
      current = bound.value;
    }
    return undefined;
  }

  /** An identifier passed as an argument or assigned, not called: `lapply(x, system)`, `f <- system`. */
  private isFunctionValue(i: number): boolean {
    const t = this.tokens;
    const tok = t[i]!;
    if (this.localFunctions.has(tok.value)) return false;
    const bound = this.bindings.get(tok.value);
    if (bound !== undefined && (bound === null || bound.kind === 'str')) return false;
    const prev = t[i - 1];
    const next = t[i + 1];
    const argStart = prev?.kind === 'op' && (prev.value === '(' || prev.value === ',');
    const argEnd = !next || (next.kind === 'op' && (next.value === ')' || next.value === ','));
    if (argStart && argEnd) return !this.isLoaderOperand(i);
    const assigned =
      prev?.kind === 'op' && (prev.value === '<-' || prev.value === '<<-' || prev.value === '=');
    return assigned && !this.continues(tok, next);
  }

  /** `httr` in `library(httr)` names a package, not a function. */
  private isLoaderOperand(i: number): boolean {
    const open = this.enclosing[i] ?? -1;
    const callee = this.tokens[open - 1];
    return (
      open >= 0 &&
      this.tokens[open]!.value === '(' &&
      callee !== undefined &&
      (LOADERS.has(callee.value) || callee.value === 'p_load')
    );
  }

  /** Whether operator `a` applies to `b` from the left (`"x" + v -> y`), as opposed to ending a statement. */
  private extends(a: RToken | undefined, b: RToken): boolean {
    if (!a || a.kind !== 'op' || ['(', '{', '[', ';', ','].includes(a.value)) return false;
    return !this.text.slice(a.end, b.start).includes('\n');
  }

  /** Whether `b` continues the expression that `a` ends (an operator on the same line, not a terminator). */
  private continues(a: RToken | undefined, b: RToken | undefined): boolean {
    if (!a || !b || b.kind !== 'op' || [';', ')', '}', ']', ','].includes(b.value)) return false;
    return !this.text.slice(a.end, b.start).includes('\n');
  }

  private use(callee: Callee): void {
    const name = callee.name;
    const short = name.includes('::') ? name.slice(name.lastIndexOf(':') + 1) : name;
    const pkg = name.includes('::') ? name.slice(0, name.indexOf(':')) : undefined;
    this.facts.calls.push({ start: callee.start, end: callee.end, name });
    if (callee.open === undefined) {
      if (LOADERS.has(short) && (pkg === undefined || pkg === 'base')) {
        this.facts.dynamicImports.push({
          start: callee.start,
          end: callee.end,
          reason: `${short} is passed as a value`,
        });
      }
      return;
    }
    if (!SPECIAL.has(short)) return;
    const close = this.matching[callee.open] ?? this.tokens.length - 1;
    const span = { start: callee.start, end: this.tokens[close]?.end ?? callee.end };
    const args = this.args(callee.open, close);
    if (LOADERS.has(short) && (pkg === undefined || pkg === 'base')) this.loader(short, args, span);
    else if (short === 'p_load' && (pkg === undefined || pkg === 'pacman')) this.pLoad(args, span);
    else if ((short === 'source' || short === 'sys.source') && pkg === undefined)
      this.source(short, args, span);
    else if (short === 'do.call' && pkg === undefined) this.doCall(args);
    else if (Object.hasOwn(LOOKUPS, short) && (pkg === undefined || pkg === 'utils'))
      this.lookup(short, args);
  }

  private args(open: number, close: number): Arg[] {
    const out: Arg[] = [];
    let current: RToken[] = [];
    const flush = () => {
      if (current.length === 0) return;
      const first = current[0]!;
      const second = current[1];
      const named =
        (first.kind === 'id' || first.kind === 'str') && second?.kind === 'op' && second.value === '=';
      const tokens = named ? current.slice(2) : current;
      out.push({
        name: named ? first.value : undefined,
        tokens,
        start: first.start,
        end: current.at(-1)!.end,
      });
      current = [];
    };
    for (let k = open + 1; k < close; k++) {
      const tok = this.tokens[k]!;
      if (tok.kind === 'op' && tok.value === ',') {
        flush();
        continue;
      }
      current.push(tok);
      const match = this.matching[k];
      if (match !== undefined && match > k && match <= close) {
        for (let j = k + 1; j <= match && j < close; j++) current.push(this.tokens[j]!);
        k = match;
      }
    }
    flush();
    return out;
  }

  private positional(args: Arg[], index: number, named: string): Arg | undefined {
    const byName = args.find((a) => a.name === named);
    if (byName) return byName;
    return args.filter((a) => a.name === undefined)[index];
  }

  private loader(form: string, args: Arg[], span: Span): void {
    const pkg = this.positional(args, 0, 'package');
    if (!pkg) return;
    const flag = args.find((a) => a.name === 'character.only');
    const characterOnly =
      form === 'library' || form === 'require'
        ? flag === undefined
          ? false
          : !(flag.tokens.length === 1 && ['FALSE', 'F'].includes(flag.tokens[0]!.value))
        : true;
    const single = pkg.tokens.length === 1 ? pkg.tokens[0]! : undefined;
    let module: string | undefined;
    if (single?.kind === 'str') module = single.value;
    else if (single?.kind === 'id' && !characterOnly) module = single.value;
    else if (single?.kind === 'id') module = this.constant(single);
    if (module !== undefined) {
      this.facts.imports.push({ ...span, module, form });
    } else {
      this.facts.dynamicImports.push({ ...span, reason: `package argument of ${form} is not a constant` });
    }
  }

  private pLoad(args: Arg[], span: Span): void {
    const characterOnly = args.some(
      (a) =>
        a.name === 'character.only' &&
        !(a.tokens.length === 1 && ['FALSE', 'F'].includes(a.tokens[0]!.value)),
    );
    for (const arg of args) {
      if (arg.name !== undefined && arg.name !== 'char') continue;
      const single = arg.tokens.length === 1 ? arg.tokens[0]! : undefined;
      const module =
        single?.kind === 'str'
          ? single.value
          : single?.kind === 'id' && !characterOnly && arg.name === undefined
            ? single.value
            : single
              ? this.constant(single)
              : undefined;
      if (module !== undefined)
        this.facts.imports.push({ start: arg.start, end: arg.end, module, form: 'p_load' });
      else
        this.facts.dynamicImports.push({ ...span, reason: 'package argument of p_load is not a constant' });
    }
  }

  private source(form: string, args: Arg[], span: Span): void {
    const file = this.positional(args, 0, form === 'source' ? 'file' : 'file');
    if (!file) return;
    const single = file.tokens.length === 1 ? file.tokens[0]! : undefined;
    const module = single ? this.constant(single) : undefined;
    if (module !== undefined) this.facts.imports.push({ ...span, module, form: 'source' });
    else this.facts.dynamicImports.push({ ...span, reason: `file argument of ${form} is not a constant` });
  }

  /** `do.call(library, list(p))` loads a computed package; `do.call("system", ...)` calls system. */
  private doCall(args: Arg[]): void {
    const what = this.positional(args, 0, 'what');
    const single = what?.tokens.length === 1 ? what.tokens[0]! : undefined;
    if (!what || !single || (single.kind !== 'str' && single.kind !== 'id')) return;
    const name = this.resolve(single.value);
    // An identifier argument was already reported as a function value (and a loader one as dynamic).
    if (single.kind === 'id') return;
    this.facts.calls.push({ start: single.start, end: single.end, name });
    if (LOADERS.has(name)) {
      this.facts.dynamicImports.push({ start: what.start, end: what.end, reason: `do.call of ${name}` });
    }
  }

  private lookup(form: string, args: Arg[]): void {
    const spec = LOOKUPS[form]!;
    const arg = this.positional(args, spec.index, spec.named);
    const single = arg?.tokens.length === 1 ? arg.tokens[0]! : undefined;
    const value = single ? this.constant(single) : undefined;
    if (!single || value === undefined || !/^[\p{L}.][\p{L}\p{Nd}._]*$/u.test(value)) return;
    const name = this.resolve(value);
    this.facts.calls.push({ start: single.start, end: single.end, name });
    if (LOADERS.has(name)) {
      this.facts.dynamicImports.push({
        start: single.start,
        end: single.end,
        reason: `${name} looked up by ${form}`,
      });
    }
  }
}

/**
 * For each bracket token, the index of its partner (unbalanced ones map to nothing); and for every token,
 * the innermost open bracket around it.
 */
function matchBrackets(tokens: RToken[]): [number[], number[]] {
  const out: number[] = [];
  const enclosing: number[] = new Array<number>(tokens.length);
  const stack: number[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    enclosing[i] = stack.at(-1) ?? -1;
    if (tok.kind !== 'op') continue;
    if (tok.value === '(' || tok.value === '[' || tok.value === '{') stack.push(i);
    else if (tok.value in pairs) {
      // Pop to the nearest matching opener; anything unclosed in between stays unmatched.
      let k = stack.length - 1;
      while (k >= 0 && tokens[stack[k]!]!.value !== pairs[tok.value]) k--;
      if (k < 0) continue;
      const open = stack[k]!;
      stack.length = k;
      out[open] = i;
      out[i] = open;
    }
  }
  return [out, enclosing];
}
