import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, callNames } from './pythonTestHelpers';

/** Asserts that `name` is reported, optionally on exactly the span text `at`. */
async function reports(src: string, name: string, at?: string): Promise<void> {
  const f = await analyze(src);
  const hits = f.calls.filter((c) => c.name === name);
  assert.ok(hits.length > 0, `${name} not reported; got ${JSON.stringify(f.calls)}`);
  if (at !== undefined)
    assert.ok(
      hits.some((h) => h.text === at),
      `${name} not on ${JSON.stringify(at)}; got ${JSON.stringify(hits)}`,
    );
}

async function doesNotReport(src: string, name: string): Promise<void> {
  const f = await analyze(src);
  const hits = f.calls.filter((c) => c.name === name);
  assert.deepEqual(hits, [], `${name} unexpectedly reported`);
}

describe('python calls: resolution through imports and aliases', () => {
  const cases: [string, string, string, string][] = [
    ['plain', 'import os\nos.system("x")\n', 'os.system', 'os.system'],
    ['import as', 'import os as o\no.system("x")\n', 'os.system', 'o.system'],
    ['from import as', 'from os import system as s\ns("x")\n', 'os.system', 's'],
    ['from import', 'from subprocess import run\nrun(["ls"])\n', 'subprocess.run', 'run'],
    ['dotted import', 'import os.path\nos.path.join("a")\n', 'os.path.join', 'os.path.join'],
    [
      'getattr with folded name',
      'import os\ngetattr(os, "sys" + "tem")("x")\n',
      'os.system',
      'getattr(os, "sys" + "tem")',
    ],
    ['odd whitespace', 'import os\nos . system ("x")\n', 'os.system', 'os . system'],
    ['comment and continuation', 'import os\nos.\\\n  system(\n  "x")\n', 'os.system', 'os.\\\n  system'],
    [
      'parenthesised callee over lines',
      'import os\n(os\n  # hide\n  .system)("x")\n',
      'os.system',
      'os\n  # hide\n  .system',
    ],
    ['__import__ result', '__import__("os").system("x")\n', 'os.system', '__import__("os").system'],
    [
      'import_module result',
      'import importlib\nimportlib.import_module("subprocess").run("x")\n',
      'subprocess.run',
      'importlib.import_module("subprocess").run',
    ],
    ['alias of a member', 'import os\nf = os.system\nf("x")\n', 'os.system', 'f'],
    ['alias of a module', 'import os\no = os\no.system("x")\n', 'os.system', 'o.system'],
    [
      'alias of __import__ result',
      'sp = __import__("subprocess")\nsp.Popen(["x"])\n',
      'subprocess.Popen',
      'sp.Popen',
    ],
    ['alias chain', 'import os\na = os\nb = a\nc = b.system\nc("x")\n', 'os.system', 'c'],
    ['chained assignment', 'import os\na = b = os.system\nb("x")\n', 'os.system', 'b'],
    ['tuple unpacking', 'import os\na, b = os.system, print\na("x")\n', 'os.system', 'a'],
    ['walrus', 'import os\nif (f := os.popen):\n    f("x")\n', 'os.popen', 'f'],
    ['default parameter', 'import os\ndef g(run=os.system):\n    run("x")\n', 'os.system', 'run'],
    ['loop over a literal', 'import os\nfor fn in (os.system, os.popen):\n    fn("x")\n', 'os.popen', 'fn'],
    ['conditional expression', 'import os\nf = os.system if x else os.popen\nf("x")\n', 'os.system', 'f'],
    ['lambda returning a member', 'import os\nrun = lambda: os.system\nrun()("x")\n', 'os.system', 'run()'],
    [
      'function-level import',
      'def f():\n    import subprocess as sp\n    sp.check_output("x")\n',
      'subprocess.check_output',
      'sp.check_output',
    ],
    ['__call__', 'import os\nos.system.__call__("x")\n', 'os.system', 'os.system.__call__'],
    ['sys.modules', 'import sys\nsys.modules["os"].system("x")\n', 'os.system', 'sys.modules["os"].system'],
    ['module __dict__', 'import os\nos.__dict__["system"]("x")\n', 'os.system', 'os.__dict__["system"]'],
    ['vars(module)', 'import os\nvars(os)["system"]("x")\n', 'os.system', 'vars(os)["system"]'],
    [
      'module __getattribute__',
      'import os\nos.__getattribute__("system")("x")\n',
      'os.system',
      'os.__getattribute__("system")',
    ],
    ['posix is os', 'import posix\nposix.system("x")\n', 'os.system', 'posix.system'],
    [
      'os re-exported by another module',
      'import shutil\nshutil.os.system("x")\n',
      'os.system',
      'shutil.os.system',
    ],
    [
      'globals lookup of an import',
      'import os\nglobals()["os"].system("x")\n',
      'os.system',
      'globals()["os"].system',
    ],
    ['star import', 'from os import *\nsystem("x")\n', 'os.system', 'system'],
    ['star import of subprocess', 'from subprocess import *\nPopen(["x"])\n', 'subprocess.Popen', 'Popen'],
    ['keyword names after the dot', 'import os\nos.ｓｙｓｔｅｍ("x")\n', 'os.system', 'os.ｓｙｓｔｅｍ'],
    ['NFKC module name', 'import os\nｏｓ.system("x")\n', 'os.system', 'ｏｓ.system'],
    ['in an f-string expression', 'import os\nx = f"{os.system(\'id\')}"\n', 'os.system', 'os.system'],
    ['in a decorator', 'import os\n@os.system\ndef f(): pass\n', 'os.system', 'os.system'],
    [
      'class attribute alias used in the class',
      'import os\nclass A:\n    run = os.system\n    run("x")\n',
      'os.system',
      'run',
    ],
    [
      'operator.attrgetter',
      'import operator, os\noperator.attrgetter("system")(os)("x")\n',
      'os.system',
      'operator.attrgetter("system")(os)',
    ],
    [
      'operator.methodcaller',
      'import operator, os\noperator.methodcaller("system", "x")(os)\n',
      'os.system',
      'operator.methodcaller("system", "x")(os)',
    ],
    [
      'object.__getattribute__',
      'import os\nobject.__getattribute__(os, "system")("x")\n',
      'os.system',
      'object.__getattribute__(os, "system")',
    ],
    ['a dunder-dict alias', 'import os as o\np = o.__dict__\np["system"]("x")\n', 'os.system', 'p["system"]'],
    ['a lambda default', 'import os\nf = lambda s=os.system: s("x")\n', 'os.system', 's'],
    ['a walrus in a comprehension', 'import os\n[(s := os.system) for _ in [0]]\ns("x")\n', 'os.system', 's'],
    [
      'sys.modules through __import__',
      '__import__("sys").modules["os"].system("x")\n',
      'os.system',
      '__import__("sys").modules["os"].system',
    ],
    ['a builtin name rebound to another builtin', 'print = eval\nprint("1")\n', 'eval', 'print'],
    [
      'module re-exported through a submodule alias',
      'import os.path as osp\nosp.os.system("x")\n',
      'os.system',
      'osp.os.system',
    ],
  ];
  for (const [name, src, expected, at] of cases) {
    it(name, () => reports(src, expected, at));
  }
});

