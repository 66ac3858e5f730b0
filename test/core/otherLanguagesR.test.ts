import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeR } from '../../core/languages/r';
import { lexR } from '../../core/languages/rLexer';
import type { LanguageFacts } from '../../core/languages/types';

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);

describe('R analyzer: package loads', () => {
  it('finds library/require anywhere in the file (llm-sandbox only sees the first statement)', () => {
    const code = 'x <- 1\nlibrary(httr)\nlibrary(a)\nlibrary(jsonlite)\nf <- function() { require(curl) }\n';
    assert.deepEqual(modules(analyze(code)), ['httr', 'a', 'jsonlite', 'curl']);
  });

  it('reports library(httrx) as httrx, never httr (llm-sandbox prefix bug)', () => {
    assert.deepEqual(modules(analyze('library(httrx)\n')), ['httrx']);
  });

  it('reads every loading form', () => {
    const code = [
      'library("processx")',
      "require('sys')",
      'requireNamespace("curl", quietly = TRUE)',
      'loadNamespace(package = "httr")',
      'suppressPackageStartupMessages(library(dplyr))',
      'library(package = reticulate)',
      'pacman::p_load(RCurl, "openssl")',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(modules(f), [
      'processx',
      'sys',
      'curl',
      'httr',
      'dplyr',
      'reticulate',
      'pacman',
      'RCurl',
      'openssl',
    ]);
    assert.equal(text(code, f.imports[0]!), 'library("processx")');
    assert.equal(f.imports[0]!.form, 'library');
  });

  it('namespace access x::f and x:::f is an import of x', () => {
    const code = 'res <- processx::run("ls")\nsys:::exec_internal("id")\n';
    const f = analyze(code);
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.form]),
      [
        ['processx', '::'],
        ['sys', ':::'],
      ],
    );
    assert.equal(text(code, f.imports[0]!), 'processx::run');
  });

  it('character.only with a constant variable resolves; with anything else it is dynamic', () => {
    const code = [
      'pkg <- "httr"',
      'library(pkg, character.only = TRUE)',
      'library(v, character.only = TRUE)',
      'requireNamespace(name)',
      'library(pkgs[[1]], character.only = T)',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(modules(f), ['httr']);
    assert.equal(f.dynamicImports.length, 3);
  });

  it('do.call(library, ...) and library passed as a value are dynamic imports', () => {
    const code =
      'do.call(library, list("x"))\ndo.call("require", list(p))\nlapply(pkgs, library, character.only = TRUE)\n';
    const f = analyze(code);
    assert.equal(f.dynamicImports.length, 3);
    assert.deepEqual(modules(f), []);
  });

  it('source() of a constant is an import, of anything else a dynamic import', () => {
    const f = analyze('source("https://example.com/x.R")\nsource(file.path(d, "y.R"))\n');
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.form]),
      [['https://example.com/x.R', 'source']],
    );
    assert.equal(f.dynamicImports.length, 1);
  });

  it('ignores loads in comments, strings and raw strings', () => {
    const code = '# library(httr)\nmsg <- \'library(curl)\'\nr <- r"(library(sys))"\nx$library(foo)\n';
    const f = analyze(code);
    assert.deepEqual(modules(f), []);
    assert.deepEqual(f.dynamicImports, []);
  });
});

describe('R analyzer: calls', () => {
  it('reports system-level calls and eval(parse(...))', () => {
    const code = 'system("ls")\nsystem2("id", c("-u"))\nshell("dir")\neval(parse(text = s))\npipe("ls")\n';
    const names = calls(analyze(code));
    for (const n of ['system', 'system2', 'shell', 'eval', 'parse', 'pipe']) assert.ok(names.includes(n), n);
  });

  it('resolves base::, quoted names, string callees, lookups, do.call and aliases', () => {
    const code = [
      'base::system("a")',
      '`system`("b")',
      '"system"("c")',
      'do.call("system", list("d"))',
      'get("system")("e")',
      'match.fun("system2")("f")',
      'run <- base::system',
      'run("g")',
    ].join('\n');
    const f = analyze(code);
    assert.equal(calls(f).filter((n) => n === 'system').length, 7);
    assert.ok(calls(f).includes('system2'));
    const quoted = f.calls.find((c) => code.slice(c.start, c.end) === '`system`');
    assert.ok(quoted);
  });

  it('keeps other namespaces qualified', () => {
    assert.deepEqual(calls(analyze('processx::run("ls")\n')), ['processx::run']);
  });

  it('reports functions passed as values', () => {
    const names = calls(analyze('cmds <- c("a", "b")\nlapply(cmds, system)\nMap(system2, cmds)\n'));
    assert.ok(names.includes('system'));
    assert.ok(names.includes('system2'));
  });

  it('does not report members, locally defined functions, parameters, comments or strings', () => {
    const code = [
      'x$system("a")',
      'obj@system("b")',
      'shell <- function(cmd) print(cmd)',
      'shell("c")',
      'g <- function(system) system("d")',
      '# system("e")',
      's <- "system(\'f\')"',
    ].join('\n');
    const names = calls(analyze(code));
    assert.ok(!names.includes('system'), names.join());
    assert.ok(!names.includes('shell'), names.join());
  });
});

describe('R lexer', () => {
  it('returns comments, strings (escapes, raw strings with dashes) and backtick names', () => {
    const code = '# c\na <- \'x\\\'y\'\nb <- "q\\"#"\nd <- R"-[a ]" b]-"\n`my var` <- 1 # tail\n';
    const lexed = lexR(code);
    assert.deepEqual(
      lexed.comments.map((s) => text(code, s)),
      ['# c', '# tail'],
    );
    assert.deepEqual(
      lexed.strings.map((s) => text(code, s)),
      ["'x\\'y'", '"q\\"#"', 'R"-[a ]" b]-"'],
    );
    assert.deepEqual(
      lexed.tokens.filter((t) => t.kind === 'str').map((t) => t.value),
      ["x'y", 'q"#', 'a ]" b'],
    );
    assert.ok(lexed.tokens.some((t) => t.kind === 'id' && t.value === 'my var' && t.quoted));
  });

  it('never throws and stays linear on unterminated input', () => {
    for (const code of ['"abc', "r'(abc", '`abc', '%in', '0x', '.5e', '\\', '\u0000\uffff']) {
      const f = analyzeR(code);
      assert.ok(Array.isArray(f.calls));
    }
  });
});

function analyze(code: string): LanguageFacts {
  return analyzeR(code);
}
