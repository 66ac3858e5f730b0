import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeCFamily, foldCString } from '../../core/languages/cfamily';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  await loadParsers(['c']);
  host = await loadParsers(['cpp']);
});

function analyze(code: string, grammar: 'c' | 'cpp' = 'c'): LanguageFacts {
  const tree = host.parse(grammar, code);
  assert.ok(tree);
  try {
    return analyzeCFamily(tree, code);
  } finally {
    tree.delete();
  }
}

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);

describe('C/C++ analyzer: includes', () => {
  it('reads <x> and "x" with any spacing (llm-sandbox misses `#include < cstdlib >`)', () => {
    const code =
      '#include <stdlib.h>\n#  include < cstdlib >\n#include"x.h"\n# include <sys/socket.h> // net\n';
    const f = analyze(code);
    assert.deepEqual(modules(f), ['stdlib.h', 'cstdlib', 'x.h', 'sys/socket.h']);
    assert.ok(f.imports.every((i) => i.form === 'include'));
    assert.equal(text(code, f.imports[0]!), '#include <stdlib.h>');
  });

  it('resolves an include through a #define, and reports an unknown macro target as dynamic', () => {
    const f = analyze('#define HDR <unistd.h>\n#define ALIAS HDR\n#include ALIAS\n#include SOMETHING\n');
    assert.deepEqual(modules(f), ['unistd.h']);
    assert.equal(f.dynamicImports.length, 1);
    assert.match(f.dynamicImports[0]!.reason, /SOMETHING/);
  });

  it('does not take includes from comments or strings, and a header name is not a string literal', () => {
    const code =
      '// #include <stdlib.h>\n/* #include <unistd.h> */\nconst char *s = "#include <spawn.h>";\n#include "ok.h"\n';
    const f = analyze(code);
    assert.deepEqual(modules(f), ['ok.h']);
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"#include <spawn.h>"'],
    );
  });
});

describe('C/C++ analyzer: calls', () => {
  it('reports process and loader functions by bare name', () => {
    const code = [
      '#include <stdlib.h>',
      'int main(int argc, char **argv) {',
      '  system("ls");',
      '  FILE *p = popen("id", "r");',
      '  execl("/bin/sh", "sh", NULL);',
      '  execvp(argv[0], argv);',
      '  if (fork() == 0) {}',
      '  return 0;',
      '}',
    ].join('\n');
    const f = analyze(code);
    for (const name of ['system', 'popen', 'execl', 'execvp', 'fork'])
      assert.ok(calls(f).includes(name), name);
    assert.equal(
      text(
        code,
        f.calls.find((c) => c.name === 'system')!,
      ),
      'system',
    );
  });

  it('C++: std::system, ::popen and template calls resolve to the C names', () => {
    const code =
      'void g() { std::system("x"); ::popen("a", "r"); std :: system ("y"); boost::process::system("z"); }\n';
    const names = calls(analyze(code, 'cpp'));
    assert.equal(names.filter((n) => n === 'system').length, 2);
    assert.ok(names.includes('popen'));
    assert.ok(names.includes('boost::process::system'));
  });

  it('sees through macro aliases and calls written inside macro bodies', () => {
    const code = [
      '#define RUN system',
      '#define SHELL(c) system(c)',
      '#define PIPE(c) popen(c, "r")',
      'void f(void) { RUN("ls"); SHELL("id"); }',
    ].join('\n');
    const names = calls(analyze(code));
    assert.equal(names.filter((n) => n === 'system').length, 2);
    assert.ok(names.includes('popen'));
    assert.ok(names.includes('SHELL'));
  });

  it('reports functions taken as values (function pointers, &system)', () => {
    const code =
      'int (*f)(const char *) = system;\nvoid g(void) { void *p; p = (void *)execv; p = &popen; }\n';
    const names = calls(analyze(code));
    for (const name of ['system', 'execv', 'popen']) assert.ok(names.includes(name), name);
  });

  it('dlsym by constant name is a call of that function; dlopen of a constant is an import', () => {
    const code = [
      'void g(const char *lib) {',
      '  void *h = dlopen("libc.so." "6", RTLD_NOW);',
      '  void *s = dlsym(RTLD_DEFAULT, "sys" "tem");',
      '  dlopen(lib, RTLD_NOW);',
      '  dlopen(NULL, RTLD_NOW);',
      '}',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(
      f.imports.filter((i) => i.form === 'dlopen').map((i) => i.module),
      ['libc.so.6'],
    );
    assert.equal(f.dynamicImports.length, 1);
    assert.equal(text(code, f.dynamicImports[0]!), 'dlopen(lib, RTLD_NOW)');
    const system = f.calls.find((c) => c.name === 'system');
    assert.ok(system);
    assert.equal(text(code, system), '"sys" "tem"');
  });

  it('does not report methods, local definitions, or calls in comments and strings', () => {
    const code = [
      'static int system(const char *c) { return 0; }',
      'struct S { int (*popen)(void); };',
      'void g(struct S *s, struct S t) {',
      '  system("harmless");',
      '  s->popen();',
      '  t.popen();',
      '  // execv("/bin/sh", 0);',
      '  const char *x = "fork()";',
      '}',
    ].join('\n');
    assert.deepEqual(
      calls(analyze(code)).filter((n) => ['system', 'popen', 'execv', 'fork'].includes(n)),
      [],
    );
  });

  it('reports inline assembly as asm', () => {
    const names = calls(analyze('void f(void) { __asm__ volatile ("syscall"); }\n'));
    assert.deepEqual(names, ['asm']);
  });
});

describe('C/C++ analyzer: comments and strings', () => {
  it('returns comments, strings, char and raw strings, and strings inside macro bodies', () => {
    const code =
      '// c\n/* b */\n#define MSG "in macro"\nauto s = R"(raw)"; char c = \'x\'; const char *w = L"wide";\n';
    const f = analyze(code, 'cpp');
    assert.deepEqual(
      f.comments.map((s) => text(code, s)),
      ['// c', '/* b */'],
    );
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"in macro"', 'R"(raw)"', "'x'", 'L"wide"'],
    );
  });

  it('folds adjacent literals, escapes and macros', () => {
    assert.equal(
      foldCString('"a" "\\x62" u8"c"', 0, () => undefined),
      'abc',
    );
    assert.equal(
      foldCString('PFX "x"', 0, (n) => (n === 'PFX' ? '"lib"' : undefined)),
      'libx',
    );
    assert.equal(
      foldCString('name', 0, () => undefined),
      undefined,
    );
  });
});
