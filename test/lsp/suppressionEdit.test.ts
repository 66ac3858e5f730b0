import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { GrammarId, ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';
import { regionOracle } from '../../server/regionOracle';
import { ignoreFileEdit, ignoreLineEdit, type TextInsertion } from '../../server/suppressionEdit';

let parsers: ParserHost;
before(async () => {
  // One at a time: concurrent grammar loading is flaky in web-tree-sitter.
  for (const g of ['python', 'javascript', 'typescript'] as const) parsers = await loadParsers([g]);
});

function apply(text: string, ins: TextInsertion | undefined): string {
  assert.ok(ins, 'an edit is offered');
  return text.slice(0, ins.start) + ins.text + text.slice(ins.end);
}

function oracle(grammar: GrammarId, text: string) {
  return regionOracle(parsers.parse(grammar, text), text);
}

/** Offset of the n-th (0-based) occurrence of `needle`. */
function at(text: string, needle: string, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in text`);
  return i;
}

describe('Ignore for this line', () => {
  test('appends a # comment at the end of a Python line', () => {
    const text = 'import os\nos.system("ls")\nprint(1)\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'python', at(text, 'os.system'), 'call:os.system', oracle('python', text)),
    );
    assert.equal(out, 'import os\nos.system("ls")  # sandbox-guard: ignore[call:os.system]\nprint(1)\n');
  });

  test('appends a // comment in JavaScript and TypeScript, keeping CRLF line ends', () => {
    const text = "const cp = require('child_process');\r\ncp.exec('ls');\r\n";
    const out = apply(
      text,
      ignoreLineEdit(
        text,
        'typescript',
        at(text, 'require'),
        'module:child_process',
        oracle('typescript', text),
      ),
    );
    assert.equal(
      out,
      "const cp = require('child_process');  // sandbox-guard: ignore[module:child_process]\r\ncp.exec('ls');\r\n",
    );
  });

  test('adds the rule to a directive already on the line', () => {
    const text = 'import subprocess, ctypes  # sandbox-guard: ignore[module:subprocess]\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'python', at(text, 'ctypes'), 'module:ctypes', oracle('python', text)),
    );
    assert.equal(
      out,
      'import subprocess, ctypes  # sandbox-guard: ignore[module:subprocess, module:ctypes]\n',
    );
  });

  test('does nothing when the directive already names the rule', () => {
    const text = 'eval(x)  # sandbox-guard: ignore[call:eval]\n';
    assert.equal(ignoreLineEdit(text, 'python', 0, 'call:eval', oracle('python', text)), undefined);
  });

  test('a directive spelled inside a string is not extended (the engine ignores it)', () => {
    const text = 'eval("sandbox-guard: ignore[x]")\n';
    const out = apply(text, ignoreLineEdit(text, 'python', 0, 'call:eval', oracle('python', text)));
    assert.equal(out, 'eval("sandbox-guard: ignore[x]")  # sandbox-guard: ignore[call:eval]\n');
  });

  test('a line continued with a backslash gets an ignore-next-line comment above it', () => {
    const text = 'import os\nif True:\n    os.system("a" + \\\n        "b")\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'python', at(text, 'os.system'), 'call:os.system', oracle('python', text)),
    );
    assert.equal(
      out,
      'import os\nif True:\n    # sandbox-guard: ignore-next-line[call:os.system]\n    os.system("a" + \\\n        "b")\n',
    );
  });

  test('a line that ends inside a triple-quoted string gets the comment above it', () => {
    const text = 'import os\nos.system("""ls\n-la""")\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'python', at(text, 'os.system'), 'call:os.system', oracle('python', text)),
    );
    assert.equal(
      out,
      'import os\n# sandbox-guard: ignore-next-line[call:os.system]\nos.system("""ls\n-la""")\n',
    );
  });

  test('inside a template literal both ends are literal text: a block comment goes before the finding', () => {
    const text = 'const s = `a\n${eval(x)} b\nc`;\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'javascript', at(text, 'eval'), 'call:eval', oracle('javascript', text)),
    );
    assert.equal(out, 'const s = `a\n${/* sandbox-guard: ignore[call:eval] */ eval(x)} b\nc`;\n');
  });

  test('extends an ignore-next-line directive on the line above', () => {
    const text = '// sandbox-guard: ignore-next-line[call:eval]\nFunction(eval(x));\n';
    const out = apply(
      text,
      ignoreLineEdit(text, 'javascript', at(text, 'Function'), 'call:Function', oracle('javascript', text)),
    );
    assert.equal(out, '// sandbox-guard: ignore-next-line[call:eval, call:Function]\nFunction(eval(x));\n');
  });

  test('languages without line comments get a block comment; JSON gets no action', () => {
    const css = 'a { background: url(x) }\n';
    assert.equal(
      apply(
        css,
        ignoreLineEdit(css, 'css', 0, 'p', () => 'code'),
      ),
      'a { background: url(x) }  /* sandbox-guard: ignore[p] */\n',
    );
    assert.equal(
      ignoreLineEdit('{"a": 1}', 'json', 0, 'p', () => 'code'),
      undefined,
    );
  });

  test('Go, Java, C, C++, Ruby, R and shell use their own comment syntax', () => {
    for (const [lang, mark] of [
      ['go', '//'],
      ['java', '//'],
      ['c', '//'],
      ['cpp', '//'],
      ['ruby', '#'],
      ['r', '#'],
      ['shellscript', '#'],
    ]) {
      const text = 'x\n';
      assert.equal(
        apply(
          text,
          ignoreLineEdit(text, lang, 0, 'rule', () => 'code'),
        ),
        `x  ${mark} sandbox-guard: ignore[rule]\n`,
        lang,
      );
    }
  });
});

describe('Ignore for this file', () => {
  test('goes on the first line', () => {
    const text = 'import subprocess\n';
    assert.equal(
      apply(text, ignoreFileEdit(text, 'python', 'module:subprocess', oracle('python', text))),
      '# sandbox-guard: ignore-file[module:subprocess]\nimport subprocess\n',
    );
  });

  test('goes after a shebang and a PEP 263 encoding line', () => {
    const text = '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport subprocess\n';
    assert.equal(
      apply(text, ignoreFileEdit(text, 'python', 'module:subprocess', oracle('python', text))),
      '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# sandbox-guard: ignore-file[module:subprocess]\nimport subprocess\n',
    );
  });

  test('goes after a node shebang in JavaScript', () => {
    const text = "#!/usr/bin/env node\nrequire('vm');\n";
    assert.equal(
      apply(text, ignoreFileEdit(text, 'javascript', 'module:vm', oracle('javascript', text))),
      "#!/usr/bin/env node\n// sandbox-guard: ignore-file[module:vm]\nrequire('vm');\n",
    );
  });

  test('extends an existing ignore-file directive', () => {
    const text = 'import os\n# sandbox-guard: ignore-file[module:ctypes]\nimport subprocess\n';
    assert.equal(
      apply(text, ignoreFileEdit(text, 'python', 'module:subprocess', oracle('python', text))),
      'import os\n# sandbox-guard: ignore-file[module:ctypes, module:subprocess]\nimport subprocess\n',
    );
  });

  test('a file that is only a shebang without a newline gets the directive on a new line', () => {
    const text = '#!/bin/sh';
    assert.equal(
      apply(
        text,
        ignoreFileEdit(text, 'shellscript', 'p', () => 'code'),
      ),
      '#!/bin/sh\n# sandbox-guard: ignore-file[p]\n',
    );
  });
});
