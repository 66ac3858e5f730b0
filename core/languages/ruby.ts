import { literalSpans, type LiteralNode } from './shellLiteralSpans';
import type { LanguageFacts, SyntaxNode, Tree } from './types';
import { collectFacts } from './analysisFailed';

const LITERAL_TYPES = new Set([
  'string',
  'subshell',
  'heredoc_body',
  'regex',
  'delimited_symbol',
  'character',
  'string_array',
  'symbol_array',
  'uninterpreted',
]);
const NODE_TYPES = [...LITERAL_TYPES, 'comment', 'interpolation', 'call', 'method'];

/** Loading forms and the argument that names the file. */
const LOADS: Record<string, number> = { require: 0, require_relative: 0, load: 0, autoload: 1 };
/** Evaluate code whatever object they are called on. */
const EVALUATORS = new Set([
  'instance_eval',
  'class_eval',
  'module_eval',
  'instance_exec',
  'class_exec',
  'module_exec',
]);
/** Dispatch by name: `send(:system, ...)` is `system(...)`. */
const SENDERS = new Set(['send', '__send__', 'public_send']);
/** Name a method without calling it: `method(:system)` is a handle on `system`. */
const HANDLES = new Set(['method', 'public_method', 'singleton_method']);
/** Kernel#open and the IO class methods start a process when the path begins with `|`. */
const PIPE_OPENERS = new Set([
  'open',
  'IO.read',
  'IO.readlines',
  'IO.foreach',
  'IO.write',
  'IO.binread',
  'IO.binwrite',
  'URI.open',
]);

