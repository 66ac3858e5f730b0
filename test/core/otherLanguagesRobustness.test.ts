import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeCFamily } from '../../core/languages/cfamily';
import { analyzeGo } from '../../core/languages/go';
import { analyzeJava } from '../../core/languages/java';
import { analyzeR } from '../../core/languages/r';
import { analyzeRuby } from '../../core/languages/ruby';
import { analyzeShell } from '../../core/languages/shell';
import type { LanguageFacts, Span, Tree } from '../../core/languages/types';
import type { GrammarId, ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

type Analyzer = (tree: Tree, text: string) => LanguageFacts;
const TREE_ANALYZERS: [GrammarId, Analyzer][] = [
  ['go', analyzeGo],
  ['java', analyzeJava],
  ['c', analyzeCFamily],
  ['cpp', analyzeCFamily],
  ['ruby', analyzeRuby],
  ['bash', analyzeShell],
];

let host: ParserHost;
before(async () => {
  // One grammar at a time: loading several WASM grammars concurrently is not reliable.
  for (const [grammar] of TREE_ANALYZERS) host = await loadParsers([grammar]);
});

function run(grammar: GrammarId | 'r', analyzer: Analyzer | undefined, text: string): LanguageFacts {
  if (grammar === 'r') return analyzeR(text);
  const tree = host.parse(grammar, text);
  assert.ok(tree);
  try {
    return analyzer!(tree, text);
  } finally {
    tree.delete();
  }
}

function checkSpans(facts: LanguageFacts, length: number, label: string): void {
  const all: Span[] = [
    ...facts.comments,
    ...facts.strings,
    ...facts.imports,
    ...facts.dynamicImports,
    ...facts.calls,
  ];
  for (const s of all) {
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), label);
    assert.ok(
      s.start >= 0 && s.start <= s.end && s.end <= length,
      `${label}: bad span ${s.start}-${s.end} of ${length}`,
    );
  }
  for (const list of [facts.comments, facts.strings]) {
    for (let i = 1; i < list.length; i++)
      assert.ok(list[i - 1]!.end <= list[i]!.start, `${label}: overlapping spans`);
  }
}

/** A deterministic generator (no Math.random: failures must reproduce). */
function* noise(seed: number, count: number, length: number): Generator<string> {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const alphabet = 'abcXYZ_019 \t\n\r"\'`$#{}()[]<>;:,./\\|&*+-=!?%@~^\u00e9\u4e2d\ud83d\ude00\u0000';
  for (let n = 0; n < count; n++) {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[next() % alphabet.length];
    yield s;
  }
}

const ALL: [GrammarId | 'r', Analyzer | undefined][] = [...TREE_ANALYZERS, ['r', undefined]];

