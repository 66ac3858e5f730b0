import { Parser, type Language } from 'web-tree-sitter';
import { literalSpans, type LiteralNode } from './shellLiteralSpans';
import { foldShellWord, wordOffsets, type ShellWord } from './shellWord';
import type { CallRef, DynamicImportRef, ImportRef, LanguageFacts, SyntaxNode, Tree } from './types';
import { analysisFailed } from './analysisFailed';

const LITERAL_TYPES = new Set(['string', 'raw_string', 'ansi_c_string', 'translated_string', 'heredoc_body']);
const CODE_TYPES = new Set(['expansion', 'simple_expansion', 'command_substitution', 'arithmetic_expansion']);
const NODE_TYPES = [...LITERAL_TYPES, ...CODE_TYPES, 'comment', 'command', 'variable_assignment'];
const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

interface WrapperSpec {
  /** Short options that take a separate value (`sudo -u root`). */
  values?: string;
  /** Long options that take a separate value. */
  longValues?: string[];
  /** Short options meaning "do not run anything" (`command -v curl`). */
  noExec?: string;
  /** Positional operands before the command (`timeout 5 CMD`, `chroot DIR CMD`). */
  skip?: number;
  /** Skips leading `NAME=value` operands (`env A=1 CMD`). */
  assignments?: boolean;
  /** The short option whose value is a whole command line (`env -S`, `su -c`, `flock f -c`). */
  script?: string;
  /** Operands are not a command (`su USER`): only the script option runs code, wherever it is. */
  noCommand?: boolean;
}

/** Commands that run another command given as their operands. */
const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    values: 'ugChDprtUT',
    longValues: [
      '--user',
      '--group',
      '--host',
      '--prompt',
      '--chdir',
      '--role',
      '--type',
      '--other-user',
      '--close-from',
    ],
    noExec: 'lvkK',
  },
  doas: { values: 'uC' },
  env: {
    values: 'uCS',
    longValues: ['--unset', '--chdir', '--split-string'],
    assignments: true,
    script: 'S',
  },
  nohup: {},
  setsid: {},
  time: { values: 'fo' },
  nice: { values: 'n', longValues: ['--adjustment'] },
  ionice: { values: 'cnp', noExec: 'p' },
  timeout: { values: 'sk', longValues: ['--signal', '--kill-after'], skip: 1 },
  stdbuf: { values: 'ioe' },
  chroot: { longValues: ['--userspec', '--groups'], skip: 1 },
  command: { noExec: 'vV' },
  builtin: {},
  exec: { values: 'a' },
  busybox: {},
  strace: { values: 'abeEIoOpPsSuUX', noExec: 'p' },
  ltrace: { values: 'aeEnopsuxX', noExec: 'p' },
  xargs: {
    values: 'adEILnPs',
    longValues: [
      '--arg-file',
      '--delimiter',
      '--max-lines',
      '--max-args',
      '--max-procs',
      '--max-chars',
      '--replace',
    ],
  },
  flock: { values: 'wEc', skip: 1, script: 'c' },
  unbuffer: {},
  torsocks: { values: 'uapP' },
  proxychains: { values: 'f' },
  proxychains4: { values: 'f' },
  fakeroot: {},
  unshare: {
    values: 'S',
    longValues: ['--setuid', '--setgid', '--map-user', '--map-group', '--root', '--wd'],
  },
  nsenter: { values: 'tSG' },
  taskset: { skip: 1, noExec: 'p' },
  chrt: { skip: 1, noExec: 'p' },
  sshpass: { values: 'pfdeP' },
  runuser: { values: 'ugcl', longValues: ['--user', '--group', '--command'], script: 'c' },
  su: { values: 'cgGsw', longValues: ['--command', '--group', '--shell'], script: 'c', noCommand: true },
  script: { values: 'cEIOT', longValues: ['--command'], script: 'c' },
  watch: { values: 'nd', longValues: ['--interval'] },
  caffeinate: { values: 'tw' },
  firejail: {},
  catchsegv: {},
  valgrind: {},
  'xvfb-run': { values: 'nsfe' },
  'dbus-launch': {},
  'systemd-run': {
    values: 'pEuM',
    longValues: ['--unit', '--property', '--uid', '--gid', '--setenv', '--machine'],
  },
  parallel: { values: 'jS', longValues: ['--jobs'] },
};
/** Shells whose `-c` operand is a script. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish', 'rbash']);
/** Commands whose operands run code or load files: their arguments are read. */
const ARGUMENT_READERS = new Set([
  ...Object.keys(WRAPPERS),
  ...SHELLS,
  'source',
  '.',
  'eval',
  'trap',
  'alias',
  'find',
]);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
/** Sourcing these reads code from a stream, never from a file one could vet. */
const STREAMS = /^(?:\/dev\/(?:stdin|fd\/\d+|tcp\/.*|udp\/.*)|\/proc\/self\/fd\/\d+|-)$/;

