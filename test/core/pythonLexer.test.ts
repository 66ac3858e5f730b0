import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lexPython, T_KEYWORD, T_NAME, T_NEWLINE, tokenName } from '../../core/languages/pythonLexer';
import { loadParsers } from '../../runtime/grammars';
import { analyze } from './pythonTestHelpers';

describe('python comments and strings', () => {
  it('a comment after code, and a hash inside a string', async () => {
    const f = await analyze('x = "a#b"  # real comment\n');
    assert.deepEqual(f.comments, ['# real comment']);
    assert.deepEqual(f.strings, ['"a#b"']);
  });

  it('every comment, including shebang, encoding and trailing ones', async () => {
    const f = await analyze(
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = 1 # one\n    # indented\n#last',
    );
    assert.deepEqual(f.comments, [
      '#!/usr/bin/env python',
      '# -*- coding: utf-8 -*-',
      '# one',
      '# indented',
      '#last',
    ]);
  });

  it('docstrings and triple-quoted strings of both kinds', async () => {
    const src = 'def f():\n    """Doc with \'quotes\' and "x"."""\n    return \'\'\'multi\nline\'\'\'\n';
    const f = await analyze(src);
    assert.deepEqual(f.strings, ['"""Doc with \'quotes\' and "x"."""', "'''multi\nline'''"]);
  });

  it('prefixes, escapes and implicit concatenation', async () => {
    const f = await analyze("a = rb'\\x00' B\"b\" u'u' r'\\'' '\\\\' \"\\\"\"\n");
    assert.deepEqual(f.strings, ["rb'\\x00'", 'B"b"', "u'u'", "r'\\''", "'\\\\'", '"\\""']);
  });

  it('f-strings: only the literal parts; fields are code', async () => {
    const f = await analyze('s = f"a{os.system(\'id\')}b{{c}}{x!r:>{w}}d"\n');
    assert.deepEqual(f.strings, ['f"a', "'id'", 'b{{c}}', '>', 'd"']);
    assert.deepEqual(f.comments, []);
  });

  it('nested f-strings with the same quotes (PEP 701)', async () => {
    const f = await analyze('s = f"{f"{x}" + "y"}z"\n');
    assert.deepEqual(f.strings, ['f"', 'f"', '"', '"y"', 'z"']);
  });

  it('a comment marker inside a string does not hide code, and quotes in comments do not open strings', async () => {
    const f = await analyze('print("#"); import os  # it\'s "quoted"\nos.system("x")\n');
    assert.deepEqual(f.comments, ['# it\'s "quoted"']);
    assert.ok(f.calls.some((c) => c.name === 'os.system'));
  });

  it('an unterminated single-quoted string ends at the end of the line', async () => {
    const f = await analyze('x = "abc\nimport os\n');
    assert.deepEqual(f.strings, ['"abc']);
    assert.ok(f.imports.some((i) => i.module === 'os'));
  });

  it('an unterminated triple-quoted string runs to the end', async () => {
    const f = await analyze('x = """abc\nimport os\n');
    assert.deepEqual(f.strings, ['"""abc\nimport os\n']);
    assert.deepEqual(f.imports, []);
  });

  it('string spans are sorted and do not overlap', async () => {
    const f = await analyze('a = f"x{f\'y{1}z\'}w" "v" # c\n');
    for (let i = 1; i < f.facts.strings.length; i++)
      assert.ok(f.facts.strings[i].start >= f.facts.strings[i - 1].end);
  });

  it('t-strings (PEP 750) are split like f-strings', async () => {
    const f = await analyze('x = t"a{b}c"\n');
    assert.deepEqual(f.strings, ['t"a', 'c"']);
  });
});

describe('python lexer', () => {
  it('logical lines: no NEWLINE inside brackets or after a continuation', () => {
    const t = lexPython('x = (1,\n  2)\ny = 3 + \\\n 4\n\n# c\nz\n');
    let newlines = 0;
    for (let i = 0; i < t.count; i++) if (t.kind[i] === T_NEWLINE) newlines++;
    assert.equal(newlines, 3);
  });

  it('keywords versus names, and soft keywords', () => {
    const t = lexPython('match = lambda case: type\n');
    const kinds: [string, number][] = [];
    for (let i = 0; i < t.count; i++)
      if (t.kind[i] === T_NAME || t.kind[i] === T_KEYWORD) kinds.push([tokenName(t, i), t.kind[i]]);
    assert.deepEqual(kinds, [
      ['match', T_NAME],
      ['lambda', T_KEYWORD],
      ['case', T_NAME],
      ['type', T_NAME],
    ]);
  });

  it('names are NFKC-normalised, attribute names on demand', () => {
    const t = lexPython('ｅｖａｌ.ﬁle\n');
    assert.equal(tokenName(t, 0), 'eval');
    assert.equal(tokenName(t, 2), 'file');
  });

  it('brackets match, with depth and parent', () => {
    const t = lexPython('f(a[1], {2: (3)})\n');
    const open = 1;
    assert.equal(t.text.slice(t.start[t.match[open]], t.end[t.match[open]]), ')');
    const inner = [...Array(t.count).keys()].find(
      (i) => t.text.slice(t.start[i], t.end[i]) === '3',
    ) as number;
    assert.equal(t.depth[inner], 3);
    assert.equal(t.text[t.start[t.parent[inner]]], '(');
  });

  it('numbers do not swallow keywords (1if x else 2)', () => {
    const t = lexPython('y = 1if x else 2\n');
    const words: string[] = [];
    for (let i = 0; i < t.count; i++) if (t.kind[i] === T_KEYWORD) words.push(tokenName(t, i));
    assert.deepEqual(words, ['if', 'else']);
  });

  it('never throws on arbitrary input', () => {
    const samples = [
      '\0\0\0',
      '"""',
      "f'{",
      "f'{x:{y:{z",
      ')]}',
      '\\',
      'x = \\',
      '\ud800',
      '💥 = 1',
      "rb'''\\",
      '\r\r\n\r',
    ];
    for (const s of samples) assert.doesNotThrow(() => lexPython(s));
  });
});

describe('python lexer agrees with the syntax tree', () => {
  it('comment and string spans match tree-sitter on a varied sample', async () => {
    const src =
      [
        '#!/usr/bin/env python',
        '"""Module docstring with # not a comment."""',
        'import os  # trailing',
        "x = 'a' \"b\" r'\\d' b'\\x00' u'u'  # implicit concatenation",
        "y = '''multi",
        '# still string',
        'line\'\'\' + """another',
        '"""',
        "def f(a=\"#\", b='\\''):",
        '    # indented comment',
        '    return a  # done',
        "z = f'plain f-string'",
        'w = (1,  # in parens',
        '     2)',
        'v = \\',
        "    'continued'",
      ].join('\n') + '\n';
    const host = await loadParsers(['python']);
    const tree = host.parse('python', src);
    assert.ok(tree);
    const comments: string[] = [];
    const strings: string[] = [];
    const cursor = tree.walk();
    let done = false;
    while (!done) {
      const type = cursor.nodeType;
      if (type === 'comment') comments.push(cursor.nodeText);
      if (type === 'string') strings.push(cursor.nodeText);
      if (type !== 'string' && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
    tree.delete();
    const f = await analyze(src);
    assert.ok(comments.length >= 5 && strings.length >= 9);
    assert.deepEqual(f.comments, comments);
    assert.deepEqual(f.strings, strings);
  });
});
