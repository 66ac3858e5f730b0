import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJavaScriptOrThrow } from '../../core/languages/javascript';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

// Call resolution (CallRef) of the JavaScript/TypeScript analyzer: imports, aliases, globals, escapes.

type Grammar = 'javascript' | 'typescript' | 'tsx';
let host: ParserHost;
before(async () => {
  host = await loadParsers(['javascript', 'typescript', 'tsx']);
});

function analyze(src: string, grammar: Grammar = 'javascript'): LanguageFacts {
  const tree = host.parse(grammar, src);
  assert.ok(tree, 'parsed');
  return analyzeJavaScriptOrThrow(tree, src);
}
/** `name@written` for every reported call except plain `require` (covered by the import tests). */
function calls(src: string, grammar: Grammar = 'javascript'): string[] {
  return analyze(src, grammar)
    .calls.filter((c) => c.name !== 'require')
    .map((c) => `${c.name}@${src.slice(c.start, c.end)}`);
}
const names = (src: string, grammar: Grammar = 'javascript') =>
  calls(src, grammar).map((c) => c.split('@')[0]);

describe('calls through imports and aliases', () => {
  it('resolves require bindings, destructuring with renames, and direct member calls', () => {
    const src = [
      "const cp = require('child_process'); cp.exec('a');",
      "const { exec: run } = require('node:child_process'); run('b');",
      "require('child_process').execSync('c');",
      "const { promises: { readFile } } = require('fs'); readFile('d');",
    ].join('\n');
    assert.deepEqual(calls(src), [
      'child_process.exec@cp.exec',
      'child_process.exec@run',
      "child_process.execSync@require('child_process').execSync",
      'fs.promises.readFile@readFile',
    ]);
  });

  it('resolves ES imports: named with alias, namespace, default, and default re-read', () => {
    const src = [
      "import { spawn as s } from 'child_process'; s('a');",
      "import * as cp from 'child_process'; cp.fork('b'); cp.default.exec('c');",
      "import proc from 'node:child_process'; proc.execSync('d');",
      "import { default as d2 } from 'child_process'; d2.spawnSync('e');",
    ].join('\n');
    assert.deepEqual(names(src), [
      'child_process.spawn',
      'child_process.fork',
      'child_process.exec',
      'child_process.execSync',
      'child_process.spawnSync',
    ]);
  });

  it('resolves TypeScript import-equals and calls with type arguments or non-null assertions', () => {
    const src =
      "import cp = require('child_process');\ncp.exec<string>('a');\ncp.execSync!('b');\n(cp as any).spawn('c');";
    assert.deepEqual(names(src, 'typescript'), [
      'child_process.exec',
      'child_process.execSync',
      'child_process.spawn',
    ]);
  });

  it('follows chains of aliases, assignments and containers', () => {
    const src = [
      "const p = require('child_process'); const q = p; let r; r = q; r.exec('a');",
      "const run = p.execSync; run('b');",
      "const tools = { go: p.spawn }; tools.go('c');",
      "const [first] = [p.fork]; first('d');",
      "const bound = p.exec.bind(p); bound('e');",
      "p.execFile.call(p, 'f'); p.spawnSync.apply(p, ['g']);",
    ].join('\n');
    assert.deepEqual(names(src), [
      'child_process.exec',
      'child_process.execSync',
      'child_process.spawn',
      'child_process.fork',
      'child_process.exec',
      'child_process.execFile',
      'child_process.spawnSync',
    ]);
  });

  it('reports restricted functions used as values where they escape', () => {
    const src =
      "const cp = require('child_process');\n[cmd].forEach(cp.execSync);\nmodule.exports = { run: cp.exec };\nexport default cp.spawn;\nhandlers.x = cp.fork;";
    assert.deepEqual(calls(src), [
      'child_process.execSync@cp.execSync',
      'child_process.exec@cp.exec',
      'child_process.spawn@cp.spawn',
      'child_process.fork@cp.fork',
    ]);
  });

  it('follows the module into a `.then` callback of import()', () => {
    const src =
      "import('child' + '_process').then((m) => m.exec('a'));\nimport('vm').then(({ runInThisContext }) => runInThisContext('b'));";
    assert.deepEqual(names(src), ['child_process.exec', 'vm.runInThisContext']);
  });

  it('resolves vm and other module members through require', () => {
    assert.deepEqual(names("const vm = require('vm'); vm.runInNewContext('1'); new vm.Script('2');"), [
      'vm.runInNewContext',
      'vm.Script',
    ]);
  });

  it('reports further globals when asked to', () => {
    const src = "console.log('x'); const out = console; out.error('y'); navigator.sendBeacon('u');";
    const tree = host.parse('javascript', src);
    assert.ok(tree);
    assert.deepEqual(
      analyzeJavaScriptOrThrow(tree, src).calls.map((c) => c.name),
      ['navigator.sendBeacon'],
    );
    assert.deepEqual(
      analyzeJavaScriptOrThrow(tree, src, { extraGlobals: ['console'] }).calls.map((c) => c.name),
      ['console.log', 'console.error', 'navigator.sendBeacon'],
    );
  });

  it('does not follow calls into modules the caller did not ask for', () => {
    const src = "import path from 'path'; path.join('a'); import cp from 'child_process'; cp.exec('b');";
    const tree = host.parse('javascript', src);
    assert.ok(tree);
    const f = analyzeJavaScriptOrThrow(tree, src, { callModules: new Set(['child_process']) });
    assert.deepEqual(
      f.calls.map((c) => c.name),
      ['child_process.exec'],
    );
    assert.deepEqual(
      f.imports.map((i) => i.module),
      ['path', 'child_process'],
      'imports are always reported',
    );
  });
});