describe('python calls: modules and members kept in attributes', () => {
  it('a module stored on self', () =>
    reports(
      'class R:\n    def __init__(self):\n        import subprocess\n        self.sp = subprocess\n    def go(self):\n        self.sp.run("x")\n',
      'subprocess.run',
      'self.sp.run',
    ));
  it('a class attribute read through the class and an instance', async () => {
    const f = await analyze('import os\nclass A:\n    run = os.system\nA.run("x")\nA().run("y")\n');
    const spans = f.calls.filter((c) => c.name === 'os.system').map((c) => c.text);
    assert.deepEqual(spans.sort(), ['A().run', 'A.run', 'os.system']);
  });
  it('an attribute of another name is not affected', () =>
    doesNotReport('import os\nself.o = os\nx.other.system("x")\n', 'os.system'));
});

describe('python calls: modules and members returned by functions', () => {
  it('a function returning a module', () =>
    reports('def g():\n    import os\n    return os\ng().system("x")\n', 'os.system', 'g().system'));
  it('a function returning a member, called through an alias', () =>
    reports(
      'def get():\n    return __import__("subprocess").Popen\nx = get\nx()(["y"])\n',
      'subprocess.Popen',
      'x()',
    ));
  it('a recursive function terminates', () =>
    reports(
      'def f(n):\n    if n: return f(n - 1)\n    import os\n    return os.system\nf(3)("x")\n',
      'os.system',
      'f(3)',
    ));
  it('an ordinary function is not followed', async () => {
    assert.deepEqual(await callNames('def helper(x):\n    return x + 1\nhelper(2).bit_length()\n'), []);
  });
  it('a class-level import reached through the class or self', async () => {
    const f = await analyze(
      'class A:\n    import os\n    def f(self):\n        self.os.system("x")\nA.os.popen("y")\n',
    );
    assert.ok(f.calls.some((c) => c.name === 'os.system' && c.text === 'self.os.system'));
    assert.ok(f.calls.some((c) => c.name === 'os.popen' && c.text === 'A.os.popen'));
  });
});

