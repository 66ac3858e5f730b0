import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJava, foldJavaText } from '../../core/languages/java';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  host = await loadParsers(['java']);
});

function analyze(code: string): LanguageFacts {
  const tree = host.parse('java', code);
  assert.ok(tree);
  try {
    return analyzeJava(tree, code);
  } finally {
    tree.delete();
  }
}

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);
const inMain = (body: string, header = '') =>
  `${header}\nclass Main {\n  void run() throws Exception {\n${body}\n  }\n}\n`;

describe('Java analyzer: imports', () => {
  it('reports the dotted name as written, without static or .*', () => {
    const f = analyze(
      'import java.io.File;\nimport static java.lang.Math.max;\nimport java.util.*;\nimport static java.lang.Runtime.*;\n',
    );
    assert.deepEqual(modules(f), ['java.io.File', 'java.lang.Math.max', 'java.util', 'java.lang.Runtime']);
    assert.deepEqual(
      f.imports.map((i) => i.form),
      ['import', 'import static', 'import', 'import static'],
    );
  });

  it('reports `import java.iox;` as java.iox (llm-sandbox counts it as java.io)', () => {
    assert.deepEqual(modules(analyze('import java.iox;\n')), ['java.iox']);
  });

  it('reads nested packages and odd spacing (llm-sandbox misses `import java.io.file.X;`)', () => {
    const f = analyze('import java.io.file.X;\nimport  java . net /* c */ . Socket ;\n');
    assert.deepEqual(modules(f), ['java.io.file.X', 'java.net.Socket']);
  });

  it('does not take imports from comments or strings', () => {
    const code =
      '// import java.io.File;\n/* import java.net.Socket; */\nclass A { String s = "import java.lang.Runtime;"; }\n';
    assert.deepEqual(modules(analyze(code)), []);
  });
});

describe('Java analyzer: calls', () => {
  it('Runtime.getRuntime().exec is Runtime.exec, directly, fully qualified, through a variable or var', () => {
    const code = inMain(
      [
        '    Runtime.getRuntime().exec("ls");',
        '    java.lang.Runtime.getRuntime().exec("id");',
        '    Runtime r = Runtime.getRuntime();',
        '    r.exec(cmd);',
        '    var v = Runtime.getRuntime();',
        '    v.exec(cmd);',
      ].join('\n'),
    );
    const f = analyze(code);
    assert.equal(calls(f).filter((n) => n === 'Runtime.exec').length, 4);
    const first = f.calls.find((c) => c.name === 'Runtime.exec')!;
    assert.equal(text(code, first), 'Runtime.getRuntime().exec');
  });

  it('new ProcessBuilder(...) is ProcessBuilder, also fully qualified; start() follows it', () => {
    const f = analyze(
      inMain('    new ProcessBuilder("ls").start();\n    new java.lang.ProcessBuilder(cmd);'),
    );
    assert.deepEqual(calls(f), ['ProcessBuilder', 'ProcessBuilder.start', 'ProcessBuilder']);
  });

  it('static imports resolve bare calls', () => {
    const code = inMain('    getRuntime().exec("id");', 'import static java.lang.Runtime.getRuntime;');
    assert.deepEqual(calls(analyze(code)), ['Runtime.getRuntime', 'Runtime.exec']);
  });

  it('a method named exec on some other object is not Runtime.exec', () => {
    const code = inMain(
      '    Executor e = new Executor();\n    e.exec("x");\n    this.exec("y");\n    exec("z");',
    );
    const f = analyze(code);
    assert.ok(!calls(f).includes('Runtime.exec'));
    assert.ok(calls(f).includes('Executor.exec'));
  });

  it('a class named Runtime declared in the file, or imported from elsewhere, is not java.lang.Runtime', () => {
    const local =
      'class Runtime { static Runtime getRuntime() { return null; } void exec(String s) {} }\n' +
      inMain('    Runtime.getRuntime().exec("x");');
    assert.deepEqual(calls(analyze(local)), []);
    const imported = inMain('    Runtime.getRuntime().exec("x");', 'import com.example.Runtime;');
    assert.deepEqual(calls(analyze(imported)), []);
  });

  it('ignores calls in comments and strings', () => {
    const code = inMain(
      '    // Runtime.getRuntime().exec("x");\n    String s = "new ProcessBuilder(\\"x\\")";',
    );
    assert.deepEqual(calls(analyze(code)), []);
  });

  it('resolves script engines and method references', () => {
    const code = inMain(
      [
        '    new ScriptEngineManager().getEngineByName("js").eval(src);',
        '    ScriptEngine e = m.getEngineByName("js");',
        '    e.eval(src);',
        '    Supplier<Runtime> s = Runtime::getRuntime;',
        '    Function<String[], ProcessBuilder> p = ProcessBuilder::new;',
      ].join('\n'),
    );
    const names = calls(analyze(code));
    assert.equal(names.filter((n) => n === 'ScriptEngine.eval').length, 2);
    assert.ok(names.includes('Runtime.getRuntime'));
    assert.ok(names.includes('ProcessBuilder'));
  });
});

describe('Java analyzer: reflection', () => {
  it('Class.forName with a constant is an import of that class; otherwise a dynamic import', () => {
    const code = inMain(
      '    Class.forName("java.lang." + "Runtime");\n    Class.forName(NAME);\n    Class.forName(args[0]);',
      '',
    ).replace(
      'class Main {',
      'class Main {\n  static final String NAME = "javax.script.ScriptEngineManager";',
    );
    const f = analyze(code);
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.form]),
      [
        ['java.lang.Runtime', 'Class.forName'],
        ['javax.script.ScriptEngineManager', 'Class.forName'],
      ],
    );
    assert.equal(f.dynamicImports.length, 1);
    assert.equal(text(code, f.dynamicImports[0]!), 'Class.forName(args[0])');
    assert.equal(calls(f).filter((n) => n === 'Class.forName').length, 3);
  });

  it('getMethod by name on a known class object resolves to that method', () => {
    const code = inMain(
      '    Class.forName("java.lang.Runtime").getMethod("exec", String.class).invoke(rt, "id");\n    Runtime.class.getDeclaredMethod("exec", String.class);',
    );
    const names = calls(analyze(code));
    assert.equal(names.filter((n) => n === 'Runtime.exec').length, 2);
  });

  it('loadClass(expr) is a dynamic import', () => {
    const f = analyze(inMain('    ClassLoader.getSystemClassLoader().loadClass(name);'));
    assert.equal(f.dynamicImports.length, 1);
  });
});

describe('Java analyzer: comments and strings', () => {
  it('returns comment, string, char and text-block spans', () => {
    const code =
      '// a\n/* b */\nclass A { String s = "x\\"y"; char c = \'q\'; String t = """\n  block""";\n}\n';
    const f = analyze(code);
    assert.deepEqual(
      f.comments.map((s) => text(code, s)),
      ['// a', '/* b */'],
    );
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"x\\"y"', "'q'", '"""\n  block"""'],
    );
  });

  it('folds constant string expressions', () => {
    assert.equal(
      foldJavaText('"a" + ("b" + "\\u0063")', 0, () => undefined),
      'abc',
    );
    assert.equal(
      foldJavaText('"a" + x', 0, (n) => (n === 'x' ? '"b"' : undefined)),
      'ab',
    );
    assert.equal(
      foldJavaText('"a" + f()', 0, () => undefined),
      undefined,
    );
  });
});