const MAX_SCRIPT_DEPTH = 3;
const MAX_NESTED_SCRIPTS = 64;
const MAX_SCRIPT_LENGTH = 65_536;
const MAX_SCRIPT_CHARS = 524_288;
const MAX_WRAP_DEPTH = 16;
const MAX_CONSTANT = 4096;

interface Word {
  text: string;
  start: number;
  end: number;
}

interface Sink {
  imports: ImportRef[];
  dynamicImports: DynamicImportRef[];
  calls: CallRef[];
  /** Nested scripts parsed so far, and their total length: both are bounded per file. */
  scripts: number;
  scriptChars: number;
}

/**
 * Shell (bash grammar): comments, quoted strings and heredocs (expansions and command substitutions are
 * code), every simple command as a call named by its command word after quote removal and with any path
 * stripped (`\rm`, `r''m`, `"rm"`, `/bin/rm` → `rm`; `$c` when `c` holds a constant), wherever it appears
 * (pipelines, lists, subshells, `$(...)`, backticks, functions), the commands that wrappers run (`sudo`,
 * `env`, `xargs`, `nohup`, `timeout`, `find -exec`, `command`, `exec`...), and the scripts given as
 * strings to `bash -c`, `sh -c`, `su -c`, `eval`, `trap`, `alias` and `env -S` (parsed and analysed too).
 * `source FILE` / `. FILE` are imports (form `source`); a computed or streamed file is a dynamic import.
 */
export function analyzeShell(tree: Tree, text: string): LanguageFacts {
  const facts: LanguageFacts = { comments: [], strings: [], imports: [], dynamicImports: [], calls: [] };
  const sink: Sink = {
    imports: facts.imports,
    dynamicImports: facts.dynamicImports,
    calls: facts.calls,
    scripts: 0,
    scriptChars: 0,
  };
  try {
    new ShellFile(tree, text, sink, 0, new Map()).run(facts);
  } catch (e) {
    // Never throw; keep what was collected, and fail closed.
    analysisFailed(facts, text, e);
  }
  facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  return facts;
}

/** `/usr/bin/curl` runs `curl`. */
function commandName(word: string): string {
  return word.includes('/') ? word.slice(word.lastIndexOf('/') + 1) : word;
}

const parsers = new WeakMap<Language, Parser>();

function parserFor(language: Language): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(language, parser);
  }
  return parser;
}