describe('python calls: code fragments without their imports', () => {
  it('an unbound os or subprocess is taken to be the module', async () => {
    const f = await analyze('os.system("x")\nsubprocess.run(["y"])\n');
    assert.deepEqual(
      f.calls.map((c) => c.name),
      ['os.system', 'subprocess.run'],
    );
    assert.deepEqual(f.imports, []);
  });
  it('but not when the name is bound', () => doesNotReport('def f(os):\n    os.system("x")\n', 'os.system'));
});

describe('python calls: references used as values', () => {
  it('a member passed to map is reported', () =>
    reports('import os\nmap(os.system, cmds)\n', 'os.system', 'os.system'));
  it('a class passed as a callback is reported', () =>
    reports(
      'import subprocess, threading\nthreading.Thread(target=subprocess.Popen)\n',
      'subprocess.Popen',
      'subprocess.Popen',
    ));
  it('a builtin passed as a value is reported', () => reports('list(map(eval, xs))\n', 'eval', 'eval'));
  it('an alias definition is reported once, where the member is named', async () => {
    const f = await analyze('import os\nf = os.system\n');
    assert.deepEqual(f.calls, [{ name: 'os.system', text: 'os.system' }]);
  });
  it('a module used as a value is not a call', async () => {
    assert.deepEqual(await callNames('import os\nprint_module(os)\n'), []);
  });
});

describe('python calls: builtins', () => {
  for (const b of [
    'eval',
    'exec',
    'compile',
    '__import__',
    'open',
    'getattr',
    'setattr',
    'globals',
    'breakpoint',
    'input',
    'vars',
    'delattr',
  ]) {
    it(`${b} is reported as a bare name`, () => reports(`${b}(x)\n`, b, b));
  }
  const reached: [string, string, string][] = [
    ['builtins module', 'import builtins\nbuiltins.eval("1")\n', 'builtins.eval'],
    ['from builtins', 'from builtins import exec as run\nrun("1")\n', 'run'],
    ['__builtins__ attribute', '__builtins__.eval("1")\n', '__builtins__.eval'],
    ['__builtins__ subscript', '__builtins__["eval"]("1")\n', '__builtins__["eval"]'],
    [
      'getattr on builtins',
      'import builtins\ngetattr(builtins, "ev" + "al")("1")\n',
      'getattr(builtins, "ev" + "al")',
    ],
    [
      'globals()["__builtins__"]',
      'globals()["__builtins__"]["eval"]("1")\n',
      'globals()["__builtins__"]["eval"]',
    ],
    ["a builtin function's __self__", 'print.__self__.eval("1")\n', 'print.__self__.eval'],
    ['vars(builtins)', 'import builtins\nvars(builtins)["eval"]("1")\n', 'vars(builtins)["eval"]'],
    ["another module's __builtins__", 'import os\nos.__builtins__["eval"]("1")\n', 'os.__builtins__["eval"]'],
    ['NFKC', 'ｅｖａｌ("1")\n', 'ｅｖａｌ'],
    ['alias of a builtin', 'e = eval\ne("1")\n', 'e'],
    ['used before a later module-level definition', 'eval("1")\ndef eval(x): pass\n', 'eval'],
    [
      'class attribute does not hide it from methods',
      'class A:\n    eval = None\n    def f(self):\n        eval("1")\n',
      'eval',
    ],
    [
      'global declaration only rebinds on some paths',
      'def f():\n    global eval\n    eval = 1\neval("1")\n',
      'eval',
    ],
    ['conditional rebinding', 'if x:\n    def exec(s): pass\nexec("1")\n', 'exec'],
    ['a parameter default refers outward', 'def f(eval=eval):\n    return eval("1")\n', 'eval'],
    ['rebinding a builtin to itself', 'eval = eval\neval("1")\n', 'eval'],
  ];
  for (const [name, src, at] of reached) {
    it(`reached through ${name}`, async () => {
      const f = await analyze(src);
      const wanted = /exec/.test(src) && !/eval/.test(src) ? 'exec' : 'eval';
      assert.ok(
        f.calls.some((c) => c.name === wanted && c.text === at),
        `${wanted} on ${JSON.stringify(at)}; got ${JSON.stringify(f.calls)}`,
      );
    });
  }

  const notBuiltin: [string, string, string][] = [
    ['re.compile', 'import re\nre.compile("x")\n', 'compile'],
    ['a method named exec', 'obj.exec("x")\n', 'exec'],
    ['self.eval()', 'class A:\n    def run(self):\n        self.eval()\n', 'eval'],
    ['model.eval()', 'model.eval()\n', 'eval'],
    ['a local def', 'def system(): pass\nsystem()\n', 'system'],
    ['a module-level def before use', 'def eval(x): return x\neval("1")\n', 'eval'],
    ['an assignment before use', 'open = my_open\nopen("f")\n', 'open'],
    ['a parameter', 'def f(exec):\n    exec("x")\n', 'exec'],
    ['a loop variable', 'for compile in things:\n    compile()\n', 'compile'],
    ['an import under that name', 'from mylib import eval\neval("x")\n', 'eval'],
    ['a local in a function', 'def f():\n    input = read\n    input()\n', 'input'],
    ['a comprehension variable', 'xs = [open() for open in openers]\n', 'open'],
    ['a lambda parameter', 'f = lambda exec: exec()\n', 'exec'],
    ['with-as', 'with ctx() as open:\n    open()\n', 'open'],
    ['except-as', 'try:\n    pass\nexcept E as eval:\n    eval()\n', 'eval'],
    ['a keyword argument name', 'f(eval=1, exec=2)\n', 'exec'],
    ['an attribute named like a builtin', 'x.open\nx.eval = 1\n', 'open'],
    ['a class body binding used in the class body', 'class A:\n    open = 1\n    open()\n', 'open'],
    ['in a string', 'x = "eval(1)"\n', 'eval'],
    ['in a comment', '# eval(1)\n', 'eval'],
    ['re star import rebinds compile', 'from re import *\ncompile("x")\n', 'compile'],
  ];
  for (const [name, src, builtin] of notBuiltin) {
    it(`not the builtin: ${name}`, () => doesNotReport(src, builtin));
  }

  it('star import then a local def: not the module member', () =>
    doesNotReport('from os import *\ndef system(x): pass\nsystem("x")\n', 'os.system'));
  it('re star import: compile is re.compile', () =>
    reports('from re import *\ncompile("x")\n', 're.compile', 'compile'));
});

