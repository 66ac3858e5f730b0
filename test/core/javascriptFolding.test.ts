import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJavaScriptOrThrow } from '../../core/languages/javascript';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

// Constant folding of module names and property names in the JavaScript/TypeScript analyzer.

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
/** The module each line's require/import resolves to, or `?` when it was reported as dynamic. */
function resolved(lines: string[], grammar: Grammar = 'javascript'): string[] {
  return lines.map((line) => {
    const f = analyze(line, grammar);
    if (f.dynamicImports.length > 0) return '?';
    return f.imports.map((i) => i.module).join(',');
  });
}

describe('folding module names', () => {
  it('folds concatenation, templates and escapes', () => {
    const lines = [
      "require('child_' + 'process');",
      "require('chi' + 'ld' + '_' + 'pro' + 'cess');",
      'require(`child_process`);',
      "require(`child_${'process'}`);",
      "require(`${'child'}_${`process`}`);",
      "require('\\x63hild_process');",
      "require('\\u0063hild_process');",
      "require('\\u{63}hild_process');",
      "require('\\143hild_process');",
      "require('child_\\\nprocess');",
      'require("child\\_process");',
    ];
    assert.deepEqual(resolved(lines), Array(lines.length).fill('child_process'));
  });

  it('folds array joins, reversals, char codes, concat, case changes and decoders', () => {
    const lines = [
      "require(['child', '_process'].join(''));",
      "require('ssecorp_dlihc'.split('').reverse().join(''));",
      "require([...'ssecorp_dlihc'].reverse().join(''));",
      'require(String.fromCharCode(99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115));',
      'require(String.fromCharCode(...[99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115]));',
      "require([99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115].map((c) => String.fromCharCode(c)).join(''));",
      "require('child'.concat('_', 'process'));",
      "require(''.concat('child', '_process'));",
      "require('CHILD_PROCESS'.toLowerCase());",
      "require(atob('Y2hpbGRfcHJvY2Vzcw=='));",
      "require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString());",
      "require(Buffer.from('6368696c645f70726f63657373', 'hex').toString('utf8'));",
      "require(decodeURIComponent('%63hild_process'));",
      "require(unescape('%63hild%5Fprocess'));",
      "require('xchild_processx'.slice(1, -1));",
      "require('child-process'.replace('-', '_'));",
      "require(['c', 'h', 'i', 'l', 'd', '_', 'p', 'r', 'o', 'c', 'e', 's', 's'].reduce((a, b) => a + b, ''));",
      'require(String.raw`child_process`);',
      "require(['child', ['_process']].flat().join(''));",
      'require(JSON.parse(\'"child_process"\'));',
    ];
    assert.deepEqual(resolved(lines), Array(lines.length).fill('child_process'));
  });

  it('folds names bound to constants, including chains and destructuring from literals', () => {
    const lines = [
      "const m = 'child_' + 'process'; require(m);",
      "const a = 'child_'; const b = a + 'process'; const c = `${b}`; require(c);",
      "let once = 'child_process'; require(once);",
      "var v = ['child', '_process']; require(v.join(''));",
      "const [x, y] = ['child_', 'process']; require(x + y);",
      'const codes = [99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115]; require(String.fromCharCode(...codes));',
    ];
    assert.deepEqual(resolved(lines), Array(lines.length).fill('child_process'));
  });

  it('folds TypeScript wrappers around constants', () => {
    const lines = [
      "const m: string = 'child_process'; require(m);",
      "require(('child_process' as string));",
      "require(<string>'child_process');",
      "const m = 'child_process' satisfies string; require(m!);",
    ];
    assert.deepEqual(resolved(lines, 'typescript'), Array(lines.length).fill('child_process'));
  });

  it('refuses to fold values that can change, and reports them as dynamic', () => {
    const lines = [
      "let m = 'fs'; m = 'child_process'; require(m);",
      "var m = 'fs'; m += '/promises'; require(m);",
      "let m = 'fs'; [m] = ['child_process']; require(m);",
      "let m = 'fs'; ({ m } = { m: 'child_process' }); require(m);",
      "const a = ['fs']; a[0] = 'child_process'; require(a[0]);",
      "const b = ['f', 's']; b.reverse(); require(b.join(''));",
      "const p = ['fs']; mutate(p); require(p[0]);",
      "function f(m = 'fs') { require(m); }",
      "for (const m of ['fs', 'child_process']) require(m);",
      "with (obj) { require(m); } const m = 'fs';",
      "const String = { fromCharCode: () => 'fs' }; require(String.fromCharCode(99));",
      "function g(atob) { require(atob('Y2hpbGRfcHJvY2Vzcw==')); }",
      "const o = { m: 'fs' }; o.m = 'child_process'; require(o.m);",
    ];
    assert.deepEqual(resolved(lines), Array(lines.length).fill('?'));
  });

  it('uses the binding in scope, not another one of the same name', () => {
    assert.deepEqual(resolved(["const m = 'fs'; function f() { const m = 'child_process'; require(m); }"]), [
      'child_process',
    ]);
    assert.deepEqual(resolved(["const m = 'fs'; function f(m) { require(m); }"]), ['?']);
  });

  it('gives up on hostile sizes instead of hanging', () => {
    const huge = `require('${'a'.repeat(10_000)}' + 'b');`;
    assert.deepEqual(resolved([huge]), ['?']);
    const repeat = "require('ab'.repeat(1e9));";
    assert.deepEqual(resolved([repeat]), ['?']);
    const cyclic = 'const a = b + 1; const b = a + 1; require(a);';
    assert.deepEqual(resolved([cyclic]), ['?']);
  });
});

describe('folding property names of calls', () => {
  const callNames = (src: string) => analyze(src).calls.map((c) => c.name);

  it('resolves computed member names on modules and globals', () => {
    assert.deepEqual(callNames("const cp = require('child_process'); cp['ex' + 'ec']('id');"), [
      'require',
      'child_process.exec',
    ]);
    assert.deepEqual(callNames("process['bind' + 'ing']('fs');"), ['process.binding']);
    assert.deepEqual(callNames("globalThis[['ev', 'al'].join('')]('1');"), ['eval']);
    assert.deepEqual(callNames("const k = 'ev' + 'al'; window[k]('1');"), ['eval']);
    assert.deepEqual(callNames("globalThis[String.fromCharCode(101, 118, 97, 108)]('1');"), ['eval']);
  });

  it('resolves escaped identifiers to the names they spell', () => {
    assert.deepEqual(callNames("\\u0065val('1');\nglobalThis.\\u{65}val('2');"), ['eval', 'eval']);
    const f = analyze("r\\u0065quire('child_process');");
    assert.deepEqual(
      f.imports.map((i) => i.module),
      ['child_process'],
    );
  });
});
