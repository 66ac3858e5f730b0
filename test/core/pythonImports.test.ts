import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, importNames } from './pythonTestHelpers';

describe('python imports: statement forms', () => {
  const cases: [string, string, string[]][] = [
    ['import a, b', 'import a, b\n', ['a', 'b']],
    ['import a.b as c', 'import a.b as c\n', ['a.b']],
    ['from a import b', 'from a import b\n', ['a', 'a.b']],
    ['from a.b import (c as d)', 'from a.b import (c as d)\n', ['a.b', 'a.b.c']],
    ['star import', 'from a import *\n', ['a']],
    ['backslash continuation', 'import os, \\\n    sys\n', ['os', 'sys']],
    ['backslash inside from', 'from os \\\n  import \\\n  system\n', ['os', 'os.system']],
    [
      'parenthesised list over lines with comments',
      'from subprocess import (\n  run,  # run it\n  Popen as P,\n)\n',
      ['subprocess', 'subprocess.Popen', 'subprocess.run'],
    ],
    ['conditional', 'if x:\n    import subprocess\nelse:\n    pass\n', ['subprocess']],
    ['try/except', 'try:\n    import ctypes\nexcept ImportError:\n    ctypes = None\n', ['ctypes']],
    ['function level', 'def f():\n    import socket\n    return socket\n', ['socket']],
    ['class level', 'class A:\n    from os import path\n', ['os', 'os.path']],
    ['one-line compound', 'if True: import os\n', ['os']],
    ['semicolons', 'x = 1; import os; import sys\n', ['os', 'sys']],
    ['dotted', 'import os.path\n', ['os.path']],
    [
      'several dotted with aliases',
      'import xml.etree.ElementTree as ET, os.path as p\n',
      ['os.path', 'xml.etree.ElementTree'],
    ],
    ['future', 'from __future__ import annotations\n', ['__future__', '__future__.annotations']],
    ['NFKC-normalised module name', 'import ｏｓ\n', ['os']],
    ['comment between words', 'from os import ( # why\n  system )\n', ['os', 'os.system']],
    ['with a hash in a string before it', 'print("#"); import os\n', ['os']],
    ['in a syntax error', 'def broken(:\n    import subprocess\n', ['subprocess']],
    ['posix is os', 'import posix\n', ['os', 'posix']],
    ['parenthesised plain import (a syntax error, intent plain)', 'import (os)\n', ['os']],
  ];
  for (const [name, src, expected] of cases) {
    it(name, async () => assert.deepEqual(await importNames(src), expected));
  }

  it('relative imports keep their dots and do not match the absolute module', async () => {
    assert.deepEqual(await importNames('from . import x\n'), ['.', '.x']);
    assert.deepEqual(await importNames('from .os import y\n'), ['.os', '.os.y']);
    assert.deepEqual(await importNames('from ..pkg.mod import z as w\n'), ['..pkg.mod', '..pkg.mod.z']);
    assert.deepEqual(await importNames('from ... import q\n'), ['...', '...q']);
  });

  it('spans: the module name for the module, the imported name for members', async () => {
    const f = await analyze('from os.path import (join as j,\n    exists)\nimport a.b as c\n');
    assert.deepEqual(f.imports, [
      { module: 'os.path', form: 'from', text: 'os.path' },
      { module: 'os.path.join', form: 'from-import', text: 'join' },
      { module: 'os.path.exists', form: 'from-import', text: 'exists' },
      { module: 'a.b', form: 'import', text: 'a.b' },
    ]);
  });

  it('spans are UTF-16 offsets after astral characters', async () => {
    const src = '# 😀😀\nimport os\n';
    const f = await analyze(src);
    assert.equal(f.imports[0].text, 'os');
    assert.equal(f.facts.imports[0].start, src.indexOf('os'));
  });
});

describe('python imports: not imports', () => {
  const cases: [string, string][] = [
    ['in a string', "x = 'import os'\n"],
    ['in a comment', '# import os\n'],
    ['in a docstring', 'def f():\n    """import os\n    from subprocess import run"""\n'],
    ['in a triple-single-quoted string', "'''\nimport os\n'''\n"],
    ['in an f-string literal part', 'x = f"import os {y}"\n'],
    ['yield from', 'def g():\n    yield from os\n'],
    ['raise from', 'try:\n    pass\nexcept E as e:\n    raise X from e\n'],
    ['a name containing import', 'reimport = 1\nimport_os = 2\n'],
  ];
  for (const [name, src] of cases) {
    it(name, async () => assert.deepEqual(await importNames(src), []));
  }

  it('from os import path reports no os.system', async () => {
    assert.deepEqual(await importNames('from os import path\n'), ['os', 'os.path']);
  });
});