describe('python calls: ordinary code reports nothing restricted', () => {
  it('a typical script', async () => {
    const src = [
      'import json, re, os.path',
      'from collections import OrderedDict',
      'from typing import Dict, List',
      '',
      'PATTERN = re.compile(r"\\d+")',
      '',
      'class Model:',
      '    def eval(self):',
      '        return self',
      '    def exec(self, q):',
      '        return q',
      '',
      'def load(path: str) -> Dict[str, List[int]]:',
      '    with open(path) as fh:',
      '        data = json.load(fh)',
      '    model = Model()',
      '    model.eval()',
      '    model.exec("select 1")',
      '    return {k: [int(x) for x in PATTERN.findall(v)] for k, v in data.items()}',
      '',
      'print(os.path.join("a", "b"))',
    ].join('\n');
    const names = await callNames(src);
    for (const bad of ['eval', 'exec', 'compile', 'os.system', '__import__'])
      assert.ok(!names.includes(bad), `${bad} in ${names.join(', ')}`);
    assert.ok(names.includes('re.compile'));
    assert.ok(names.includes('os.path.join'));
    assert.ok(names.includes('open'));
    assert.ok(names.includes('json.load'));
  });
});

describe('python calls: exec and eval of constant strings', () => {
  it('imports and calls inside exec strings are reported on the string', async () => {
    const f = await analyze('exec(\'import os; os.system("id")\')\n');
    assert.ok(f.imports.some((i) => i.module === 'os' && i.text === '\'import os; os.system("id")\''));
    assert.ok(f.calls.some((c) => c.name === 'os.system'));
    assert.ok(f.calls.some((c) => c.name === 'exec' && c.text === 'exec'));
  });
  it('compile of a folded string', async () => {
    const f = await analyze("eval(compile('__im' + 'port__(\"subprocess\")', 'x', 'eval'))\n");
    assert.ok(
      f.imports.some((i) => i.module === 'subprocess'),
      JSON.stringify(f.imports),
    );
  });
  it('exec of a non-constant is only the exec call', async () => {
    const f = await analyze('exec(code)\n');
    assert.deepEqual(f.calls, [{ name: 'exec', text: 'exec' }]);
    assert.deepEqual(f.imports, []);
  });
});