describe('calls of globals', () => {
  it('reports eval, Function, fetch, process.*, WebAssembly.* and timers', () => {
    const src = [
      "eval('1'); Function('2'); new Function('3'); fetch('u');",
      "process.binding('fs'); process.dlopen(m, f); process.kill(1);",
      'WebAssembly.instantiate(b); new WebAssembly.Module(b);',
    ].join('\n');
    assert.deepEqual(calls(src), [
      'eval@eval',
      'Function@Function',
      'Function@new Function',
      'fetch@fetch',
      'process.binding@process.binding',
      'process.dlopen@process.dlopen',
      'process.kill@process.kill',
      'WebAssembly.instantiate@WebAssembly.instantiate',
      'WebAssembly.Module@new WebAssembly.Module',
    ]);
  });

  it('reports a timer with a string argument also as eval (string code is compiled)', () => {
    assert.deepEqual(names("setTimeout('alert(1)', 10);"), ['setTimeout', 'eval']);
    assert.deepEqual(names('setInterval(`tick(${n})`, 10);'), ['setInterval', 'eval']);
    assert.deepEqual(names("setTimeout('a' + b, 10);"), ['setTimeout', 'eval']);
    assert.deepEqual(names('setTimeout(() => tick(), 10); setTimeout(callback, 5);'), [
      'setTimeout',
      'setTimeout',
    ]);
  });

  it('reaches globals through the global object under any of its names, and computed names', () => {
    const src =
      "globalThis.eval('a');\nwindow.eval('b');\nglobal.eval('c');\nself['eval']('d');\nglobalThis['ev' + 'al']('e');\nglobalThis.globalThis.window.Function('f');";
    assert.deepEqual(names(src), ['eval', 'eval', 'eval', 'eval', 'eval', 'Function']);
  });

  it('sees through indirect call forms', () => {
    const src =
      "(0, eval)('a');\neval?.('b');\n(eval)('c');\nReflect.apply(eval, null, ['d']);\neval.call(null, 'e');\n[eval][0]('f');\nReflect.get(globalThis, 'eval')('g');";
    assert.deepEqual(
      names(src).filter((n) => !n.startsWith('Reflect.')),
      ['eval', 'eval', 'eval', 'eval', 'eval', 'eval', 'eval'],
    );
  });

  it('reads globals out of property descriptors and Reflect', () => {
    const src =
      "Object.getOwnPropertyDescriptor(globalThis, 'eval').value('a');\nReflect.get(window, 'Function')('b');";
    assert.deepEqual(
      names(src).filter((n) => !n.startsWith('Reflect.') && !n.startsWith('Object.')),
      ['eval', 'Function'],
    );
  });

  it('folds JSFuck-style property names', () => {
    const src =
      "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]['constructor']('return 1')();";
    assert.deepEqual(names(src), ['Function']);
  });

  it('follows aliases of globals and of the global object', () => {
    const src =
      "const e = eval; e('a');\nconst g = globalThis; g.eval('b');\nconst { eval: ev } = globalThis; ev('c');\nlet f; f = Function; f('d');\nconst w = cond ? eval : other; w('e');";
    assert.deepEqual(names(src), ['eval', 'eval', 'eval', 'Function', 'eval']);
  });

  it('finds the Function constructor without its name', () => {
    const src = [
      "[].constructor.constructor('a')();",
      "(() => {}).constructor('b');",
      "Object.getPrototypeOf(async function () {}).constructor('c');",
      "Object.getPrototypeOf(function* () {}).constructor('d');",
      "''['constr' + 'uctor']['constr' + 'uctor']('e');",
      "const c = 'constructor'; ({})[c][c]('f');",
      "(function () {}).__proto__.constructor('g');",
      "const F = Object.getPrototypeOf(async () => {}).constructor; new F('h');",
      "Function.prototype.constructor('i');",
      "Reflect.construct(Function, ['j']);",
      'function f() {} f.constructor(payload);',
      "const k = 'constructor'; const C = g[k]; C(code); function g() {}",
    ].join('\n');
    assert.deepEqual(
      names(src).filter((n) => !n.startsWith('Reflect.')),
      Array(12).fill('Function'),
    );
  });

  it('reports vm through require and module members through process.binding', () => {
    assert.deepEqual(names("require('vm').runInThisContext('x');"), ['vm.runInThisContext']);
  });
});

