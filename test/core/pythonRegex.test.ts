import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePythonPattern } from '../../core/pythonRegex';

function find(pattern: string, text: string): string | undefined {
  const c = compilePythonPattern(pattern);
  assert.ok(c.ok, `compiles: ${pattern}`);
  const m = c.regex.matcher(text);
  return m.find() ? text.slice(m.start(), m.end()) : undefined;
}

describe('Python regex compatibility', () => {
  it('accepts (?P<name>…), leading (?i), \\A and \\Z', () => {
    assert.equal(find('(?P<fn>os)\\.system', 'x = os.system(1)'), 'os.system');
    assert.equal(find('(?i)EVAL\\s*\\(', 'eval (1)'), 'eval (');
    assert.equal(find('\\Aimport', 'import os'), 'import');
    assert.equal(find('\\Aos', 'import os'), undefined);
    assert.equal(find('os\\Z', 'import os'), 'os');
    assert.equal(find('os\\Z', 'import os\n'), undefined);
  });

  it('translates {,n}, \\uXXXX, and flag groups RE2 spells differently', () => {
    assert.equal(find('a{,2}b', 'aab'), 'aab');
    assert.equal(find('\\u006fs', 'os'), 'os');
    assert.equal(find('(?a)\\w+', 'abc'), 'abc');
    assert.equal(find('(?s)a.b', 'a\nb'), 'a\nb');
  });

  it('keeps Python search semantics without flags: . does not cross lines', () => {
    assert.equal(find('a.b', 'a\nb'), undefined);
  });

  it('rejects backtracking-only features with a clear reason', () => {
    for (const [p, what] of [
      ['(?=a)', 'lookahead'],
      ['(?<!a)b', 'lookbehind'],
      ['(a)\\1', 'backreferences'],
      ['(?P<x>a)(?P=x)', 'named backreferences'],
    ]) {
      const c = compilePythonPattern(p);
      assert.ok(!c.ok && c.error.includes(what), `${p}: ${!c.ok && c.error}`);
    }
    const bad = compilePythonPattern('(unclosed');
    assert.ok(!bad.ok && /missing closing \)/.test(bad.error));
  });

  it('matches catastrophic-backtracking patterns in linear time', () => {
    // (a+)+$ against "aaaa…!" takes exponential time in a backtracking engine.
    const c = compilePythonPattern('(a+)+$');
    assert.ok(c.ok);
    assert.equal(c.regex.matcher(`${'a'.repeat(50_000)}!`).find(), false);
  });
});

describe('Python $ semantics', () => {
  it('matches before a final newline without MULTILINE, per line with (?m)', () => {
    assert.equal(find('os$', 'import os\n'), 'os\n');
    assert.equal(find('(a+)+$', 'aaaa\n'), 'aaaa\n');
    assert.equal(find('os$', 'import os\nx'), undefined);
    assert.equal(find('(?m)os$', 'import os\nx'), 'os');
    assert.equal(find('[$]', 'a$b'), '$');
  });
});