describe('python imports: dynamic', () => {
  const resolved: [string, string, string, string][] = [
    ['__import__', "__import__('os')\n", 'os', '__import__'],
    [
      'importlib.import_module',
      "import importlib\nimportlib.import_module('subprocess')\n",
      'subprocess',
      'importlib.import_module',
    ],
    ['importlib.__import__', "import importlib\nimportlib.__import__('socket')\n", 'socket', '__import__'],
    [
      'aliased importlib',
      "import importlib as il\nil.import_module('ctypes')\n",
      'ctypes',
      'importlib.import_module',
    ],
    [
      'from importlib import import_module as im',
      "from importlib import import_module as im\nim('pty')\n",
      'pty',
      'importlib.import_module',
    ],
    ['__builtins__.__import__', "__builtins__.__import__('os')\n", 'os', '__import__'],
    ['builtins.__import__', "import builtins\nbuiltins.__import__('os')\n", 'os', '__import__'],
    ['__builtins__ as a dict', "__builtins__['__import__']('os')\n", 'os', '__import__'],
    ['getattr on builtins', "getattr(__builtins__, '__import__')('os')\n", 'os', '__import__'],
    ['assigned alias', "imp = __import__\nimp('os')\n", 'os', '__import__'],
    [
      'keyword argument',
      "import importlib\nimportlib.import_module(name='os')\n",
      'os',
      'importlib.import_module',
    ],
    ['sys.modules', "import sys\nsys.modules['os']\n", 'os', 'sys.modules'],
    ['sys.modules.get', "import sys\nsys.modules.get('subprocess')\n", 'subprocess', 'sys.modules'],
    ['__loader__.load_module', "__loader__.load_module('os')\n", 'os', '__loader__.load_module'],
    [
      'pkgutil.resolve_name',
      "import pkgutil\npkgutil.resolve_name('os:system')\n",
      'os',
      'pkgutil.resolve_name',
    ],
    ['function level', "def f():\n    return __import__('os')\n", 'os', '__import__'],
    [
      'relative import_module with a package',
      "import importlib\nimportlib.import_module('.path', package='os')\n",
      'os.path',
      'importlib.import_module',
    ],
  ];
  for (const [name, src, module, form] of resolved) {
    it(`${name} → ${module}`, async () => {
      const f = await analyze(src);
      const hit = f.imports.find((i) => i.module === module && i.form === form);
      assert.ok(hit, JSON.stringify(f.imports));
      assert.deepEqual(f.dynamic, []);
    });
  }

  it('the span of a resolved dynamic import is its argument', async () => {
    const f = await analyze("m = __import__('o' + 's')\n");
    assert.deepEqual(f.imports, [{ module: 'os', form: '__import__', text: "'o' + 's'" }]);
  });

  it('__import__ of a dotted name yields the top package unless a fromlist is given', async () => {
    const f = await analyze(
      "__import__('os.path').path.join('a')\n__import__('os.path', fromlist=['x']).join('b')\n",
    );
    assert.deepEqual(
      f.calls.filter((c) => c.name !== '__import__').map((c) => c.name),
      ['os.path.join', 'os.path.join'],
    );
  });

  const unresolved: [string, string, RegExp][] = [
    ['__import__ of a variable', 'name = input()\n__import__(name)\n', /__import__/],
    [
      'import_module of a call',
      'import importlib\nimportlib.import_module(f())\n',
      /importlib\.import_module/,
    ],
    [
      'f-string with a runtime part',
      "import importlib\nimportlib.import_module(f'{x}s')\n",
      /not a constant/,
    ],
    ['__import__ used as a value', "list(map(__import__, ['os']))\n", /used as a value/],
    ['import_module passed on', 'import importlib\nrun(importlib.import_module)\n', /used as a value/],
    ['getattr on a module with a computed name', 'import os\ngetattr(os, name)("x")\n', /attribute of os/],
    ['sys.modules with a computed key', 'import sys\nsys.modules[k].system("x")\n', /sys\.modules/],
    ['no argument at all', '__import__()\n', /__import__/],
  ];
  for (const [name, src, reason] of unresolved) {
    it(`unresolvable: ${name}`, async () => {
      const f = await analyze(src);
      assert.equal(f.dynamic.length, 1, JSON.stringify(f.dynamic));
      assert.match(f.dynamic[0].reason, reason);
    });
  }

  it('loading a module from a file is a dynamic import', async () => {
    const f = await analyze(
      'import importlib.util, runpy\nimportlib.util.spec_from_file_location("m", "/tmp/x.py")\nrunpy.run_path(p)\n',
    );
    assert.deepEqual(
      f.dynamic.map((d) => d.text),
      ['importlib.util.spec_from_file_location("m", "/tmp/x.py")', 'runpy.run_path(p)'],
    );
  });

  it('getattr with a computed name on an ordinary module is not a dynamic import', async () => {
    const f = await analyze(
      'import config\nfrom django.conf import settings\ngetattr(config, key)\ngetattr(settings, name)\n',
    );
    assert.deepEqual(f.dynamic, []);
  });

  it('an alias of __import__ used through its name is not a value use', async () => {
    const f = await analyze("imp = __import__\nimp('os')\n");
    assert.deepEqual(f.dynamic, []);
  });
});
