import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJavaScript, analyzeJavaScriptOrThrow } from '../../core/languages/javascript';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

// The JavaScript/TypeScript analyzer never throws and stays bounded on broken and hostile input.

type Grammar = 'javascript' | 'typescript' | 'tsx';
const GRAMMARS: Grammar[] = ['javascript', 'typescript', 'tsx'];
let host: ParserHost;
before(async () => {
  host = await loadParsers(GRAMMARS);
});

function analyze(src: string, grammar: Grammar = 'javascript'): LanguageFacts {
  const tree = host.parse(grammar, src);
  assert.ok(tree, 'parsed');
  return analyzeJavaScriptOrThrow(tree, src);
}

/** Spans must lie inside the text and be ordered (the engine relies on both). */
function assertWellFormed(f: LanguageFacts, src: string): void {
  for (const list of [f.comments, f.strings, f.imports, f.dynamicImports, f.calls]) {
    let last = -1;
    for (const s of list) {
      assert.ok(
        s.start >= 0 && s.start <= s.end && s.end <= src.length,
        `span ${s.start}-${s.end} in ${src.length}`,
      );
      assert.ok(s.start >= last, 'sorted');
      last = s.start;
    }
  }
}

const N = 10_000;

describe('deep nesting (10 000 levels) neither overflows nor loses the finding', () => {
  const cases: Array<[string, string, (f: LanguageFacts) => void]> = [
    [
      'parentheses',
      '('.repeat(N) + 'eval' + ')'.repeat(N) + "('x')",
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'member chain',
      'globalThis' + '.globalThis'.repeat(N) + ".eval('x')",
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'arrays',
      'const a = ' + '['.repeat(N) + 'eval' + ']'.repeat(N) + ';',
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'objects',
      'x.y = ' + '{a:'.repeat(N) + 'eval' + '}'.repeat(N),
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'functions',
      'function f(){'.repeat(N) + "eval('x')" + '}'.repeat(N),
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'templates',
      '`${'.repeat(N) + "require('vm')" + '}`'.repeat(N),
      (f) =>
        assert.deepEqual(
          f.imports.map((i) => i.module),
          ['vm'],
        ),
    ],
    [
      'concatenation',
      'require(' + Array(N).fill("'a'").join('+') + ')',
      (f) => assert.equal(f.dynamicImports.length, 1, 'too long to fold: reported as dynamic'),
    ],
    [
      'JSX',
      '<div>'.repeat(N) + '{eval(1)}' + '</div>'.repeat(N),
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
    [
      'sequence',
      '(' + Array(N).fill('0').join(',') + ', eval)("x")',
      (f) =>
        assert.deepEqual(
          f.calls.map((c) => c.name),
          ['eval'],
        ),
    ],
  ];
  for (const [name, src, check] of cases) {
    it(name, () => {
      const grammar: Grammar = name === 'JSX' ? 'tsx' : 'javascript';
      const f = analyze(src, grammar);
      assertWellFormed(f, src);
      check(f);
    });
  }
});

describe('broken input', () => {
  it('handles syntax errors, missing nodes and half-typed code in every grammar', () => {
    const sources = [
      "const cp = require('child_process'\ncp.exec(",
      'import { from ',
      'import(',
      'require(',
      '}}}{{{)))(((',
      "eval('x'",
      '<div><span>{eval(</div>',
      'class { constructor(',
      '`${`${`${',
      "/* unterminated comment require('fs')",
      'x = /unterminated regex',
      'const {a: [b, {c = require}]} = ',
      'function (eval, eval) { eval() }',
      '\u0000\u0001\uffff\ud800 binary \u0000',
      'let x: Array<<<<string>>>> = <any><any>y;',
      '@decorator class A { @eval m() {} }',
    ];
    for (const src of sources) {
      for (const g of GRAMMARS) {
        const f = analyze(src, g);
        assertWellFormed(f, src);
      }
    }
  });

  it('still finds what is there in a file full of errors', () => {
    const src = "}}} ((( const x = ;\nrequire('child_process').exec('id');\n<<<< )))";
    const f = analyze(src);
    assert.ok(f.imports.some((i) => i.module === 'child_process'));
  });

  it('handles a mix of random punctuation without throwing', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = '({[<`\'"/\\*#!-=>]})\n eval require constructor import . , ; : ? $ 0 x';
    const tokens = alphabet.split(' ');
    for (let round = 0; round < 30; round++) {
      let src = '';
      for (let i = 0; i < 300; i++) src += tokens[Math.floor(rnd() * tokens.length)];
      for (const g of GRAMMARS) assertWellFormed(analyze(src, g), src);
    }
  });

  it('gives the same facts through the never-throwing entry point', () => {
    const src = "const cp = require('child_process'); cp.exec('x'); // c\n`t${eval(1)}`";
    const tree = host.parse('javascript', src);
    assert.ok(tree);
    assert.deepEqual(analyzeJavaScript(tree, src), analyzeJavaScriptOrThrow(tree, src));
  });

  it('returns empty facts for an empty file', () => {
    assert.deepEqual(analyze(''), { comments: [], strings: [], imports: [], dynamicImports: [], calls: [] });
  });
});

describe('volume', () => {
  it('reports every occurrence in a large file with many findings', () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`eval('${i}'); require('m${i}'); // c${i}`);
    const src = lines.join('\n');
    const f = analyze(src);
    assert.equal(f.calls.filter((c) => c.name === 'eval').length, 2000);
    assert.equal(f.imports.length, 2000);
    assert.equal(f.comments.length, 2000);
    assertWellFormed(f, src);
  });

  it('says so when padding pushes uses of a name past the analysis limit', () => {
    const src = 'require;\n'.repeat(20_001) + "require('child_process');";
    const f = analyze(src);
    assert.equal(f.dynamicImports.length, 1);
    assert.match(f.dynamicImports[0].reason, /more than 20000 times/);
  });

  it('reports a value bound to a name that already carries too many to follow', () => {
    const decoys = Array.from({ length: 8 }, (_, i) => `x = process.p${i};`).join('\n');
    const src = `let x;\n${decoys}\nx = eval;\nx('code');`;
    assert.ok(analyze(src).calls.some((c) => c.name === 'eval'));
  });

  it('does not report the same call twice when several walks reach it', () => {
    const src = "const c = 'constructor'; [].constructor[c]('x'); [][c].constructor('y');";
    const f = analyze(src);
    const spans = f.calls.map((c) => `${c.start}:${c.end}:${c.name}`);
    assert.equal(new Set(spans).size, spans.length);
    assert.deepEqual(
      f.calls.map((c) => c.name),
      ['Function', 'Function'],
    );
  });
});
