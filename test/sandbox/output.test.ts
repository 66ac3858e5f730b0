// Output hygiene without Docker: frame demultiplexing, the byte budget, UTF-8 decoding and terminal sanitising.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamDemuxer, type StreamKind } from '../../sandbox/demux';
import { OutputPipe } from '../../sandbox/outputPipe';
import { sanitizeTerminalText, TerminalSanitizer } from '../../sandbox/terminalSanitizer';

function frame(type: number, payload: Buffer | string): Buffer {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

test('demuxer splits frames however the bytes are chunked', () => {
  const wire = Buffer.concat([
    frame(1, 'out-1 '),
    frame(2, 'err-1 '),
    frame(1, 'out-2'),
    frame(0, '!'),
    frame(2, ''),
  ]);
  for (const size of [1, 3, 7, 8, 9, 64]) {
    const got: Record<StreamKind, string> = { stdout: '', stderr: '' };
    const d = new StreamDemuxer((k, c) => (got[k] += c.toString()));
    for (let i = 0; i < wire.length; i += size) d.push(wire.subarray(i, i + size));
    assert.deepEqual(got, { stdout: 'out-1 out-2!', stderr: 'err-1 ' }, `chunk size ${size}`);
    assert.equal(d.incomplete, false);
  }
});

test('demuxer forwards a huge frame piece by piece instead of buffering it', () => {
  const pieces: number[] = [];
  const d = new StreamDemuxer((_, c) => pieces.push(c.length));
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(256 * 1024 * 1024, 4);
  d.push(header);
  d.push(Buffer.alloc(65536));
  d.push(Buffer.alloc(65536));
  assert.deepEqual(pieces, [65536, 65536]);
  assert.equal(d.incomplete, true);
});

test('demuxer stops on a header that is not a multiplexed frame', () => {
  let error = '';
  const got: string[] = [];
  const d = new StreamDemuxer(
    (_, c) => got.push(c.toString()),
    (m) => (error = m),
  );
  d.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
  assert.match(error, /unexpected attach frame header/);
  assert.deepEqual(got, []);
});

function collect(limit: number) {
  const got = { stdout: '', stderr: '', limited: 0 };
  const pipe = new OutputPipe(
    limit,
    { stdout: (t) => (got.stdout += t), stderr: (t) => (got.stderr += t) },
    () => got.limited++,
  );
  return { got, pipe };
}

test('the byte budget is shared by both streams, fires once, and keeps draining', () => {
  const { got, pipe } = collect(10);
  pipe.push('stdout', Buffer.from('123456'));
  pipe.push('stderr', Buffer.from('abcdef'));
  pipe.push('stdout', Buffer.from('more'));
  pipe.end();
  assert.equal(got.stdout, '123456');
  assert.equal(got.stderr, 'abcd');
  assert.equal(got.limited, 1);
  assert.equal(pipe.truncated, true);
  assert.equal(pipe.bytes, 10);
  assert.equal(pipe.discarded, 6);
});

test('UTF-8 split across chunks decodes; invalid bytes and a cut-off tail become U+FFFD', () => {
  const { got, pipe } = collect(1 << 20);
  const euro = Buffer.from('€'); // e2 82 ac
  pipe.push('stdout', euro.subarray(0, 1));
  pipe.push('stdout', euro.subarray(1));
  pipe.push('stdout', Buffer.from([0x41, 0xff, 0x42]));
  pipe.push('stdout', euro.subarray(0, 2));
  pipe.end();
  assert.equal(got.stdout, '€A\uFFFDB\uFFFD');
});

test('colours are kept and closed at the end; cursor, screen, title, clipboard and links are removed', () => {
  const s = sanitizeTerminalText(
    '\x1b[1;31mred\x1b[0m \x1b[38;5;8mgrey\x1b[m \x1b[2J\x1b[H\x1b[10;10H\x1b[?1049h\x1b[?25l' +
      '\x1b]0;title\x07\x1b]52;c;Zm9v\x1b\\\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x07\x1bc\x1b7\x1b8\x1b(B\x1b#8\x1bP1$r\x1b\\end\x1b[32m',
  );
  assert.equal(s, '\x1b[1;31mred\x1b[0m \x1b[38;5;8mgrey\x1b[m linkend\x1b[32m\x1b[0m');
});

test('conceal is dropped from SGR without breaking extended colours', () => {
  assert.equal(sanitizeTerminalText('\x1b[8mx'), 'x');
  assert.equal(sanitizeTerminalText('\x1b[1;8;4mx\x1b[0m'), '\x1b[1;4mx\x1b[0m');
  assert.equal(sanitizeTerminalText('\x1b[38;2;8;8;8;8mx'), '\x1b[38;2;8;8;8mx\x1b[0m');
  assert.equal(sanitizeTerminalText('\x1b[31mx\x1b[m'), '\x1b[31mx\x1b[m', 'no extra reset after a reset');
  assert.equal(sanitizeTerminalText('\x1b[48;5;8mx'), '\x1b[48;5;8mx\x1b[0m');
  assert.equal(sanitizeTerminalText('\x1b[?8mx'), 'x', 'private SGR-like sequences go');
});

test('controls become visible; CR cannot overwrite; bidi overrides are neutralised', () => {
  assert.equal(sanitizeTerminalText('a\x07b\x08c\x00d\x7fe'), 'a\u2407b\u2408c\u2400d\u2421e');
  assert.equal(sanitizeTerminalText('secret\rpublic\r\nnext\r'), 'secret\npublic\nnext\n');
  assert.equal(sanitizeTerminalText('x\u202eevil\u2066y'), 'x\uFFFDevil\uFFFDy');
  assert.equal(sanitizeTerminalText('c1\u009b2Jcsi\u009d0;t\u0007'), 'c1\uFFFD2Jcsi\uFFFD0;t\u2407');
  assert.equal(sanitizeTerminalText('tab\tnewline\n'), 'tab\tnewline\n');
});

test('an unterminated or malformed sequence is shown, never allowed to swallow text', () => {
  assert.equal(sanitizeTerminalText('\x1b]0;title\nvisible'), '\u241b]0;title\nvisible');
  const long = `\x1b]0;${'a'.repeat(5000)}`;
  assert.ok(sanitizeTerminalText(`${long}tail`).endsWith('tail'));
  assert.ok(sanitizeTerminalText(`${long}tail`).startsWith('\u241b]0;aaa'));
  assert.equal(sanitizeTerminalText('\x1b[12'), '\u241b[12');
  assert.equal(sanitizeTerminalText('\x1b[1\n2m'), '\u241b[1\n2m');
  assert.equal(sanitizeTerminalText('\x1b\x1b[31mx'), '\u241b\x1b[31mx\x1b[0m');
  assert.equal(sanitizeTerminalText('end\x1b'), 'end\u241b');
});

test('sequences split across writes are handled as if whole', () => {
  const input = 'a\x1b[31mred\x1b[0m\x1b]0;title\x07b\r\nc\x1b]8;;u\x1b\\d';
  const whole = sanitizeTerminalText(input);
  for (let cut = 1; cut < input.length; cut++) {
    const s = new TerminalSanitizer();
    const split = s.write(input.slice(0, cut)) + s.write(input.slice(cut)) + s.end();
    assert.equal(split, whole, `cut at ${cut}`);
  }
  assert.equal(whole, 'a\x1b[31mred\x1b[0mb\ncd');
});
