import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeRuby, foldRubyText } from '../../core/languages/ruby';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

let host: ParserHost;
before(async () => {
  host = await loadParsers(['ruby']);
});

function analyze(code: string): LanguageFacts {
  const tree = host.parse('ruby', code);
  assert.ok(tree);
  try {
    return analyzeRuby(tree, code);
  } finally {
    tree.delete();
  }
}

const modules = (f: LanguageFacts) => f.imports.map((i) => i.module);
const calls = (f: LanguageFacts) => f.calls.map((c) => c.name);
const text = (code: string, s: { start: number; end: number }) => code.slice(s.start, s.end);

describe('Ruby analyzer: requires', () => {
  it('finds require anywhere, including right after an ordinary code line (llm-sandbox misses those)', () => {
    const code =
      "require 'json'\nputs 1\nrequire 'yaml'\nx = 1; require 'socket'\nif ok then require('open3') end\n";
    assert.deepEqual(modules(analyze(code)), ['json', 'yaml', 'socket', 'open3']);
  });

  it('reads every loading form, subpaths and Kernel.require', () => {
    const code = [
      'require("net/http")',
      "require 'json/ext'",
      "Kernel.require 'fiddle'",
      "require_relative './lib/helper'",
      "load 'tasks.rb'",
      "autoload :Foo, 'foo'",
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(modules(f), ['net/http', 'json/ext', 'fiddle', './lib/helper', 'tasks.rb', 'foo']);
    assert.deepEqual(
      f.imports.map((i) => i.form),
      ['require', 'require', 'require', 'require_relative', 'load', 'autoload'],
    );
    assert.equal(text(code, f.imports[0]!), 'require("net/http")');
  });

  it('folds constant arguments and reports the rest as dynamic', () => {
    const code = [
      "require 'o' + 'pen3'",
      "LIB = 'socket'",
      'require LIB',
      'require some_var',
      'require "#{dir}/x"',
      'require File.join(__dir__, "x")',
      '%w[a b].each { |m| require m }',
    ].join('\n');
    const f = analyze(code);
    assert.deepEqual(modules(f), ['open3', 'socket']);
    assert.equal(f.dynamicImports.length, 4);
    assert.match(f.dynamicImports[0]!.reason, /require/);
  });

  it('does not take requires from comments, strings, heredocs or =begin blocks', () => {
    const code = [
      "# require 'socket'",
      's = "require \'open3\'"',
      '=begin',
      "require 'fiddle'",
      '=end',
      'h = <<~TXT',
      "  require 'net/http'",
      'TXT',
      'obj.require("x")',
    ].join('\n');
    assert.deepEqual(modules(analyze(code)), []);
  });
});

describe('Ruby analyzer: calls', () => {
  it('reports Kernel process and eval methods, bare or through Kernel', () => {
    const code = [
      'system("ls")',
      'exec "id"',
      "spawn('x')",
      'eval(code)',
      'Kernel.system("a")',
      '::Kernel.exec("b")',
      'fork do end',
    ].join('\n');
    assert.deepEqual(calls(analyze(code)), ['system', 'exec', 'spawn', 'eval', 'system', 'exec', 'fork']);
  });

  it('reports class methods with their constant path', () => {
    const code =
      'IO.popen("ls")\nOpen3.capture2("id")\nProcess.spawn("x")\nNet::HTTP.get(u)\n::IO.popen("y")\n';
    assert.deepEqual(calls(analyze(code)), [
      'IO.popen',
      'Open3.capture2',
      'Process.spawn',
      'Net::HTTP.get',
      'IO.popen',
    ]);
  });

  it('reports backticks and %x as the call named `', () => {
    const code = 'a = `ls #{dir}`\nb = %x{id}\nKernel.`("whoami")\n';
    const f = analyze(code);
    assert.deepEqual(calls(f), ['`', '`', '`']);
    assert.equal(text(code, f.calls[0]!), '`ls #{dir}`');
  });

  it('resolves eval family, send, method and pipe-open forms', () => {
    const code = [
      'obj.instance_eval("code")',
      'Foo.class_eval(src)',
      'binding.eval("1")',
      'send(:system, "id")',
      'Kernel.public_send("exec", "x")',
      'Object.send(:spawn, "y")',
      'IO.send(:popen, "ls")',
      'm = method(:system)',
      'open("| ls")',
      'open("file.txt")',
    ].join('\n');
    const names = calls(analyze(code));
    assert.deepEqual(names, [
      'instance_eval',
      'class_eval',
      'eval',
      'system',
      'exec',
      'spawn',
      'IO.popen',
      'system',
      'open',
      'IO.popen',
      'open',
    ]);
  });

  it('does not report methods of other objects, local definitions, or calls in comments and strings', () => {
    const code = [
      'def system(cmd) = puts(cmd)',
      'system("harmless")',
      'runner.exec("x")',
      'model.eval',
      '# exec("rm -rf /")',
      's = "spawn(\'x\')"',
    ].join('\n');
    const names = calls(analyze(code));
    for (const name of ['system', 'exec', 'eval', 'spawn']) assert.ok(!names.includes(name), name);
  });

  it('an interpolation is code: a call inside one is found and is not masked as string', () => {
    const code = 's = "user: #{system(\'id\')} done"\n';
    const f = analyze(code);
    assert.deepEqual(calls(f), ['system']);
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ['"user: ', "'id'", ' done"'],
    );
  });
});

describe('Ruby analyzer: comments and strings', () => {
  it('returns comments, =begin blocks and every literal kind', () => {
    const code =
      '# c\n=begin\nx\n=end\na = \'q\'\nb = /re/\nc = :"sym"\nd = %w[x y]\ne = ?z\n__END__\ndata\n';
    const f = analyze(code);
    assert.deepEqual(
      f.comments.map((s) => text(code, s)),
      ['# c', '=begin\nx\n=end'],
    );
    assert.deepEqual(
      f.strings.map((s) => text(code, s)),
      ["'q'", '/re/', ':"sym"', '%w[x y]', '?z', 'data\n'],
    );
  });

  it('folds constant Ruby string expressions', () => {
    assert.equal(
      foldRubyText("'a' + \"b\\x63\" 'd'", 0, () => undefined),
      'abcd',
    );
    assert.equal(
      foldRubyText('%q(net/http).freeze', 0, () => undefined),
      'net/http',
    );
    assert.equal(
      foldRubyText('"#{x}"', 0, () => undefined),
      undefined,
    );
    assert.equal(
      foldRubyText("'a' +", 0, () => undefined),
      undefined,
    );
  });
});
