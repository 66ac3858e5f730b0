import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeGo, defaultPackageNames } from '../../core/languages/go';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  host = await loadParsers(['go']);
});

function analyze(code: string): LanguageFacts {
  const tree = host.parse('go', code);
  assert.ok(tree);
  try {
    return analyzeGo(tree, code);
  } finally {
    tree.delete();
  }
}

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);

describe('Go analyzer: imports', () => {
  it('reads single, grouped, aliased, blank and dot imports with the full path', () => {
    const code = [
      'package main',
      'import "os"',
      'import (',
      '  "fmt"',
      '  ex "os/exec"',
      '  _ "net/http/pprof"',
      '  . "strings"',
      ')',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(modules(f), ['os', 'fmt', 'os/exec', 'net/http/pprof', 'strings']);
    assert.ok(f.imports.every((i) => i.form === 'import'));
    assert.equal(text(code, f.imports[2]!), 'ex "os/exec"');
  });

  it('reports os/exec exactly, never a bare leaf (llm-sandbox matches module `exec` in "os/exec")', () => {
    const f = analyze('package main\nimport "os/exec"\n');
    assert.deepEqual(modules(f), ['os/exec']);
  });

  it('decodes escapes in an import path and accepts raw-string paths', () => {
    const f = analyze('package main\nimport (\n  "os/\\x65xec"\n  `net/http`\n)\n');
    assert.deepEqual(modules(f), ['os/exec', 'net/http']);
  });

  it('does not take imports from comments or strings', () => {
    const f = analyze('package main\n// import "os/exec"\n/* import "net" */\nvar s = `import "syscall"`\n');
    assert.deepEqual(modules(f), []);
  });

  it('imports inside a function body are still imports (robust to odd placement)', () => {
    const f = analyze('package main\nimport "fmt"\nfunc main() { fmt.Println("import \\"os\\"") }\n');
    assert.deepEqual(modules(f), ['fmt']);
  });
});

describe('Go analyzer: calls', () => {
  it('resolves package members through the import path, aliases and dot imports', () => {
    const code = [
      'package main',
      'import (',
      '  "os/exec"',
      '  run "os/exec"',
      '  "syscall"',
      '  "os"',
      ')',
      'func main() {',
      '  exec.Command("ls").Run()',
      '  run.CommandContext(ctx, "id")',
      '  syscall.Exec("/bin/sh", nil, nil)',
      '  os.StartProcess("/bin/sh", nil, nil)',
      '}',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(calls(f), [
      'os/exec.Command',
      'os/exec.CommandContext',
      'syscall.Exec',
      'os.StartProcess',
    ]);
    assert.equal(text(code, f.calls[0]!), 'exec.Command');
  });

  it('a dot import puts the members in file scope, but not builtins or local functions', () => {
    const code = [
      'package main',
      'import . "os/exec"',
      'func helper() {}',
      'func main() {',
      '  c := Command("ls")',
      '  _ = len("x")',
      '  helper()',
      '}',
    ].join('\n');
    assert.deepEqual(calls(analyze(code)), ['os/exec.Command']);
  });

  it('tolerates comments and line breaks around the selector dot', () => {
    const code = 'package main\nimport "os/exec"\nfunc main() { exec /* x */ .\n  Command("id") }\n';
    assert.deepEqual(calls(analyze(code)), ['os/exec.Command']);
  });

  it('reports function values taken from a package, not only calls', () => {
    const code = 'package main\nimport "os/exec"\nvar f = exec.Command\n';
    assert.deepEqual(calls(analyze(code)), ['os/exec.Command']);
  });

  it('does not resolve names that are not imported packages', () => {
    const code = [
      'package main',
      'type runner struct{}',
      'func (runner) Command(s string) {}',
      'func main() {',
      '  exec := runner{}',
      '  exec.Command("ls")',
      '  x.y.Command()',
      '}',
    ].join('\n');
    assert.deepEqual(calls(analyze(code)), []);
  });

  it('ignores calls written in comments and strings', () => {
    const code = 'package main\nimport "os/exec"\n// exec.Command("rm")\nvar s = "exec.Command(\\"rm\\")"\n';
    assert.deepEqual(calls(analyze(code)), []);
  });

  it('names cgo calls C.<function>', () => {
    const code =
      'package main\n// #include <stdlib.h>\nimport "C"\nfunc main() { C.system(C.CString("id")) }\n';
    const f = analyze(code);
    assert.deepEqual(modules(f), ['C']);
    assert.deepEqual(calls(f), ['C.system', 'C.CString']);
  });

  it('uses the conventional package name for versioned and dashed paths', () => {
    assert.ok(defaultPackageNames('github.com/x/y/v2').includes('y'));
    assert.ok(defaultPackageNames('gopkg.in/yaml.v3').includes('yaml'));
    assert.ok(defaultPackageNames('github.com/x/go-shellwords').includes('shellwords'));
    const code =
      'package main\nimport "github.com/x/go-shellwords"\nfunc main() { shellwords.Parse("a b") }\n';
    assert.deepEqual(calls(analyze(code)), ['github.com/x/go-shellwords.Parse']);
  });
});

describe('Go analyzer: plugin.Open', () => {
  it('is an import when the path is constant (literals, +, constants)', () => {
    const code = [
      'package main',
      'import "plugin"',
      'const dir = "/tmp/"',
      'func main() {',
      '  plugin.Open("/tmp/a.so")',
      '  plugin.Open(dir + "b.so")',
      '}',
    ].join('\n');
    const f = analyze(code);
    const opened = f.imports.filter((i) => i.form === 'plugin.Open').map((i) => i.module);
    assert.deepEqual(opened, ['/tmp/a.so', '/tmp/b.so']);
    assert.deepEqual(f.dynamicImports, []);
  });

  it('is a dynamic import otherwise', () => {
    const code = 'package main\nimport "plugin"\nimport "os"\nfunc main() { plugin.Open(os.Args[1]) }\n';
    const f = analyze(code);
    assert.equal(f.dynamicImports.length, 1);
    assert.match(f.dynamicImports[0]!.reason, /plugin\.Open/);
    assert.equal(text(code, f.dynamicImports[0]!), 'plugin.Open(os.Args[1])');
  });

  it('a variable assigned twice is not a constant', () => {
    const code = 'package main\nimport "plugin"\nfunc main() { p := "a.so"; p = read(); plugin.Open(p) }\n';
    assert.equal(analyze(code).dynamicImports.length, 1);
  });
});

describe('Go analyzer: comments and strings', () => {
  it('returns comment and string/rune spans', () => {
    const code = 'package main\n// line\n/* block */\nvar a, b, c = "s\\"x", `raw`, \'r\'\n';
    const f = analyze(code);
    assert.deepEqual(
      f.comments.map((s) => text(code, s)),
      ['// line', '/* block */'],
    );
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"s\\"x"', '`raw`', "'r'"],
    );
  });
});
