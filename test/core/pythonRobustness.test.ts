import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PythonAnalysis } from '../../core/languages/pythonAnalyzer';
import { analyze } from './pythonTestHelpers';

describe('python analysis never throws', () => {
  const hostile: [string, string][] = [
    [
      '10 000 nested parentheses',
      'import os\nx = ' + '('.repeat(10000) + 'os.system' + ')'.repeat(10000) + '\n',
    ],
    ['10 000 nested lists', 'x = ' + '['.repeat(10000) + ']'.repeat(10000) + '\n'],
    ['10 000 unary minus', 'x = ' + '-'.repeat(10000) + '1\n'],
    ['10 000 nested calls', 'x = ' + 'f('.repeat(10000) + ')'.repeat(10000) + '\n'],
    ['a 10 000 long attribute chain', 'import os\nos' + '.a'.repeat(10000) + '()\n'],
    ['10 000 nested lambdas', 'f = ' + 'lambda: '.repeat(10000) + '1\n'],
    ['nested f-strings', 'x = ' + 'f"{'.repeat(200) + '1' + '}"'.repeat(200) + '\n'],
    [
      '10 000 nested ifs',
      Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'if x:').join('\n') +
        '\n' +
        ' '.repeat(2000) +
        'eval(1)\n',
    ],
    ['unbalanced brackets', 'x = (]\ny = [)\nimport os\nos.system(\n'],
    ['garbage', 'def (:\n  )))) class\nlambda lambda ::: import\nfrom . import\nfrom\nimport\n'],
    ['NUL and control characters', 'x = 1\0\x01\x02\nimport os\0\n'],
    ['lone surrogates', 'x = "\ud800"\n\udc00 = 1\n'],
    ['only an f-string opening', "f'{"],
    [
      'a 3 000 term concatenation',
      '__import__(' + Array.from({ length: 3000 }, () => "'a'").join('+') + ')\n',
    ],
    [
      'a 1 000 deep alias cycle',
      Array.from({ length: 1000 }, (_, i) => `a${i} = a${(i + 1) % 1000}`).join('\n') + '\na0()\n',
    ],
    ['mutually recursive getattr', 'a = getattr(b, "x")\nb = getattr(a, "y")\na()\n'],
  ];
  for (const [name, src] of hostile) {
    it(name, async () => {
      const f = await analyze(src);
      assert.ok(
        Array.isArray(f.facts.calls) && Array.isArray(f.facts.imports) && Array.isArray(f.facts.strings),
      );
    });
  }

  it('a call left open while typing is still reported', async () => {
    const f = await analyze('import os\nos.system(\n');
    assert.ok(f.calls.some((c) => c.name === 'os.system' && c.text === 'os.system'));
  });

  it('facts inside a syntax error are still found', async () => {
    const f = await analyze('import subprocess\ndef f(:\n    subprocess.run("x")\n    eval(y)\n');
    assert.ok(f.calls.some((c) => c.name === 'subprocess.run'));
    assert.ok(f.calls.some((c) => c.name === 'eval'));
  });

  it('deep nesting does not hide a call', async () => {
    const f = await analyze(
      'import os\nx = ' + '('.repeat(5000) + 'os.system("x")' + ')'.repeat(5000) + '\n',
    );
    assert.ok(f.calls.some((c) => c.name === 'os.system'));
  });

  it('the facts of a big file are capped', async () => {
    const f = await analyze('eval(1)\n'.repeat(30000));
    assert.ok(f.facts.calls.length <= 20000);
    assert.ok(f.facts.calls.length >= 1000);
  });
});

describe('python analysis fails safe', () => {
  it('an internal failure becomes a dynamic-import fact instead of silently dropping calls', async () => {
    const proto = PythonAnalysis.prototype as unknown as { run: () => void };
    const run = proto.run;
    proto.run = () => {
      throw new Error('injected fault');
    };
    try {
      const f = await analyze('import os\nos.system("x")\n');
      assert.equal(f.dynamic.length, 1);
      assert.match(f.dynamic[0].reason, /could not be fully analysed \(injected fault\)/);
      assert.equal(f.dynamic[0].text, 'import os');
      assert.deepEqual(f.strings, ['"x"']);
    } finally {
      proto.run = run;
    }
  });
});
