import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from './pythonTestHelpers';

/** What `__import__(<expr>)` resolves to, with `prelude` before it. */
async function folded(expr: string, prelude = ''): Promise<{ modules: string[]; dynamic: number }> {
  const f = await analyze(`${prelude}__import__(${expr})\n`);
  return {
    modules: f.imports.filter((i) => i.form === '__import__').map((i) => i.module),
    dynamic: f.dynamic.length,
  };
}

describe('python constant folding of module names', () => {
  const cases: [string, string, string?][] = [
    ['concatenation', "'o' + 's'"],
    ['implicit concatenation', "'o' 's'"],
    ['implicit concatenation over lines', "('o'\n 's')"],
    ['f-string without fields', "f'os'"],
    ['f-string with constant fields', 'f\'{"o"}{"s"}\''],
    ['f-string with a constant name', "f'{a}s'", "a = 'o'\n"],
    ['f-string with !s', 'f\'{"o"!s}s\''],
    ['hex escape', "'\\x6fs'"],
    ['unicode escape', "'\\u006f\\U00000073'"],
    ['octal escape', "'\\157\\163'"],
    ['named escape', "'\\N{LATIN SMALL LETTER O}\\N{LATIN SMALL LETTER S}'"],
    ['raw string', "r'os'"],
    ['upper-case prefixes', "R'o' U's'"],
    ['triple-quoted', "'''os'''"],
    ['line continuation inside the literal', "'o\\\ns'"],
    ['reversed slice', "'so'[::-1]"],
    ['constant slice', "'xxosxx'[2:4]"],
    ['stepped slice', "'oXsX'[::2]"],
    ['negative indices', "'abos'[-2:]"],
    ['indexing', "'o' + 'xs'[1]"],
    ['join of a list', "''.join(['o', 's'])"],
    ['join of a tuple with a separator', "'s'.join(('o', ''))"],
    ['join of reversed', "''.join(reversed('so'))"],
    ['chr', 'chr(111) + chr(115)'],
    ['chr of arithmetic', 'chr(0x6f) + chr(100 + 15)'],
    ['join of map chr', "''.join(map(chr, [111, 115]))"],
    ['percent formatting', "'%s' % 'os'"],
    ['percent formatting with a tuple', "'%s%s' % ('o', 's')"],
    ['percent %c', "'%c%c' % (111, 115)"],
    ['str.format', "'{}'.format('os')"],
    ['str.format with indices and names', "'{0}{x}'.format('o', x='s')"],
    ['lower', "'OS'.lower()"],
    ['upper of lower', "'Os'.lower().upper().lower()"],
    ['strip', "'  os  '.strip()"],
    ['strip with characters', "'xxosxx'.strip('x')"],
    ['replace', "'oXs'.replace('X', '')"],
    ['unbound str method', "str.lower('OS')"],
    ['repetition', "'o' * 1 + 's'"],
    ['module-level constant', 'm', "m = 'o' + 's'\n"],
    ['constant chain', 'c', "a = 'o'\nb = a + 's'\nc = b\n"],
    ['constant in a function', 'm', "def f():\n    m = 'os'\n    return "],
    ['bytes decode', "b'os'.decode()"],
    ['bytes of ints', 'bytes([111, 115]).decode()'],
    ['bytes decode with an encoding', "b'os'.decode('ascii')"],
    ['base64', "base64.b64decode('b3M=').decode()", 'import base64\n'],
    ['hex', "bytes.fromhex('6f73').decode()"],
    ['rot13', "codecs.decode('bf', 'rot13')", 'import codecs\n'],
    ['split and join', "''.join('o s'.split())"],
    ['conditional with both sides constant', "'os' if x else 'os'"],
  ];
  for (const [name, expr, prelude] of cases) {
    it(name, async () => {
      const r = await folded(expr, prelude);
      assert.deepEqual(r.modules, ['os'], `${expr} → ${JSON.stringify(r)}`);
      assert.equal(r.dynamic, 0);
    });
  }

  it('a name assigned twice keeps both values', async () => {
    const f = await analyze("m = 'os'\nif x:\n    m = 'subprocess'\n__import__(m)\n");
    assert.deepEqual(f.imports.map((i) => i.module).sort(), ['os', 'subprocess']);
  });

  it('getattr names fold too', async () => {
    const f = await analyze("import os\nname = 'sys' 'tem'\ngetattr(os, name[::1])('id')\n");
    assert.ok(f.calls.some((c) => c.name === 'os.system'));
  });

  const notConstant: [string, string, string?][] = [
    ['input()', 'input()'],
    ['a parameter', 'p', 'def f(p):\n    return '],
    ['an f-string with a runtime field', "f'{x}s'"],
    ['a format spec', 'f\'{"os":>4}\''],
    ['an unknown method', "'os'.zfill(2)"],
    ['an unknown \\N name', "'\\N{SNOWMAN}'"],
  ];
  for (const [name, expr, prelude] of notConstant) {
    it(`not constant: ${name}`, async () => {
      const r = await folded(expr, prelude);
      assert.deepEqual(r.modules, []);
      assert.equal(r.dynamic, 1);
    });
  }
});

describe('python constant folding is bounded', () => {
  it('huge repetition is not built', async () => {
    const r = await folded("'o' * 10**9 + 's'");
    assert.deepEqual(r.modules, []);
    assert.equal(r.dynamic, 1);
  });

  it('a long concatenation chain stays bounded', async () => {
    const expr = Array.from({ length: 3000 }, () => "'a'").join(' + ');
    const r = await folded(expr);
    assert.equal(r.modules.length + r.dynamic, 1);
  });

  it('self-referencing names terminate', async () => {
    const r = await folded('a', 'a = b\nb = a + "x"\n');
    assert.deepEqual(r.modules, []);
    assert.equal(r.dynamic, 1);
  });

  it('a long alias chain still resolves', async () => {
    const lines = ['import os', 'a0 = os'];
    for (let i = 1; i < 500; i++) lines.push(`a${i} = a${i - 1}`);
    lines.push('a499.system("x")');
    const f = await analyze(lines.join('\n') + '\n');
    assert.ok(f.calls.some((c) => c.name === 'os.system' && c.text === 'a499.system'));
  });
});
