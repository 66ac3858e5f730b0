import { literalSpans, type LiteralNode } from './shellLiteralSpans';
import type { LanguageFacts, SyntaxNode, Tree } from './types';
import { collectFacts } from './analysisFailed';

const NODE_TYPES = [
  'line_comment',
  'block_comment',
  'string_literal',
  'character_literal',
  'string_interpolation',
  'import_declaration',
  'method_invocation',
  'object_creation_expression',
  'method_reference',
  'class_declaration',
  'interface_declaration',
  'enum_declaration',
  'record_declaration',
  'annotation_type_declaration',
  'local_variable_declaration',
  'field_declaration',
  'constant_declaration',
  'formal_parameter',
  'resource',
];

const ID = String.raw`[\p{L}_$][\p{L}\p{Nd}_$]*`;
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
const IMPORT = new RegExp(
  String.raw`^import\s+(static\s+)?(${ID}(?:\s*\.\s*${ID})*)(\s*\.\s*\*)?\s*;?$`,
  'u',
);
const IDENT_AT = new RegExp(ID, 'uy');
const DOTTED = new RegExp(String.raw`^${ID}(?:\s*\.\s*${ID})*$`, 'u');
const CLASS_LITERAL = new RegExp(String.raw`^(${ID}(?:\s*\.\s*${ID})*)\s*\.\s*class$`, 'u');
const CAST = new RegExp(String.raw`^\(\s*(${ID}(?:\s*\.\s*${ID})*)\s*(?:<[^()]*>)?\s*\)`, 'u');
const MODIFIERS = String.raw`(?:(?:@${ID}(?:\s*\.\s*${ID})*(?:\s*\([^()]*\))?|public|protected|private|static|final|transient|volatile|abstract|synchronized|native|strictfp|default)\s+)*`;
/** `[modifiers] Type name [= init]`: the first declarator of a declaration, parameter or resource. */
const DECLARATION = new RegExp(
  String.raw`^${MODIFIERS}(${ID}(?:\s*\.\s*${ID})*)\s*(<[^;=]*>)?\s*((?:\[\s*\]\s*)*)\s*(?:\.\.\.\s*)?(${ID})\s*((?:\[\s*\]\s*)*)(=\s*)?`,
  'u',
);

/**
 * What the well-known factory methods return, so that `Runtime.getRuntime().exec(...)`, a `var` bound to
 * it, or `new ScriptEngineManager().getEngineByName("js").eval(s)` resolve to `Runtime.exec` and
 * `ScriptEngine.eval`.
 */
const RETURNS: Record<string, string> = {
  'Runtime.getRuntime': 'Runtime',
  'Runtime.exec': 'Process',
  'ProcessBuilder.start': 'Process',
  'ProcessBuilder.command': 'ProcessBuilder',
  'ProcessBuilder.directory': 'ProcessBuilder',
  'ProcessBuilder.inheritIO': 'ProcessBuilder',
  'ProcessBuilder.redirectErrorStream': 'ProcessBuilder',
  'ProcessBuilder.redirectOutput': 'ProcessBuilder',
  'ProcessBuilder.redirectInput': 'ProcessBuilder',
  'ProcessBuilder.redirectError': 'ProcessBuilder',
  'ScriptEngineManager.getEngineByName': 'ScriptEngine',
  'ScriptEngineManager.getEngineByExtension': 'ScriptEngine',
  'ScriptEngineManager.getEngineByMimeType': 'ScriptEngine',
  'ScriptEngineFactory.getScriptEngine': 'ScriptEngine',
  'Thread.currentThread': 'Thread',
  'Thread.getContextClassLoader': 'ClassLoader',
  'Class.getClassLoader': 'ClassLoader',
  'ClassLoader.getSystemClassLoader': 'ClassLoader',
  'ClassLoader.getPlatformClassLoader': 'ClassLoader',
  'Class.getMethod': 'Method',
  'Class.getDeclaredMethod': 'Method',
  'Class.getConstructor': 'Constructor',
  'Class.getDeclaredConstructor': 'Constructor',
  'MethodHandles.lookup': 'Lookup',
  'MethodHandles.publicLookup': 'Lookup',
  'HttpClient.newHttpClient': 'HttpClient',
  'URL.openConnection': 'URLConnection',
  'URI.toURL': 'URL',
};

/** Reflection that names a member by string: `getMethod("exec")` on `Class<Runtime>` is `Runtime.exec`. */
const MEMBER_BY_NAME = new Set(['getMethod', 'getDeclaredMethod']);
const HANDLE_BY_NAME = new Set(['findVirtual', 'findStatic', 'findSpecial']);