/** A method name as written after the receiver (read from the text: cheaper than asking the tree). */
const METHOD_AT = /[\p{L}_][\p{L}\p{Nd}_]*[?!]?(?![=~>])|`/uy;
const CONSTANT_PATH = /^(?:::)?[\p{Lu}][\p{L}\p{Nd}_]*(?:::[\p{Lu}][\p{L}\p{Nd}_]*)*$/u;
// Kernel's methods are private instance methods of Object: `Object.send(:system, ...)` reaches them too.
const SELF_RECEIVERS = new Set(['self', 'Kernel', '::Kernel', 'Object', '::Object']);
const BINDINGS = new Set(['binding', 'Kernel.binding', 'TOPLEVEL_BINDING', '::TOPLEVEL_BINDING']);
const MAX_DEPTH = 16;
const MAX_RECEIVER = 512;
const MAX_CONSTANT = 4096;

type Receiver = { kind: 'self' } | { kind: 'const'; name: string } | { kind: 'binding' } | { kind: 'other' };

/**
 * Ruby: comments (`#`, `=begin`), string-like literals with interpolations as code, `require`,
 * `require_relative`, `load`, `autoload` anywhere (with or without parentheses, `Kernel.` or not; a
 * non-constant argument is a dynamic import), and calls: bare/`Kernel.` methods by name (`system`, `exec`,
 * `spawn`, `eval`, not when the file defines a method of that name), class methods as `Const.method`
 * (`IO.popen`, `Open3.capture2`, `Net::HTTP.get`), `instance_eval` and friends on any receiver,
 * `binding.eval` as `eval`, `send(:x)`/`method(:x)` as `x`, `open("|cmd")` as `IO.popen`, and backticks /
 * `%x{}` as the call named `` ` ``.
 */
export function analyzeRuby(tree: Tree, text: string): LanguageFacts {
  return collectFacts(text, (facts) => new RubyFile(tree, text, facts).run());
}

class RubyFile {
  private readonly defined = new Set<string>();
  private assignments?: Map<string, string[]>;

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly facts: LanguageFacts,
  ) {}

  run(): void {
    const literals: LiteralNode[] = [];
    const calls: SyntaxNode[] = [];
    for (const node of this.tree.rootNode.descendantsOfType(NODE_TYPES)) {
      if (!node) continue;
      const type = node.type;
      if (type === 'comment') {
        this.facts.comments.push({ start: node.startIndex, end: node.endIndex });
      } else if (type === 'interpolation') {
        literals.push({ start: node.startIndex, end: node.endIndex, literal: false });
      } else if (type === 'call') {
        calls.push(node);
      } else if (type === 'method') {
        const name = node.childForFieldName('name')?.text;
        if (name) this.defined.add(name);
      } else {
        literals.push({ start: node.startIndex, end: node.endIndex, literal: true });
        if (type === 'subshell')
          this.facts.calls.push({ start: node.startIndex, end: node.endIndex, name: '`' });
      }
    }
    this.facts.strings = literalSpans(literals);
    for (const call of calls) this.call(call);
    this.facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  private call(node: SyntaxNode): void {
    const methodNode = node.childForFieldName('method');
    if (!methodNode) return;
    METHOD_AT.lastIndex = methodNode.startIndex;
    const method = METHOD_AT.exec(this.text)?.[0] ?? this.slice(methodNode);
    const methodEnd = methodNode.startIndex + method.length;
    // A receiver that can resolve (a constant path, self, binding) is short; never copy a long chain.
    const receiverLength = methodNode.startIndex - node.startIndex;
    const receiverText = (
      receiverLength > MAX_RECEIVER ? '\0' : this.text.slice(node.startIndex, methodNode.startIndex)
    )
      .replace(/#[^\n]*/g, '')
      .replace(/\s+/g, '')
      .replace(/(?:&?\.|::)$/, '');
    const receiver = classify(receiverText);
    const span = { start: node.startIndex, end: methodEnd };
    this.dispatch(node, receiver, method, 0, span);
  }

  /** `shift` skips leading arguments consumed by `send(:name, ...)`. */
  private dispatch(
    node: SyntaxNode,
    receiver: Receiver,
    method: string,
    shift: number,
    span: { start: number; end: number },
    depth = 0,
  ): void {
    if (depth > MAX_DEPTH) return;
    if (SENDERS.has(method) || HANDLES.has(method)) {
      const target = this.symbolArgument(node, shift);
      if (target === undefined) {
        this.report(receiver, method, span);
      } else if (SENDERS.has(method)) {
        this.dispatch(node, receiver, target, shift + 1, span, depth + 1);
      } else {
        this.report(receiver, target, span);
      }
      return;
    }
    const name = this.report(receiver, method, span);
    if (name === undefined) return;
    if (receiver.kind === 'self' && Object.hasOwn(LOADS, method))
      this.load(node, method, LOADS[method]! + shift);
    else if (PIPE_OPENERS.has(name)) this.pipeOpen(node, shift, span);
  }

  /** Reports the call and returns the name it resolved to, if any. */
  private report(
    receiver: Receiver,
    method: string,
    span: { start: number; end: number },
  ): string | undefined {
    let name: string | undefined;
    if (EVALUATORS.has(method)) name = method;
    else if (receiver.kind === 'self') name = this.defined.has(method) ? undefined : method;
    else if (receiver.kind === 'const') name = `${receiver.name}.${method}`;
    else if (receiver.kind === 'binding' && method === 'eval') name = 'eval';
    if (name !== undefined) this.facts.calls.push({ ...span, name });
    return name;
  }

  private args(call: SyntaxNode): SyntaxNode[] {
    const list = call.childForFieldName('arguments');
    return (list?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
  }

  private symbolArgument(call: SyntaxNode, index: number): string | undefined {
    const arg = this.args(call)[index];
    if (!arg) return undefined;
    const source = this.slice(arg);
    if (arg.type === 'simple_symbol') return source.slice(1);
    const value = this.fold(source);
    return value !== undefined && /^[\p{L}_][\p{L}\p{Nd}_]*[?!=]?$|^`$/u.test(value) ? value : undefined;
  }

  private load(call: SyntaxNode, form: string, index: number): void {
    const arg = this.args(call)[index];
    if (!arg) return;
    const value = this.fold(this.slice(arg));
    if (value !== undefined) {
      this.facts.imports.push({ start: call.startIndex, end: call.endIndex, module: value, form });
    } else {
      this.facts.dynamicImports.push({
        start: call.startIndex,
        end: call.endIndex,
        reason: `argument of ${form} is not a constant`,
      });
    }
  }

  private pipeOpen(call: SyntaxNode, shift: number, span: { start: number; end: number }): void {
    const arg = this.args(call)[shift];
    if (!arg) return;
    const value = this.fold(this.slice(arg));
    if (value?.startsWith('|')) this.facts.calls.push({ ...span, name: 'IO.popen' });
  }

  private fold(source: string): string | undefined {
    return foldRubyText(source, 0, (name) => this.constantOf(name));
  }

  /** A local or constant assigned exactly once in the file, to a value that folds. */
  private constantOf(name: string): string | undefined {
    if (!this.assignments) {
      this.assignments = new Map();
      for (const node of this.tree.rootNode.descendantsOfType(['assignment', 'operator_assignment'])) {
        if (!node) continue;
        // A value too long to be a constant string is not copied (assignments nest: blocks, lambdas).
        const long = node.endIndex - node.startIndex > MAX_CONSTANT;
        const source = this.text.slice(node.startIndex, long ? node.startIndex + 256 : node.endIndex);
        const m = /^([\p{L}_][\p{L}\p{Nd}_]*)\s*([-+*/|&]{0,2}=)\s*([\s\S]*)$/u.exec(source);
        if (!m) continue;
        const list = this.assignments.get(m[1]!) ?? [];
        list.push(m[2] === '=' && !long ? m[3]! : '\0');
        this.assignments.set(m[1]!, list);
      }
    }
    const values = this.assignments.get(name);
    return values?.length === 1 && values[0] !== '\0' ? values[0] : undefined;
  }
}

function classify(receiver: string): Receiver {
  if (receiver === '' || SELF_RECEIVERS.has(receiver)) return { kind: 'self' };
  if (BINDINGS.has(receiver)) return { kind: 'binding' };
  if (CONSTANT_PATH.test(receiver)) return { kind: 'const', name: receiver.replace(/^::/, '') };
  return { kind: 'other' };
}

const RUBY_TOKEN =
  /\s+|#[^\n]*|'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\#]|\\[\s\S]|#(?![{@$]))*)"|%[qQ]?([([{<])|:([\p{L}_][\p{L}\p{Nd}_]*[?!=]?)|:"((?:[^"\\#]|\\[\s\S]|#(?![{@$]))*)"|[\p{L}_][\p{L}\p{Nd}_]*|\.freeze\b|[+()]|[\s\S]/gu;
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/**
 * Folds Ruby source text of string literals (quoted, `%q`/`%Q` without interpolation, symbols), `+`,
 * adjacency, parentheses, `.freeze` and names bound by `lookup` to its constant value.
 */
export function foldRubyText(
  source: string,
  depth: number,
  lookup: (name: string) => string | undefined,
): string | undefined {
  if (depth > MAX_DEPTH || source.length > 100_000) return undefined;
  const re = new RegExp(RUBY_TOKEN.source, RUBY_TOKEN.flags);
  let value = '';
  let seen = false;
  let expectOperand = true;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('#') || t === '(' || t === ')' || t === '.freeze') continue;
    if (t === '+') {
      if (expectOperand) return undefined;
      expectOperand = true;
      continue;
    }
    let part: string | undefined;
    if (m[1] !== undefined) part = m[1].replace(/\\([\\'])/g, '$1');
    else if (m[2] !== undefined) part = decodeRubyEscapes(m[2]);
    else if (m[5] !== undefined) part = decodeRubyEscapes(m[5]);
    else if (m[4] !== undefined) part = m[4];
    else if (m[3] !== undefined) {
      const close = CLOSERS[m[3]]!;
      const end = source.indexOf(close, re.lastIndex);
      if (end < 0) return undefined;
      const body = source.slice(re.lastIndex, end);
      if (body.includes(m[3]) || (t.startsWith('%Q') && body.includes('#{'))) return undefined;
      part = t.startsWith('%Q') ? decodeRubyEscapes(body) : body;
      re.lastIndex = end + 1;
    } else if (/^[\p{L}_]/u.test(t)) {
      const bound = lookup(t);
      part = bound === undefined ? undefined : foldRubyText(bound, depth + 1, lookup);
    }
    if (part === undefined) return undefined;
    value += part;
    seen = true;
    expectOperand = false;
  }
  return seen && !expectOperand ? value : undefined;
}

const RUBY_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  s: ' ',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
  '\n': '',
};

function decodeRubyEscapes(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const rest = body.slice(i + 1);
    let m: RegExpExecArray | null;
    if ((m = /^u\{([0-9a-fA-F]{1,6})\}/.exec(rest)) || (m = /^u([0-9a-fA-F]{4})/.exec(rest))) {
      const cp = parseInt(m[1]!, 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
    } else if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[1]!, 16));
    } else if ((m = /^[0-7]{1,3}/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
    } else if (rest.length > 0) {
      m = /^[\s\S]/.exec(rest)!;
      out += RUBY_ESCAPES[m[0]] ?? m[0];
    } else {
      return undefined;
    }
    i += m[0].length;
  }
  return out;
}
