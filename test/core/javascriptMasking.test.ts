import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeJavaScriptOrThrow } from '../../core/languages/javascript';
import type { LanguageFacts } from '../../core/languages/types';
import type { ParserHost } from '../../core/parsing';
import { loadParsers } from '../../runtime/grammars';

// Comment and string spans (what patterns with scope `code` must skip) of the JavaScript/TypeScript analyzer.

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
const commentsOf = (src: string, grammar: Grammar = 'javascript') =>
  analyze(src, grammar).comments.map((s) => src.slice(s.start, s.end));
const stringsOf = (src: string, grammar: Grammar = 'javascript') =>
  analyze(src, grammar).strings.map((s) => src.slice(s.start, s.end));
/** The source with comments as `#` and strings as `~` (newlines kept), to compare whole layouts. */
function masked(src: string, grammar: Grammar = 'javascript'): string {
  const f = analyze(src, grammar);
  const out = src.split('');
  for (const s of f.comments) for (let i = s.start; i < s.end; i++) if (out[i] !== '\n') out[i] = '#';
  for (const s of f.strings) for (let i = s.start; i < s.end; i++) if (out[i] !== '\n') out[i] = '~';
  return out.join('');
}

describe('comments', () => {
  it('finds line, block, hashbang comments with their markers', () => {
    const src = '#!/usr/bin/env node\nconst a = 1; // line\n/* block\n   two */ b();\n/** doc */';
    assert.deepEqual(commentsOf(src), [
      '#!/usr/bin/env node',
      '// line',
      '/* block\n   two */',
      '/** doc */',
    ]);
  });

  it('is not fooled by comment markers inside strings (the llm-sandbox bypass)', () => {
    const src =
      'const u = "http://x"; const cp = require("child_process");\nconst a = "/*"; eval(1); const b = "*/";';
    assert.deepEqual(commentsOf(src), []);
    assert.equal(
      masked(src),
      'const u = ~~~~~~~~~~; const cp = require(~~~~~~~~~~~~~~~);\nconst a = ~~~~; eval(1); const b = ~~~~;',
    );
  });

  it('does not treat `<!--` as a comment (modules run what follows) but keeps code after `-->` visible', () => {
    assert.deepEqual(commentsOf('x = a <!--b\n--> note'), []);
  });
});

describe('strings', () => {
  it('covers quoted strings including quotes, and escapes inside them', () => {
    assert.deepEqual(stringsOf("a('x', \"y\\\"z\", 'it\\'s');"), ["'x'", '"y\\"z"', "'it\\'s'"]);
  });

  it('covers only the literal parts of templates, not the substitutions', () => {
    const src = 'x = `a${eval("1")}b${`c${d}`}e`;';
    assert.equal(masked(src), 'x = ~~${eval(~~~)}~${~~${d}~}~~;');
  });

  it('treats regex literals as strings and divisions as code', () => {
    const src =
      "const re = /require\\('child_process'\\)/g;\nconst d = a / b / c;\nif (x) /eval\\(/.test(s);\nq = a++ / 2; r = (a) / 2;\nv = x\n/foo/g.exec(y);\nz = [/a/, /b[/]c/];";
    assert.equal(
      masked(src),
      'const re = ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~;\nconst d = a / b / c;\nif (x) ~~~~~~~~.test(s);\nq = a++ / 2; r = (a) / 2;\nv = x\n/foo/g.exec(y);\nz = [~~~, ~~~~~~~];',
    );
  });

  it('ends an unterminated string at the end of its line', () => {
    assert.equal(masked("'open\nconst ok = 1; // c"), '~~~~~\nconst ok = 1; ####');
  });

  it('counts offsets in UTF-16 code units', () => {
    const src = "const s = '😀'; // é\nrequire('ü');";
    const f = analyze(src);
    assert.deepEqual(
      f.strings.map((s) => src.slice(s.start, s.end)),
      ["'😀'", "'ü'"],
    );
    assert.deepEqual(
      f.comments.map((s) => src.slice(s.start, s.end)),
      ['// é'],
    );
    assert.equal(src.slice(f.imports[0].start, f.imports[0].end), "require('ü')");
  });
});

describe('JSX and TypeScript', () => {
  it('treats JSX text and attribute strings as strings and JSX expressions as code', () => {
    const src =
      'const el = <div title=\'require("x")\'>\n  text // not a comment {eval(1)}\n  {/* real comment */}\n  <b>{items.map(i => <i key={i}>{i}</i>)}</b>\n</div>;';
    assert.equal(
      masked(src, 'tsx'),
      'const el = <div title=~~~~~~~~~~~~~~>\n~~~~~~~~~~~~~~~~~~~~~~~~{eval(1)}\n  {##################}\n  <b>{items.map(i => <i key={i}>{i}</i>)}</b>\n</div>;',
    );
    assert.equal(masked(src, 'javascript'), masked(src, 'tsx'), 'the javascript grammar parses JSX too');
  });

  it('does not mistake comparisons, generics or type assertions for JSX', () => {
    assert.equal(
      masked('if (a < b && c > d) {} const g = x <y> z;'),
      'if (a < b && c > d) {} const g = x <y> z;',
    );
    const ts = "const a = <T,>(x: T) => x; let b = f<string>('s'); const c = <any>x; type U = 'lit';";
    assert.equal(
      masked(ts, 'typescript'),
      'const a = <T,>(x: T) => x; let b = f<string>(~~~); const c = <any>x; type U = ~~~~~;',
    );
    assert.equal(
      masked(ts.replace('<any>x', 'x as any'), 'tsx'),
      'const a = <T,>(x: T) => x; let b = f<string>(~~~); const c = x as any; type U = ~~~~~;',
    );
  });

  it('masks strings in type positions the same way as elsewhere', () => {
    assert.deepEqual(stringsOf("declare module 'child_process' {}\nlet m: 'fs' | \"vm\";", 'typescript'), [
      "'child_process'",
      "'fs'",
      '"vm"',
    ]);
  });
});