class ShellFile {
  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly sink: Sink,
    private readonly depth: number,
    private readonly variables: Map<string, ShellWord | null>,
  ) {}

  /** `facts` receives comments and strings (only for the top-level file, not for nested scripts). */
  run(facts?: LanguageFacts): void {
    const literals: LiteralNode[] = [];
    const commands: SyntaxNode[] = [];
    for (const node of this.tree.rootNode.descendantsOfType(NODE_TYPES)) {
      if (!node) continue;
      const type = node.type;
      if (type === 'command') commands.push(node);
      else if (type === 'variable_assignment') this.assign(node);
      else if (type === 'comment') facts?.comments.push({ start: node.startIndex, end: node.endIndex });
      else if (facts)
        literals.push({ start: node.startIndex, end: node.endIndex, literal: LITERAL_TYPES.has(type) });
    }
    if (facts) facts.strings = literalSpans(literals);
    for (const node of commands) this.command(node);
  }

  private assign(node: SyntaxNode): void {
    // Assignments nest (`a=$(b=$(...))`): a value too long to be a constant word is not copied.
    const long = node.endIndex - node.startIndex > MAX_CONSTANT;
    const source = this.text.slice(node.startIndex, long ? node.startIndex + 256 : node.endIndex);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?=)/.exec(source);
    if (!m) return;
    const name = m[1]!;
    const value =
      m[2] === undefined && m[3] === '=' && !long
        ? foldShellWord(source.slice(m[0].length), this.variables)
        : undefined;
    const previous = this.variables.get(name);
    if (previous === undefined && value) this.variables.set(name, value);
    else if (previous === undefined || !value || previous === null || previous.value !== value.value)
      this.variables.set(name, null);
  }

  private command(node: SyntaxNode): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const start = nameNode.startIndex;
    const end = nameNode.endIndex;
    const head: Word = { text: this.text.slice(start, end), start, end };
    const folded = this.fold(head);
    const name = folded ? commandName(folded.value) : '';
    // Most commands only need their name; the arguments are read (one more call into the parser per
    // child) for the commands that run other code, and when a line break hides a glued command (below).
    if (!ARGUMENT_READERS.has(name) && this.nextNewline(end) >= node.endIndex) {
      if (name !== '') this.sink.calls.push({ start, end, name });
      return;
    }
    let words: Word[] | undefined;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.startIndex === start) {
        words = [head];
        continue;
      }
      if (!words) continue;
      const type = child.type;
      if (REDIRECTS.has(type) || type === 'comment') continue;
      const childStart = child.startIndex;
      const childEnd = child.endIndex;
      const source = this.text.slice(childStart, childEnd);
      // tree-sitter-bash 0.20 glues `\cmd` at the start of the next line onto the previous command as an
      // argument beginning with a line break: that word starts a new command.
      const nl = /^[ \t]*\r?\n\s*/.exec(source);
      if (nl) {
        this.simpleCommand(words, 0, node);
        words = [{ text: source.slice(nl[0].length), start: childStart + nl[0].length, end: childEnd }];
        continue;
      }
      words.push({ text: source, start: childStart, end: childEnd });
    }
    if (words) this.simpleCommand(words, 0, node);
  }

  private newlines?: number[];

  /** Offset of the first line break at or after `from` (text length if none), by binary search. */
  private nextNewline(from: number): number {
    if (!this.newlines) {
      this.newlines = [];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.newlines.push(i);
    }
    const lines = this.newlines;
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lines[lo] ?? this.text.length;
  }

  private fold(word: Word | undefined): ShellWord | undefined {
    return word ? foldShellWord(word.text, this.variables) : undefined;
  }

  /** `node` is the command as parsed (for its pipeline and redirects); wrapped commands share it. */
  private simpleCommand(words: Word[], wrapDepth: number, node: SyntaxNode | undefined): void {
    if (wrapDepth > MAX_WRAP_DEPTH || words.length === 0) return;
    const head = words[0]!;
    const folded = this.fold(head);
    const name = folded ? commandName(folded.value) : '';
    if (name === '') return;
    this.sink.calls.push({ start: head.start, end: head.end, name });
    const args = words.slice(1);
    if (name === 'source' || name === '.') this.source(head, args);
    else if (name === 'eval') this.runScript(args, 'string given to eval');
    else if (name === 'trap') this.trap(args);
    else if (name === 'alias') this.alias(args);
    else if (name === 'find') this.find(args, wrapDepth);
    else if (SHELLS.has(name)) this.shell(name, head, args, node);
    else if (Object.hasOwn(WRAPPERS, name)) this.wrapper(WRAPPERS[name]!, name, args, wrapDepth, node);
  }

  /** Analyses the words as a script; when they are not constant, that is code nobody can vet: dynamic. */
  private runScript(words: Word[], what: string): void {
    if (words.length === 0 || this.scriptFromWords(words)) return;
    const span = { start: words[0]!.start, end: words.at(-1)!.end };
    this.sink.dynamicImports.push({ ...span, reason: `${what} is not a constant` });
  }

  private source(head: Word, args: Word[]): void {
    const file = args[0];
    if (!file) return;
    const folded = this.fold(file);
    const span = { start: head.start, end: file.end };
    if (folded && !STREAMS.test(folded.value)) {
      this.sink.imports.push({ ...span, module: folded.value, form: 'source' });
    } else {
      const reason = folded
        ? `source reads code from ${folded.value}`
        : 'argument of source is not a constant';
      this.sink.dynamicImports.push({ ...span, reason });
    }
  }

  private wrapper(
    spec: WrapperSpec,
    name: string,
    args: Word[],
    wrapDepth: number,
    node: SyntaxNode | undefined,
  ): void {
    let i = 0;
    let skip = spec.skip ?? 0;
    while (i < args.length) {
      const folded = this.fold(args[i]);
      if (!folded) return;
      const w = folded.value;
      if (w === '--') {
        i++;
        break;
      }
      if (w.startsWith('--')) {
        const eq = w.indexOf('=');
        const option = eq < 0 ? w : w.slice(0, eq);
        if (spec.script && (option === '--command' || option === '--split-string')) {
          if (eq >= 0) this.scriptFromWord(args[i]!, folded, eq + 1);
          else if (args[i + 1]) this.runScript([args[i + 1]!], `script given to ${name} ${option}`);
          return;
        }
        i += eq < 0 && spec.longValues?.includes(option) ? 2 : 1;
        continue;
      }
      if (w.startsWith('-') && w.length > 1) {
        let consumed = 1;
        for (let k = 1; k < w.length; k++) {
          const letter = w[k]!;
          if (spec.noExec?.includes(letter)) return;
          if (spec.script === letter) {
            if (k + 1 < w.length) this.scriptFromWord(args[i]!, folded, k + 1);
            else if (args[i + 1]) this.runScript([args[i + 1]!], `script given to ${name} -${letter}`);
            return;
          }
          if (spec.values?.includes(letter)) {
            if (k + 1 === w.length) consumed = 2;
            break;
          }
        }
        i += consumed;
        continue;
      }
      if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
        i++;
        continue;
      }
      if (skip > 0 || spec.noCommand) {
        skip--;
        i++;
        continue;
      }
      break;
    }
    const rest = args.slice(i);
    if (rest.length === 0 || spec.noCommand) return;
    if (name === 'watch') this.runScript(rest, 'command given to watch');
    else this.simpleCommand(rest, wrapDepth + 1, node);
  }

  /**
   * `bash -c SCRIPT` is analysed; `bash FILE` runs that file (an import, form = the shell); a script that
   * is computed, produced by a process substitution, or read from a pipe is a dynamic import; a heredoc
   * or here-string script is analysed when constant.
   */
  private shell(name: string, head: Word, args: Word[], node: SyntaxNode | undefined): void {
    let hasC = false;
    let stdin = false;
    let i = 0;
    for (; i < args.length; i++) {
      const folded = this.fold(args[i]);
      if (!folded) break;
      const w = folded.value;
      if (w === '--' || w === '-') {
        i++;
        break;
      }
      if (/^--(?:rcfile|init-file)$/.test(w) || /^[-+]o$|^[-+]O$/.test(w)) {
        i++;
        continue;
      }
      if (/^[-+][A-Za-z]+$/.test(w)) {
        if (w.startsWith('-') && w.includes('c')) hasC = true;
        if (w.startsWith('-') && w.includes('s')) stdin = true;
        continue;
      }
      if (w.startsWith('--')) continue;
      break;
    }
    const operand = args[i];
    if (hasC) {
      if (operand) this.runScript([operand], `script given to ${name} -c`);
      return;
    }
    if (operand && !stdin) {
      const file = this.fold(operand);
      const span = { start: head.start, end: operand.end };
      if (file && !STREAMS.test(file.value))
        this.sink.imports.push({ ...span, module: file.value, form: name });
      else if (file && file.value !== '/dev/stdin')
        this.sink.dynamicImports.push({ ...span, reason: `${name} runs ${file.value}` });
      else if (!file) {
        const reason = operand.text.startsWith('<(')
          ? `${name} runs a script produced at run time`
          : `script file of ${name} is not a constant`;
        this.sink.dynamicImports.push({ ...span, reason });
      } else this.stdinScript(name, head, node);
      return;
    }
    this.stdinScript(name, head, node);
  }

  /** A shell reading its script from standard input: a heredoc, a here-string, a redirect or a pipe. */
  private stdinScript(name: string, head: Word, node: SyntaxNode | undefined): void {
    if (!node) return;
    // `sh <<< 'x'` and `sh < f` can be children of the command itself, or of a redirected statement.
    for (const redirect of node.namedChildren) {
      if (redirect && REDIRECTS.has(redirect.type) && this.redirectScript(name, head, redirect)) return;
    }
    let statement: SyntaxNode = node;
    let parent = node.parent;
    if (parent?.type === 'redirected_statement') {
      for (const redirect of parent.namedChildren) {
        if (!redirect || redirect.startIndex < node.endIndex) continue;
        if (this.redirectScript(name, head, redirect)) return;
      }
      statement = parent;
      parent = parent.parent;
    }
    if (parent?.type === 'pipeline' && parent.startIndex < statement.startIndex) {
      this.sink.dynamicImports.push({
        start: head.start,
        end: head.end,
        reason: `${name} reads its script from a pipe`,
      });
    }
  }

  private redirectScript(name: string, head: Word, redirect: SyntaxNode): boolean {
    const span = { start: head.start, end: redirect.endIndex };
    if (redirect.type === 'heredoc_redirect') {
      const body = redirect.namedChildren.find((n) => n?.type === 'heredoc_body');
      if (!body) return true;
      const start = body.startIndex;
      if (body.namedChildren.some((n) => n !== null && CODE_TYPES.has(n.type))) {
        this.sink.dynamicImports.push({ ...span, reason: `heredoc script of ${name} has expansions` });
      } else {
        const value = this.text.slice(start, body.endIndex);
        this.script(
          value,
          Array.from({ length: value.length }, (_, k) => start + k),
          start,
        );
      }
      return true;
    }
    if (redirect.type === 'herestring_redirect') {
      const word = redirect.namedChildren.find((n) => n !== null && n.type !== 'comment');
      if (word) {
        const w = {
          text: this.text.slice(word.startIndex, word.endIndex),
          start: word.startIndex,
          end: word.endIndex,
        };
        this.runScript([w], `here-string script of ${name}`);
      }
      return true;
    }
    if (redirect.type === 'file_redirect') {
      const source = this.text.slice(redirect.startIndex, redirect.endIndex);
      const m = /^\d*<(?![&>])\s*/.exec(source);
      if (!m) return false;
      const target = {
        text: source.slice(m[0].length),
        start: redirect.startIndex + m[0].length,
        end: redirect.endIndex,
      };
      const file = this.fold(target);
      if (file && !STREAMS.test(file.value))
        this.sink.imports.push({ ...span, module: file.value, form: name });
      else
        this.sink.dynamicImports.push({
          ...span,
          reason: `${name} reads a script that is not a constant file`,
        });
      return true;
    }
    return false;
  }

  private trap(args: Word[]): void {
    let i = 0;
    while (args[i] && /^-/.test(this.fold(args[i])?.value ?? '')) {
      const w = this.fold(args[i])!.value;
      if (w === '--') {
        i++;
        break;
      }
      if (/[lp]/.test(w)) return;
      i++;
    }
    if (args[i] && args.length > i + 1) this.scriptFromWords([args[i]!]);
  }

  private alias(args: Word[]): void {
    for (const arg of args) {
      const folded = this.fold(arg);
      const eq = folded?.value.indexOf('=') ?? -1;
      if (folded && eq > 0) this.scriptFromWord(arg, folded, eq + 1);
    }
  }

  private find(args: Word[], wrapDepth: number): void {
    for (let i = 0; i < args.length; i++) {
      if (!FIND_EXEC.has(this.fold(args[i])?.value ?? '')) continue;
      let end = i + 1;
      while (end < args.length && !/^(?:;|\+)$/.test(this.fold(args[end])?.value ?? '')) end++;
      this.simpleCommand(args.slice(i + 1, end), wrapDepth + 1, undefined);
      i = end;
    }
  }

  /** `eval a b c` runs the words joined by spaces; every one must be constant. */
  private scriptFromWords(words: Word[]): boolean {
    let value = '';
    const offsets: number[] = [];
    for (const [n, word] of words.entries()) {
      const folded = this.fold(word);
      if (!folded) return false;
      if (n > 0) {
        value += ' ';
        offsets.push(word.start);
      }
      value += folded.value;
      for (const o of wordOffsets(folded)) offsets.push(word.start + o);
    }
    this.script(value, offsets, words[0]?.start ?? 0);
    return true;
  }

  private scriptFromWord(word: Word, folded: ShellWord, from: number): void {
    this.script(
      folded.value.slice(from),
      wordOffsets(folded)
        .slice(from)
        .map((o) => word.start + o),
      word.start,
    );
  }

  /** Parses a script given as a string and reports what it runs at the matching source offsets. */
  private script(value: string, offsets: number[], fallback: number): void {
    if (this.depth >= MAX_SCRIPT_DEPTH || value.trim() === '' || value.length > MAX_SCRIPT_LENGTH) return;
    if (this.sink.scripts >= MAX_NESTED_SCRIPTS || this.sink.scriptChars + value.length > MAX_SCRIPT_CHARS)
      return;
    this.sink.scripts++;
    this.sink.scriptChars += value.length;
    const tree = parserFor(this.tree.language).parse(value);
    if (!tree) return;
    try {
      const inner: Sink = { ...this.sink, imports: [], dynamicImports: [], calls: [] };
      new ShellFile(tree, value, inner, this.depth + 1, new Map(this.variables)).run();
      this.sink.scripts = inner.scripts;
      this.sink.scriptChars = inner.scriptChars;
      const map = <T extends { start: number; end: number }>(ref: T): T => {
        const start = offsets[ref.start] ?? offsets.at(-1) ?? fallback;
        const last = offsets[Math.max(ref.start, ref.end - 1)] ?? start;
        return { ...ref, start, end: Math.max(start, last) + 1 };
      };
      for (const r of inner.calls) this.sink.calls.push(map(r));
      for (const r of inner.imports) this.sink.imports.push(map(r));
      for (const r of inner.dynamicImports) this.sink.dynamicImports.push(map(r));
    } finally {
      tree.delete();
    }
  }
}