const MAX_DEPTH = 24;
const MAX_PREFIX = 512;
const MAX_CONSTANT = 4096;

interface Declared {
  type?: string;
  /** Offset of the initializer, for `var` and for constant folding. */
  init?: number;
  initEnd?: number;
}

/**
 * Java: comments, string/char literals (string-template interpolations are code), imports as written
 * (`import static a.b.C.x;` → `a.b.C.x`, `import a.b.*;` → `a.b`), calls resolved to `Class.method` by
 * simple class name through static classes, declared variable types, `var` initializers and the factory
 * table above (`Runtime.exec`, `ProcessBuilder` for `new ProcessBuilder(...)`, `Class.forName`), and
 * reflective loading: `Class.forName`/`loadClass` with a constant are imports of that class, otherwise
 * dynamic imports.
 */
export function analyzeJava(tree: Tree, text: string): LanguageFacts {
  return collectFacts(text, (facts) => new JavaFile(tree, text, facts).run());
}

class JavaFile {
  private readonly declaredClasses = new Set<string>();
  /** Simple names imported from outside the JDK: a `Runtime` imported from elsewhere is not java.lang's. */
  private readonly foreignClasses = new Set<string>();
  private readonly staticMembers = new Map<string, string>();
  private readonly staticStar: string[] = [];
  private readonly variables = new Map<string, Declared | null>();
  private readonly exprByStart = new Map<number, SyntaxNode>();
  private readonly typeMemo = new Map<number, string | undefined>();
  private readonly inProgress = new Set<number>();

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly facts: LanguageFacts,
  ) {}

  run(): void {
    const nodes = this.tree.rootNode.descendantsOfType(NODE_TYPES);
    const literals: LiteralNode[] = [];
    const invocations: SyntaxNode[] = [];
    const creations: SyntaxNode[] = [];
    const references: SyntaxNode[] = [];
    for (const node of nodes) {
      if (!node) continue;
      switch (node.type) {
        case 'line_comment':
        case 'block_comment':
          this.facts.comments.push({ start: node.startIndex, end: node.endIndex });
          break;
        case 'string_literal':
        case 'character_literal':
          literals.push({ start: node.startIndex, end: node.endIndex, literal: true });
          break;
        case 'string_interpolation':
          literals.push({ start: node.startIndex, end: node.endIndex, literal: false });
          break;
        case 'import_declaration':
          this.readImport(node);
          break;
        case 'method_invocation':
          invocations.push(node);
          this.indexExpression(node);
          break;
        case 'object_creation_expression':
          creations.push(node);
          this.indexExpression(node);
          break;
        case 'method_reference':
          references.push(node);
          break;
        case 'local_variable_declaration':
        case 'field_declaration':
        case 'constant_declaration':
        case 'formal_parameter':
        case 'resource':
          this.readDeclaration(node);
          break;
        default: {
          const name = node.childForFieldName('name')?.text;
          if (name) this.declaredClasses.add(name);
        }
      }
    }
    this.facts.strings = literalSpans(literals);
    for (const node of creations) this.creation(node);
    for (const node of invocations) this.invocation(node);
    for (const node of references) this.reference(node);
    this.facts.calls.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  private readImport(node: SyntaxNode): void {
    const source = this.slice(node).replace(COMMENTS, ' ').trim();
    const m = IMPORT.exec(source);
    if (!m) return;
    const name = decodeUnicodeEscapes(m[2]!.replace(/\s+/g, ''));
    const isStatic = m[1] !== undefined;
    const star = m[3] !== undefined;
    this.facts.imports.push({
      start: node.startIndex,
      end: node.endIndex,
      module: name,
      form: isStatic ? 'import static' : 'import',
    });
    const segments = name.split('.');
    if (isStatic) {
      if (star) this.staticStar.push(segments.at(-1)!);
      else if (segments.length > 1) this.staticMembers.set(segments.at(-1)!, segments.at(-2)!);
    } else if (!star && !isJdkPackage(name)) {
      this.foreignClasses.add(segments.at(-1)!);
    }
  }

  private indexExpression(node: SyntaxNode): void {
    // Pre-order: the outermost expression starting at an offset is seen first, and is the one a `var`
    // initializer or a method reference's left side denotes.
    if (!this.exprByStart.has(node.startIndex)) this.exprByStart.set(node.startIndex, node);
  }

  private readDeclaration(node: SyntaxNode): void {
    // The head (`Type name =`) is short; the initializer (a lambda, an anonymous class) may be huge and
    // contain further declarations, so it is not copied here.
    const start = node.startIndex;
    const end = node.endIndex;
    const source = this.text.slice(start, Math.min(end, start + MAX_PREFIX));
    const m = DECLARATION.exec(source);
    if (!m) return;
    const typeName = m[1]!.replace(/\s+/g, '');
    const name = m[4]!;
    const isArray = (m[3] ?? '').includes('[') || (m[5] ?? '').includes('[');
    const declared: Declared = {};
    if (!isArray && typeName !== 'var') declared.type = simpleName(typeName);
    if (m[6] !== undefined) {
      declared.init = start + m.index + m[0].length;
      declared.initEnd = end;
    }
    const previous = this.variables.get(name);
    // A name declared twice with different types is ambiguous: resolve neither.
    if (previous === undefined) this.variables.set(name, declared);
    else if (previous !== null && previous.type !== declared.type) this.variables.set(name, null);
  }

  /** An initializer's source, for constant folding and casts; long ones are never constants. */
  private initText(declared: Declared): string | undefined {
    if (declared.init === undefined || declared.initEnd === undefined) return undefined;
    if (declared.initEnd - declared.init > MAX_CONSTANT) return undefined;
    return this.text.slice(declared.init, declared.initEnd).replace(/;\s*$/, '');
  }

  private isForeign(cls: string): boolean {
    return this.declaredClasses.has(cls) || this.foreignClasses.has(cls);
  }

  private report(start: number, end: number, name: string): void {
    this.facts.calls.push({ start, end, name });
  }

  private creation(node: SyntaxNode): void {
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const cls = simpleName(
      this.slice(typeNode)
        .replace(COMMENTS, '')
        .replace(/<[^]*$/, '')
        .replace(/\s+/g, ''),
    );
    if (!cls || this.isForeign(cls)) return;
    this.report(node.startIndex, typeNode.endIndex, cls);
  }

  private invocation(node: SyntaxNode): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const nameStart = nameNode.startIndex;
    const method = this.identAt(nameStart) ?? nameNode.text;
    const owner = this.ownerType(node, nameStart, 0);
    let cls: string | undefined;
    if (owner !== null) {
      cls = owner;
    } else {
      cls = this.staticMembers.get(method);
      if (cls === undefined && this.staticStar.length === 1) cls = this.staticStar[0];
    }
    const start = node.startIndex;
    const end = nameStart + method.length;
    if (cls !== undefined) {
      const holder = cls.startsWith('Class<') ? 'Class' : cls;
      if (!this.isForeign(holder)) this.report(start, end, `${holder}.${method}`);
      if (cls.startsWith('Class<') && MEMBER_BY_NAME.has(method)) {
        const member = this.argument(node, 0);
        const value = member ? this.fold(member, 0) : undefined;
        if (value !== undefined) this.report(start, end, `${cls.slice(6, -1)}.${value}`);
      }
      if (holder === 'Class' && method === 'forName') this.loadClass(node, 'Class.forName');
      if (holder === 'Lookup' && HANDLE_BY_NAME.has(method)) this.methodHandle(node, start, end);
    }
    if (method === 'loadClass' && (cls === undefined || cls === 'ClassLoader' || !this.isForeign(cls))) {
      this.loadClass(node, 'loadClass');
    }
  }

  private identAt(offset: number): string | undefined {
    IDENT_AT.lastIndex = offset;
    return IDENT_AT.exec(this.text)?.[0];
  }

  /**
   * The type of an invocation's object (null when there is none), read from the source text for the
   * common `name.` / `a.b.C.` / `X.class.` forms so that only chained or computed objects cost a call into
   * the parser.
   */
  private ownerType(node: SyntaxNode, nameStart: number, depth: number): string | undefined | null {
    // Long prefixes (chains, lambdas) are read from the tree instead, so that a chain is not re-copied
    // once per link.
    const length = nameStart - node.startIndex;
    const prefix =
      length > MAX_PREFIX
        ? '\0'
        : this.text.slice(node.startIndex, nameStart).replace(COMMENTS, '').replace(/\s+/g, '');
    if (prefix === '') return null;
    const objectText = prefix.replace(/<[^()]*>$/, '').replace(/\.$/, '');
    const literal = CLASS_LITERAL.exec(objectText);
    if (literal) return `Class<${simpleName(literal[1]!)}>`;
    if (DOTTED.test(objectText)) return this.typeOfName(objectText, depth);
    const object = node.childForFieldName('object');
    return object ? this.typeOf(object, depth + 1) : length > MAX_PREFIX ? undefined : null;
  }

  private reference(node: SyntaxNode): void {
    const source = this.slice(node);
    const cut = source.lastIndexOf('::');
    if (cut < 0) return;
    const method = source.slice(cut + 2).trim();
    const leftText = source.slice(0, cut).trim();
    let cls: string | undefined;
    const inner = this.exprByStart.get(node.startIndex);
    if (inner && inner.endIndex <= node.startIndex + cut) cls = this.typeOf(inner, 0);
    else if (DOTTED.test(leftText)) cls = this.typeOfName(leftText.replace(/\s+/g, ''));
    if (cls === undefined) return;
    const holder = cls.startsWith('Class<') ? 'Class' : cls;
    if (this.isForeign(holder)) return;
    this.report(node.startIndex, node.endIndex, method === 'new' ? holder : `${holder}.${method}`);
  }

  private argument(call: SyntaxNode, index: number): SyntaxNode | undefined {
    const args = call.childForFieldName('arguments');
    if (!args) return undefined;
    const list = args.namedChildren.filter(
      (n): n is SyntaxNode => n !== null && n.type !== 'line_comment' && n.type !== 'block_comment',
    );
    return list[index];
  }

  private loadClass(node: SyntaxNode, form: string): void {
    const arg = this.argument(node, 0);
    const value = arg ? this.fold(arg, 0) : undefined;
    if (value !== undefined) {
      this.facts.imports.push({ start: node.startIndex, end: node.endIndex, module: value, form });
    } else {
      this.facts.dynamicImports.push({
        start: node.startIndex,
        end: node.endIndex,
        reason: `argument of ${form} is not a constant`,
      });
    }
  }

  /** `lookup.findVirtual(Runtime.class, "exec", type)` is a handle on `Runtime.exec`. */
  private methodHandle(node: SyntaxNode, start: number, end: number): void {
    const owner = this.argument(node, 0);
    const member = this.argument(node, 1);
    if (!owner || !member) return;
    const cls = this.typeOf(owner, 0);
    const value = this.fold(member, 0);
    if (cls?.startsWith('Class<') && value !== undefined)
      this.report(start, end, `${cls.slice(6, -1)}.${value}`);
  }

  /** The simple class name an expression's value belongs to (or `Class<X>` for a class object). */
  private typeOf(node: SyntaxNode, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const key = node.id;
    if (this.typeMemo.has(key)) return this.typeMemo.get(key);
    if (this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    const result = this.computeType(node, depth);
    this.inProgress.delete(key);
    this.typeMemo.set(key, result);
    return result;
  }

  private computeType(node: SyntaxNode, depth: number): string | undefined {
    switch (node.type) {
      case 'identifier':
      case 'field_access':
      case 'scoped_identifier': {
        const source = this.slice(node).replace(COMMENTS, '').replace(/\s+/g, '');
        return DOTTED.test(source) ? this.typeOfName(source, depth) : undefined;
      }
      case 'method_invocation': {
        const nameNode = node.childForFieldName('name');
        if (!nameNode) return undefined;
        const method = this.identAt(nameNode.startIndex) ?? nameNode.text;
        const found = this.ownerType(node, nameNode.startIndex, depth + 1);
        const owner = found === null ? this.staticMembers.get(method) : found;
        if (owner === undefined) return undefined;
        if (owner.startsWith('Class<')) {
          if (method === 'getMethod' || method === 'getDeclaredMethod') return 'Method';
          if (method === 'getClassLoader') return 'ClassLoader';
          return undefined;
        }
        if (owner === 'Class' && method === 'forName') {
          const arg = this.argument(node, 0);
          const value = arg ? this.fold(arg, 0) : undefined;
          return value === undefined ? 'Class' : `Class<${simpleName(value)}>`;
        }
        return RETURNS[`${owner}.${method}`];
      }
      case 'object_creation_expression': {
        const typeNode = node.childForFieldName('type');
        return typeNode
          ? simpleName(
              this.slice(typeNode)
                .replace(/<[^]*$/, '')
                .replace(/\s+/g, ''),
            )
          : undefined;
      }
      case 'parenthesized_expression': {
        const source = this.slice(node);
        const cast = CAST.exec(source.slice(1).trimStart());
        if (cast) return simpleName(cast[1]!.replace(/\s+/g, ''));
        const inner = node.namedChildren.find((n) => n !== null && !n.type.endsWith('comment'));
        return inner ? this.typeOf(inner, depth + 1) : undefined;
      }
      case 'cast_expression': {
        const m = CAST.exec(this.slice(node));
        return m ? simpleName(m[1]!.replace(/\s+/g, '')) : undefined;
      }
      case 'class_literal': {
        const m = CLASS_LITERAL.exec(this.slice(node));
        return m ? `Class<${simpleName(m[1]!.replace(/\s+/g, ''))}>` : undefined;
      }
      case 'string_literal':
        return 'String';
      default:
        return undefined;
    }
  }

  /** `r` (a variable), `Runtime`, `java.lang.Runtime`, `Outer.Inner`; `System.out` (a field) is unknown. */
  private typeOfName(dotted: string, depth = 0): string | undefined {
    const segments = dotted.split('.');
    if (segments.length === 1) {
      const name = segments[0]!;
      const declared = this.variables.get(name);
      if (declared === null) return undefined;
      if (declared) {
        if (declared.type !== undefined) return declared.type;
        if (declared.init === undefined) return undefined;
        const init = this.exprByStart.get(declared.init);
        if (init) return this.typeOf(init, depth + 1);
        const initText = this.initText(declared);
        const cast = initText ? CAST.exec(initText) : null;
        return cast ? simpleName(cast[1]!.replace(/\s+/g, '')) : undefined;
      }
      return isClassName(name) ? name : undefined;
    }
    const last = segments.at(-1)!;
    return isClassName(last) ? last : undefined;
  }

  /** Constant string value: literals, `+` of constants, parentheses, and variables initialised with one. */
  private fold(node: SyntaxNode, depth: number): string | undefined {
    return foldJavaText(this.slice(node), depth, (name) => {
      const declared = this.variables.get(name);
      return declared ? this.initText(declared) : undefined;
    });
  }
}

