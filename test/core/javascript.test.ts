import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJavaScriptOrThrow } from '../../core/languages/javascript';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

// Imports and dynamic imports of the JavaScript/TypeScript analyzer.

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
const imports = (src: string, grammar: Grammar = 'javascript') =>
  analyze(src, grammar).imports.map((i) => `${i.module} ${i.form}`);
const modules = (src: string, grammar: Grammar = 'javascript') =>
  analyze(src, grammar).imports.map((i) => i.module);
const dynamics = (src: string, grammar: Grammar = 'javascript') => {
  const f = analyze(src, grammar);
  return f.dynamicImports.map((d) => src.slice(d.start, d.end));
};

describe('JavaScript imports: static forms', () => {
  it('reports default, named, aliased, namespace and side-effect imports with their spans', () => {
    const src =
      "import x from 'm1';\nimport {a as b} from \"m2\";\nimport * as ns from 'm3';\nimport 'm4';\n";
    const f = analyze(src);
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.form, src.slice(i.start, i.end)]),
      [
        ['m1', 'import', "import x from 'm1';"],
        ['m2', 'import', 'import {a as b} from "m2";'],
        ['m3', 'import', "import * as ns from 'm3';"],
        ['m4', 'import', "import 'm4';"],
      ],
    );
  });

  it('reads multi-line import lists (llm-sandbox misses them)', () => {
    assert.deepEqual(modules("import {\n  readFile,\n  writeFile\n} from 'fs';"), ['fs']);
  });

  it('strips the node: scheme and keeps subpaths', () => {
    assert.deepEqual(
      modules("import fs from 'node:fs/promises';\nrequire('node:child_process');\nimport('node:vm');"),
      ['fs/promises', 'child_process', 'vm'],
    );
  });

  it('reports re-exports as imports', () => {
    assert.deepEqual(
      imports("export * from 'net';\nexport { request } from 'node:http';\nexport * as d from 'dgram';"),
      ['net export from', 'http export from', 'dgram export from'],
    );
  });

  it('does not report plain exports or imports inside strings and comments', () => {
    assert.deepEqual(
      modules(
        "export const a = 1;\nexport { a as b };\n// import x from 'fs'\nconst s = \"require('child_process')\";",
      ),
      [],
    );
  });

  it('reports TypeScript type-only imports with the form "import type" and import-equals with "import = require"', () => {
    const src =
      "import type { ChildProcess } from 'child_process';\nimport x = require('vm');\nexport type { T } from 'net';";
    assert.deepEqual(imports(src, 'typescript'), [
      'child_process import type',
      'vm import = require',
      'net export type',
    ]);
    assert.deepEqual(dynamics(src, 'typescript'), []);
  });

  it('keeps an import with some type-only specifiers a real import', () => {
    assert.deepEqual(imports("import { type A, exec } from 'child_process';", 'typescript'), [
      'child_process import',
    ]);
  });

  it('reports `import()` in a type position as "import type"', () => {
    assert.deepEqual(imports("type S = import('fs').Stats;\nlet x: typeof import('vm');", 'typescript'), [
      'fs import type',
      'vm import type',
    ]);
  });

  it('does not treat `declare module "x"` or import.meta as imports', () => {
    assert.deepEqual(
      modules("declare module 'child_process' {}\nconst u = import.meta.url;", 'typescript'),
      [],
    );
  });
});