describe('not reported', () => {
  it('ignores methods that share a restricted name', () => {
    assert.deepEqual(names("regex.exec(s); db.exec('sql'); obj.eval(1); this.fetch(); a.b.Function();"), []);
  });

  it('ignores local functions, parameters and variables named like globals', () => {
    const src = [
      'function f(eval) { eval(1); }',
      'function g() { const fetch = () => 1; fetch(2); }',
      'function eval2() {} eval2();',
      'class C { fetch() { return fetch; } }',
      'const self = this; self.eval(3);',
      '{ let Function = class {}; new Function(); }',
      'try {} catch (eval) { eval(4); }',
    ].join('\n');
    assert.deepEqual(
      calls(src),
      ['fetch@fetch'],
      'only the bare global `fetch` returned from the method escapes',
    );
  });

  it('keeps reporting the global outside the shadowing scope', () => {
    assert.deepEqual(
      names("function g() { let eval = 1; }\neval('top');\n{ const fetch = 1; }\nfetch('u');"),
      ['eval', 'fetch'],
    );
  });

  it('ignores object keys, property names, typeof checks and comparisons', () => {
    const src =
      "const o = { eval: 1, fetch() {}, ['Function']: 2 };\nif (typeof eval === 'function') {}\nif (x === fetch) {}\nconst t = `${eval}`;\nlabel: for (;;) break label;";
    assert.deepEqual(names(src), []);
  });

  it('ignores ordinary constructor uses', () => {
    const src =
      'class A { constructor(x) { this.x = x; } clone() { return new this.constructor(this.x); } }\nconst n = obj.constructor.name;\nconst P = obj.constructor;';
    assert.deepEqual(names(src), []);
  });

  it('ignores restricted names that only occur in types', () => {
    const src =
      'let e: typeof eval;\ntype F = typeof fetch;\nfunction run(cb: typeof Function) {}\ndeclare const x: Parameters<typeof eval>;';
    assert.deepEqual(names(src, 'typescript'), []);
  });

  it('does not let an ambient TypeScript declaration shadow the global', () => {
    assert.deepEqual(names("declare function eval(s: string): void;\neval('x');", 'typescript'), ['eval']);
  });

  it('does not follow calls into relative files unless asked to', () => {
    const src = "const exec = require('./exec'); exec('x');\nimport { spawn } from './pool'; spawn();";
    assert.deepEqual(names(src), []);
    const tree = host.parse('javascript', src);
    assert.ok(tree);
    const all = analyzeJavaScriptOrThrow(tree, src, { callModules: new Set(['*']) });
    assert.deepEqual(
      all.calls.filter((c) => c.name !== 'require').map((c) => c.name),
      ['./exec', './pool.spawn'],
    );
  });
});

describe('JSX and TypeScript code', () => {
  it('resolves calls inside JSX expressions but not inside JSX text or attribute strings', () => {
    const src = "const el = <div onClick={() => eval('x')} title=\"eval('y')\">eval('z') {fetch('u')}</div>;";
    assert.deepEqual(calls(src, 'tsx'), ['eval@eval', 'fetch@fetch']);
    assert.deepEqual(calls(src, 'javascript'), ['eval@eval', 'fetch@fetch']);
  });

  it('reports a component that is a restricted global', () => {
    assert.deepEqual(names('const el = <Function />;', 'tsx'), ['Function']);
  });

  it('handles generics, assertions and satisfies around tracked values', () => {
    const src =
      "const cp = require('child_process') as typeof import('child_process');\n(cp satisfies object).exec('a');\nconst e = <any>eval; e('b');";
    assert.deepEqual(names(src, 'typescript'), ['child_process.exec', 'eval']);
  });
});