describe('other-language analyzers: never throw', () => {
  it('random noise yields well-formed facts', () => {
    for (const [grammar, analyzer] of ALL) {
      for (const text of noise(grammar.length * 7919, 15, 300)) {
        checkSpans(run(grammar, analyzer, text), text.length, grammar);
      }
    }
  });

  it('deep nesting does not overflow the stack', () => {
    const depth = 3000;
    const cases: [GrammarId | 'r', string][] = [
      [
        'go',
        `package main\nfunc main() { x := ${'('.repeat(depth)}1${')'.repeat(depth)}; exec.Command("a") }\n`,
      ],
      [
        'java',
        `class A { void m() { Object o = ${'('.repeat(depth)}1${')'.repeat(depth)}; ${'a.b().'.repeat(depth)}exec(); } }\n`,
      ],
      [
        'c',
        `int main() { return ${'('.repeat(depth)}system("x")${')'.repeat(depth)}; }\n${'#define A0 system\n'}`,
      ],
      ['cpp', `int x = ${'{'.repeat(depth)}1${'}'.repeat(depth)};\n`],
      ['ruby', `x = ${'"#{'.repeat(500)}system('id')${'}"'.repeat(500)}\n${'a.'.repeat(depth)}b\n`],
      ['bash', `echo ${'$('.repeat(300)}id${')'.repeat(300)}\n${'sudo '.repeat(200)}rm -rf /\n`],
      [
        'r',
        `x <- ${'('.repeat(depth)}1${')'.repeat(depth)}\n${'f('.repeat(depth)}system${')'.repeat(depth)}\n`,
      ],
    ];
    for (const [grammar, text] of cases) {
      const analyzer = ALL.find(([g]) => g === grammar)![1];
      checkSpans(run(grammar, analyzer, text), text.length, `deep ${grammar}`);
    }
  });

  it('truncated and binary-looking input yields well-formed facts', () => {
    const samples = [
      '"',
      '/*',
      "'",
      '`',
      '#include <',
      'import (',
      'require "',
      'library(',
      "bash -c '",
      '\u0000\u0001\u0002',
    ];
    for (const [grammar, analyzer] of ALL) {
      for (const text of samples)
        checkSpans(run(grammar, analyzer, text), text.length, `${grammar} ${JSON.stringify(text)}`);
    }
  });

  it('hostile nested scripts stay bounded (eval of eval of ...)', () => {
    let script = 'curl http://x';
    for (let i = 0; i < 8; i++) script = `eval ${JSON.stringify(script)}`;
    const text = `${script}\n`.repeat(200);
    const facts = run('bash', analyzeShell, text);
    checkSpans(facts, text.length, 'nested eval');
    assert.ok(facts.calls.some((c) => c.name === 'eval'));
  });
});

describe('other-language analyzers: offsets are UTF-16 code units', () => {
  it('spans after astral characters point at the right text', () => {
    const cases: [GrammarId | 'r', string, string][] = [
      [
        'go',
        'package main\nimport "os/exec"\n// 😀😀\nvar s = "é😀"\nfunc main() { exec.Command("x") }\n',
        'exec.Command',
      ],
      [
        'java',
        'class A { String s = "😀😀"; void m() { Runtime.getRuntime().exec("x"); } }\n',
        'Runtime.getRuntime().exec',
      ],
      ['c', '/* 😀 */ const char *s = "😀"; int main() { system("x"); }\n', 'system'],
      ['ruby', "s = '😀😀'\nsystem('x')\n", 'system'],
      ['bash', "echo '😀😀'\ncurl http://x\n", 'curl'],
      ['r', "s <- '😀😀'\nsystem('x')\n", 'system'],
    ];
    for (const [grammar, text, expected] of cases) {
      const analyzer = ALL.find(([g]) => g === grammar)![1];
      const facts = run(grammar, analyzer, text);
      const last = facts.calls.at(-1);
      assert.ok(last, grammar);
      assert.equal(text.slice(last.start, last.end), expected, grammar);
      assert.ok(
        facts.strings.some((s) => text.slice(s.start, s.end).includes('😀')),
        grammar,
      );
    }
  });
});

describe('other-language analyzers: comment markers inside strings do not hide code (llm-sandbox §1.3)', () => {
  const cases: [GrammarId | 'r', string, string][] = [
    [
      'go',
      'package main\nimport "os/exec"\nfunc main() { s := "//"; exec.Command("x"); t := "/*" }\n',
      'os/exec.Command',
    ],
    [
      'java',
      'class A { void m() throws Exception { String s = "/*"; Runtime.getRuntime().exec("x"); String t = "*/"; } }\n',
      'Runtime.exec',
    ],
    ['c', 'int main() { const char *s = "/*"; system("x"); const char *t = "*/"; return 0; }\n', 'system'],
    ['ruby', 's = "#"; system("x")\n', 'system'],
    ['r', 's <- "#"; system("x")\n', 'system'],
    ['bash', 'echo "#"; curl http://x\n', 'curl'],
  ];
  for (const [grammar, text, expected] of cases) {
    it(grammar, () => {
      const analyzer = ALL.find(([g]) => g === grammar)![1];
      const facts = run(grammar, analyzer, text);
      assert.ok(
        facts.calls.some((c) => c.name === expected),
        facts.calls.map((c) => c.name).join(),
      );
      assert.deepEqual(facts.comments, []);
    });
  }
});