describe('JavaScript imports: require and import()', () => {
  it('reports require with odd spacing, module.require and import() with await', () => {
    const src =
      "require('a');\nrequire ( 'b' );\nmodule.require('c');\nimport('d');\nasync function f() { await import(\"e\"); }";
    assert.deepEqual(imports(src), [
      'a require',
      'b require',
      'c module.require',
      'd import()',
      'e import()',
    ]);
  });

  it('reports the loaders reachable without the name require', () => {
    const src = [
      "process.mainModule.require('p1');",
      "require.main.require('p2');",
      "module.constructor._load('p3');",
      "process.mainModule.constructor._load('p4');",
      "require('module')._load('p5');",
      "require('module').createRequire(__filename)('p6');",
      "globalThis.require('p7');",
      "__non_webpack_require__('p8');",
      "require.call(null, 'p9');",
      "require.apply(null, ['p10']);",
      "module['req' + 'uire']('p11');",
      "module.children[0].require('p12');",
    ].join('\n');
    assert.deepEqual(
      modules(src).filter((m) => m !== 'module'),
      ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12'],
    );
  });

  it('follows createRequire from an ES module', () => {
    const src =
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nrequire('child_process');\ncreateRequire(import.meta.url)('vm');";
    assert.deepEqual(imports(src), ['module import', 'child_process createRequire', 'vm createRequire']);
    assert.deepEqual(
      dynamics(src),
      [],
      'the standard createRequire pattern is not "require used as a value"',
    );
  });

  it('does not report require.resolve or a numeric bundle id as an import', () => {
    assert.deepEqual(
      modules("require.resolve('child_process');\n(function (require) { require(12); })(x);"),
      [],
    );
  });

  it('treats a parameter named require as the loader (bundles pass it in)', () => {
    assert.deepEqual(
      modules("(function (require, module) { require('child_process').exec('id'); })(require, module);"),
      ['child_process'],
    );
  });

  it('does not treat a local function named require as the loader', () => {
    assert.deepEqual(modules("function require(name) { return name; }\nrequire('child_process');"), []);
  });

  it('reports the import of a module loaded through an alias and a destructured loader', () => {
    assert.deepEqual(modules("const r = require;\nr('fs');\nconst { require: q } = module;\nq('vm');"), [
      'fs',
      'vm',
    ]);
  });

  it('resolves module member calls on the result of import()', () => {
    const f = analyze(
      "(await import('child_process')).exec('id');\nconst { spawn } = await import('child_process');\nspawn('sh');",
    );
    assert.deepEqual(
      f.calls.map((c) => c.name),
      ['child_process.exec', 'child_process.spawn'],
    );
  });
});

describe('JavaScript dynamic imports', () => {
  it('reports require(expr) and import(expr) with the call as span and a reason', () => {
    const src = 'require(name);\nimport(`./locale/${lang}.js`);';
    const f = analyze(src);
    assert.deepEqual(
      f.dynamicImports.map((d) => src.slice(d.start, d.end)),
      ['require(name)', 'import(`./locale/${lang}.js`)'],
    );
    assert.match(f.dynamicImports[0].reason, /require.*not a constant/);
    assert.match(f.dynamicImports[1].reason, /import\(\).*not a constant/);
    assert.deepEqual(f.imports, []);
  });

  it('reports require used as a value: aliased, in an array, passed to a function', () => {
    const src = 'const r = require;\nconst a = [require][0];\nuse(require);\nconst m = x ? require : null;';
    assert.deepEqual(dynamics(src), ['require', 'require', 'require', 'require']);
  });

  it('still resolves what an aliased require loads', () => {
    assert.deepEqual(modules("const r = require; r('child_process');\n[require][0]('vm');"), [
      'child_process',
      'vm',
    ]);
  });

  it('does not report require called, member-accessed or tested', () => {
    assert.deepEqual(
      dynamics(
        "require('fs');\nrequire.resolve('x');\nif (typeof require === 'function') {}\nrequire.cache;",
      ),
      [],
    );
  });

  it('reports a computed call through the global object or require', () => {
    assert.deepEqual(
      dynamics("globalThis[name]('x');\nrequire[method]('y');\nwindow[key] = 1;\nconst v = self[k];"),
      ['globalThis[name]', 'require[method]'],
    );
  });

  it('reports module names built at run time', () => {
    assert.deepEqual(dynamics("require('child' + suffix);\nrequire(getName());\nimport(base + '/x');"), [
      "require('child' + suffix)",
      'require(getName())',
      "import(base + '/x')",
    ]);
  });

  it('reports imports of code from data: and remote URLs', () => {
    const src =
      "import 'data:text/javascript,process.exit(1)';\nawait import('https://example.com/x.js');\nimport fs from 'fs';";
    assert.deepEqual(dynamics(src), [
      "import 'data:text/javascript,process.exit(1)';",
      "import('https://example.com/x.js')",
    ]);
  });

  it('reports code behind a `-->` line, which ES modules execute', () => {
    const src = "x = 1\n--> require('child_process')\n";
    assert.deepEqual(dynamics(src), ["--> require('child_process')"]);
    assert.deepEqual(dynamics('x = 1\n--> just a note\n'), []);
  });
});
