import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPythonEncoding, isHarmlessEncoding } from '../../core/languages/pythonEncoding';
import { analyze } from './pythonTestHelpers';

function declared(src: string): string | undefined {
  const e = findPythonEncoding(src);
  return e && src.slice(e.start, e.end);
}

describe('python source encoding (PEP 263)', () => {
  const unusual: [string, string, string][] = [
    ['emacs style on line 1', '# -*- coding: utf-7 -*-\nprint(1)\n', 'utf-7'],
    ['on line 2 after a shebang', '#!/usr/bin/python\n# coding=utf-7\n', 'utf-7'],
    ['on line 2 after a blank line', '\n# coding: utf_16\n', 'utf_16'],
    ['vim style', '# vim: set fileencoding=utf-7 :\n', 'utf-7'],
    ['indented', '   # coding: cp1252\n', 'cp1252'],
    ['unknown codec', '# coding=rot13\n', 'rot13'],
    ['after a BOM', '\ufeff# coding: utf-7\n', 'utf-7'],
    ['CRLF line ends', '#!/bin/python\r\n# coding: utf-7\r\n', 'utf-7'],
    ['upper case', '# CODING: x\n# -*- coding: UTF-7 -*-\n', 'UTF-7'],
  ];
  for (const [name, src, text] of unusual) {
    it(`reported: ${name}`, () => assert.equal(declared(src), text));
  }

  const fine: [string, string][] = [
    ['utf-8', '# -*- coding: utf-8 -*-\n'],
    ['UTF8', '# coding: UTF8\n'],
    ['utf_8', '# coding=utf_8\n'],
    ['u8', '# coding: u8\n'],
    ['utf-8-sig', '# coding: utf-8-sig\n'],
    ['latin-1', '# coding: latin-1\n'],
    ['iso-8859-1', '# coding: iso-8859-1\n'],
    ['iso8859-1', '# coding: iso8859-1\n'],
    ['l1', '# coding: l1\n'],
    ['latin1', '# coding: latin1\n'],
    ['ascii', '# coding: ascii\n'],
    ['us-ascii', '# coding: us-ascii\n'],
    ['no declaration', 'print(1)\n'],
    ['line 2 after code is ignored', 'x = 1\n# coding: utf-7\n'],
    ['line 3 is ignored', '#!/bin/python\n#\n# coding: utf-7\n'],
    ['not a comment', 'coding = "utf-7"\n'],
    ['empty file', ''],
  ];
  for (const [name, src] of fine) {
    it(`not reported: ${name}`, () => assert.equal(declared(src), undefined));
  }

  it('aliases follow CPython normalisation', () => {
    for (const ok of ['UTF-8', 'utf8', 'Latin_1', 'ISO_8859_1', 'cp65001', 'US_ASCII', '646'])
      assert.ok(isHarmlessEncoding(ok), ok);
    for (const bad of ['utf-7', 'utf-16', 'cp1252', 'shift_jis', 'rot13', 'utf-16-le'])
      assert.ok(!isHarmlessEncoding(bad), bad);
  });

  it('is part of the facts, with the span of the codec name', async () => {
    const f = await analyze('# -*- coding: utf-7 -*-\nx = 1\n');
    assert.deepEqual(f.encoding, { encoding: 'utf-7', text: 'utf-7' });
  });
});