function isJdkPackage(name: string): boolean {
  return /^(?:java|javax|jdk|sun|com\.sun)\./.test(name);
}

function isClassName(name: string): boolean {
  return /^[\p{Lu}]/u.test(name);
}

function simpleName(dotted: string): string {
  return dotted.split('.').at(-1)!.replace(/\[\]/g, '');
}

/** Java source may spell any character, including in identifiers, as a `\uXXXX` escape. */
export function decodeUnicodeEscapes(s: string): string {
  return s.replace(/\\u+([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const TOKEN = new RegExp(
  String.raw`\s+|/\*[\s\S]*?\*/|//[^\n]*|"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|${ID}(?:\s*\.\s*${ID})*|[+()]|.`,
  'gyu',
);

/**
 * Folds a Java expression's source text made of string/char literals, `+`, parentheses and identifiers
 * (looked up by `lookup`, which returns an initializer's text) to its constant value.
 */
export function foldJavaText(
  source: string,
  depth: number,
  lookup: (name: string) => string | undefined,
): string | undefined {
  if (depth > MAX_DEPTH || source.length > 100_000) return undefined;
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('/*') || t.startsWith('//')) continue;
    tokens.push(t);
  }
  let pos = 0;
  const expr = (): string | undefined => {
    let value = term();
    while (value !== undefined && tokens[pos] === '+') {
      pos++;
      const next = term();
      value = next === undefined ? undefined : value + next;
    }
    return value;
  };
  const term = (): string | undefined => {
    const t = tokens[pos++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const v = expr();
      return tokens[pos++] === ')' ? v : undefined;
    }
    if (t.startsWith('"""')) return textBlock(t);
    if (t.startsWith('"') || t.startsWith("'")) return decodeJavaEscapes(t.slice(1, -1));
    if (/^[\p{L}_$]/u.test(t) && !t.includes('.')) {
      const init = lookup(t);
      return init === undefined ? undefined : foldJavaText(init, depth + 1, lookup);
    }
    return undefined;
  };
  const value = expr();
  return pos === tokens.length ? value : undefined;
}

function textBlock(token: string): string | undefined {
  const body = token.slice(3, -3);
  const nl = body.indexOf('\n');
  if (nl < 0) return undefined;
  const lines = body.slice(nl + 1).split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length));
  return decodeJavaEscapes(
    lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n'),
  );
}

const JAVA_ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  s: ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '\n': '',
};

function decodeJavaEscapes(body: string): string | undefined {
  const s = decodeUnicodeEscapes(body);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return undefined;
    if (e in JAVA_ESCAPES) {
      out += JAVA_ESCAPES[e];
      i++;
      continue;
    }
    const oct = /^[0-3]?[0-7]{1,2}/.exec(s.slice(i + 1, i + 4));
    if (!oct) return undefined;
    out += String.fromCharCode(parseInt(oct[0], 8));
    i += oct[0].length;
  }
  return out;
}
