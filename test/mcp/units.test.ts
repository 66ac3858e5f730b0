// The MCP server's pure parts: run slots, timeout clamping, argument validation against the published
// schemas, option parsing, library names and the probe's output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RunSlots, SlotRefused } from '../../mcp/concurrency';
import { mcpServerArgs, runConfirmation } from '../../mcp/editorTools';
import { decideTimeout } from '../../mcp/limits';
import { parseLibraries, parseProbeOutput, probeProgram } from '../../mcp/libraryProbe';
import { OptionsError, parseMcpOptions } from '../../mcp/options';
import { EXECUTE_CODE_INPUT, RUN_CODE_INPUT } from '../../mcp/schemas';
import { actorOf } from '../../mcp/server';
import { ArgumentError, validateArguments } from '../../mcp/validate';

describe('RunSlots', () => {
  it('grants up to max at once and hands a released slot to the next waiter in order', async () => {
    const slots = new RunSlots(2, 'wait', 10);
    const a = await slots.acquire();
    const b = await slots.acquire();
    assert.equal(slots.active, 2);
    const order: string[] = [];
    const c = slots.acquire().then((r) => (order.push('c'), r));
    const d = slots.acquire().then((r) => (order.push('d'), r));
    assert.equal(slots.queued, 2);
    a();
    a(); // a second release of the same slot is ignored
    const rc = await c;
    assert.deepEqual(order, ['c']);
    assert.equal(slots.active, 2);
    b();
    const rd = await d;
    assert.deepEqual(order, ['c', 'd']);
    rc();
    rd();
    assert.equal(slots.active, 0);
  });

  it('refuses at once in refuse mode, and when the queue is full in wait mode', async () => {
    const refuse = new RunSlots(1, 'refuse', 10);
    const r = await refuse.acquire();
    await assert.rejects(
      refuse.acquire(),
      (e: unknown) => e instanceof SlotRefused && /maximum of 1 sandbox run/.test(e.message),
    );
    r();
    (await refuse.acquire())();

    const wait = new RunSlots(1, 'wait', 1);
    const w = await wait.acquire();
    const queued = wait.acquire();
    await assert.rejects(
      wait.acquire(),
      (e: unknown) => e instanceof SlotRefused && /queue limit 1/.test(e.message),
    );
    w();
    (await queued)();
  });

  it('drops a cancelled waiter from the queue', async () => {
    const slots = new RunSlots(1, 'wait', 5);
    const held = await slots.acquire();
    const ac = new AbortController();
    const waiting = slots.acquire(ac.signal);
    assert.equal(slots.queued, 1);
    ac.abort(new Error('cancelled by client'));
    await assert.rejects(waiting, /cancelled by client/);
    assert.equal(slots.queued, 0);
    held();
    assert.equal(slots.active, 0);
  });

  it('refuses everything queued when drained', async () => {
    const slots = new RunSlots(1, 'wait', 5);
    await slots.acquire();
    const waiting = slots.acquire();
    slots.drain('shutting down');
    await assert.rejects(waiting, /shutting down/);
  });
});

describe('decideTimeout', () => {
  it('uses the maximum when nothing is asked, honours shorter requests and clamps longer ones', () => {
    assert.deepEqual(decideTimeout(undefined, 30), { seconds: 30, clamped: false });
    assert.deepEqual(decideTimeout(5, 30), { seconds: 5, requested: 5, clamped: false });
    const long = decideTimeout(600, 30);
    assert.equal(long.seconds, 30);
    assert.equal(long.clamped, true);
    assert.equal(long.requested, 600);
    assert.match(long.note ?? '', /clamped to 30 s/);
    assert.equal(decideTimeout(0.001, 30).seconds, 0.1);
  });
});

describe('validateArguments', () => {
  it('accepts valid arguments and drops null optionals', () => {
    assert.deepEqual(validateArguments({ code: 'x', language: 'python', stdin: null }, RUN_CODE_INPUT), {
      code: 'x',
      language: 'python',
    });
    assert.deepEqual(validateArguments({ code: 'x', libraries: ['a'] }, EXECUTE_CODE_INPUT), {
      code: 'x',
      libraries: ['a'],
    });
  });

  it('names the first problem', () => {
    const bad: [unknown, RegExp][] = [
      [undefined, /code is required/],
      ['text', /arguments must be object/],
      [{ code: 'x' }, /language is required/],
      [{ code: 'x', language: 'py', timeout_seconds: 0 }, /greater than 0/],
      [{ code: 'x', language: 'py', timeout_seconds: Number.NaN }, /number|finite/],
      [{ code: 'x'.repeat(1_000_001), language: 'py' }, /longer than the maximum/],
      [
        { code: 'x', language: 'py', memory: '8g' },
        /unknown argument "memory" \(accepted: code, language, stdin, timeout_seconds\)/,
      ],
    ];
    for (const [args, re] of bad)
      assert.throws(
        () => validateArguments(args, RUN_CODE_INPUT),
        (e: unknown) => e instanceof ArgumentError && re.test(e.message),
      );
    assert.throws(
      () => validateArguments({ code: 'x', libraries: ['a', 3] }, EXECUTE_CODE_INPUT),
      /libraries\[1\] must be string/,
    );
    assert.throws(
      () => validateArguments({ code: 'x', libraries: new Array(65).fill('a') }, EXECUTE_CODE_INPUT),
      /more than the maximum of 64/,
    );
  });
});

describe('parseMcpOptions', () => {
  const env = { XDG_CONFIG_HOME: '/nonexistent-sandbox-guard-config' };

  it('has safe defaults and parses every option', () => {
    const d = parseMcpOptions([], env);
    assert.ok(d);
    assert.equal(d.limits.timeoutMs, 30_000);
    assert.equal(d.maxConcurrent, 2);
    assert.equal(d.queue, 'wait');
    assert.equal(d.preset, undefined);
    const o = parseMcpOptions(
      [
        '--preset',
        'strict',
        '--image-python',
        'py:1',
        '--image',
        'js=node:x',
        '--timeout',
        '7.5',
        '--memory',
        '1g',
        '--cpus',
        '0.5',
        '--pids',
        '64',
        '--output-limit',
        '10k',
        '--max-concurrent',
        '4',
        '--queue',
        'refuse',
        '--max-queue',
        '0',
        '--audit-log',
        'a.jsonl',
      ],
      env,
      '/work',
    );
    assert.ok(o);
    assert.equal(o.preset, 'strict');
    assert.deepEqual(o.images, { python: 'py:1', javascript: 'node:x' });
    assert.equal(o.limits.timeoutMs, 7500);
    assert.equal(o.limits.memoryBytes, 1024 ** 3);
    assert.equal(o.limits.cpus, 0.5);
    assert.equal(o.limits.pids, 64);
    assert.equal(o.limits.outputBytes, 10 * 1024);
    assert.equal(o.maxConcurrent, 4);
    assert.equal(o.queue, 'refuse');
    assert.equal(o.maxQueue, 0);
    assert.equal(o.auditLog, '/work/a.jsonl');
    assert.equal(parseMcpOptions(['--help'], env), undefined);
  });

  it('rejects what would weaken or break a limit', () => {
    for (const bad of [
      ['--timeout', '-1'],
      ['--timeout', 'soon'],
      ['--memory', '1k'],
      ['--pids', '1.5'],
      ['--image', 'python'],
      ['--image', 'python=bad image'],
      ['--queue', 'x'],
      ['--nope'],
    ]) {
      assert.throws(() => parseMcpOptions(bad, env), OptionsError, bad.join(' '));
    }
  });

  it('reads the mcp object of the user config file; options override it; unknown keys are errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-mcp-opts-'));
    try {
      mkdirSync(join(dir, 'sandbox-guard'));
      const file = join(dir, 'sandbox-guard', 'config.json');
      writeFileSync(
        file,
        JSON.stringify({
          mcp: { policy: 'p.json', timeoutSeconds: 9, queue: 'refuse', images: { py: 'img:1' } },
        }),
      );
      const o = parseMcpOptions([], { XDG_CONFIG_HOME: dir });
      assert.ok(o);
      assert.equal(o.policyFile, join(dir, 'sandbox-guard', 'p.json'));
      assert.equal(o.limits.timeoutMs, 9000);
      assert.equal(o.queue, 'refuse');
      assert.deepEqual(o.images, { python: 'img:1' });
      assert.equal(o.configFile, file);
      const o2 = parseMcpOptions(['--preset', 'minimal', '--timeout', '3'], { XDG_CONFIG_HOME: dir });
      assert.equal(o2?.preset, 'minimal');
      assert.equal(o2?.policyFile, undefined);
      assert.equal(o2?.limits.timeoutMs, 3000);
      writeFileSync(file, JSON.stringify({ mcp: { network: 'bridge' } }));
      assert.throws(() => parseMcpOptions([], { XDG_CONFIG_HOME: dir }), /unknown setting mcp.network/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('libraries', () => {
  it('accepts package names with versions and rejects anything else', () => {
    const py = parseLibraries(
      ['numpy', 'pandas>=2.0', 'scikit-learn==1.5.0', 'requests[socks]', 'a; rm -rf /', '$(id)', '../x'],
      'python',
    );
    assert.deepEqual(
      py.ok.map((l) => [l.name, l.versioned]),
      [
        ['numpy', false],
        ['pandas', true],
        ['scikit-learn', true],
        ['requests', false],
      ],
    );
    assert.deepEqual(py.bad, ['a; rm -rf /', '$(id)', '../x']);
    const js = parseLibraries(
      ['lodash', 'lodash@4', '@types/node', '@scope/pkg@^1.2.0', 'Bad Name', 'x`id`'],
      'javascript',
    );
    assert.deepEqual(
      js.ok.map((l) => l.name),
      ['lodash', 'lodash', '@types/node', '@scope/pkg'],
    );
    assert.deepEqual(js.bad, ['Bad Name', 'x`id`']);
  });

  it('embeds only the names, as a literal list, and reads the probe output', () => {
    const prog = probeProgram('python', ['numpy', 'scikit-learn']);
    assert.match(prog, /names = \["numpy","scikit-learn"\]/);
    assert.match(probeProgram('javascript', ['@types/node']), /const names = \["@types\/node"\];/);
    assert.deepEqual(
      parseProbeOutput('OK numpy\nMISSING scikit-learn\nnoise\n', ['numpy', 'scikit-learn', 'absent']),
      {
        present: ['numpy'],
        missing: ['scikit-learn', 'absent'],
      },
    );
  });
});

describe('actorOf', () => {
  it('prefixes mcp: and tidies the client-supplied name', () => {
    assert.equal(actorOf('claude-ai'), 'mcp:claude-ai');
    assert.equal(actorOf(undefined), 'mcp:unknown-client');
    assert.equal(actorOf('evil\nname\u0007'), 'mcp:evilname');
    assert.equal(actorOf('x'.repeat(500)).length, 4 + 64);
  });
});

describe('editor tool helpers', () => {
  it('builds server arguments from settings that the server parses back to the same configuration', () => {
    const args = mcpServerArgs({
      preset: 'strict',
      images: { python: 'py:1', javascript: 'node:1' },
      timeoutSeconds: 12,
      memoryBytes: 256 * 1024 * 1024,
      cpus: 2,
      pids: 100,
      tmpBytes: 8 * 1024 * 1024,
      outputBytes: 65536,
      maxConcurrent: 3,
      queue: 'refuse',
    });
    assert.equal(args[0], 'mcp');
    const o = parseMcpOptions(args.slice(1), { XDG_CONFIG_HOME: '/nonexistent-sandbox-guard-config' });
    assert.ok(o);
    assert.equal(o.preset, 'strict');
    assert.deepEqual(o.images, { python: 'py:1', javascript: 'node:1' });
    assert.equal(o.limits.timeoutMs, 12_000);
    assert.equal(o.limits.memoryBytes, 256 * 1024 * 1024);
    assert.equal(o.limits.cpus, 2);
    assert.equal(o.limits.pids, 100);
    assert.equal(o.limits.tmpfsBytes, 8 * 1024 * 1024);
    assert.equal(o.limits.outputBytes, 65536);
    assert.equal(o.maxConcurrent, 3);
    assert.equal(o.queue, 'refuse');
    assert.deepEqual(mcpServerArgs({ policyFile: '/p.json', preset: 'strict' }), [
      'mcp',
      '--policy',
      '/p.json',
    ]);
  });

  it('shows the limits, the policy and each finding in the run confirmation', () => {
    const c = runConfirmation({
      language: 'python',
      image: 'python:3.12-slim',
      limits: {
        timeoutMs: 30_000,
        memoryBytes: 512 * 1024 * 1024,
        cpus: 1,
        pids: 128,
        tmpfsBytes: 64 * 1024 * 1024,
        outputBytes: 1024 * 1024,
      },
      policy: { name: 'recommended', source: 'preset:recommended', threshold: 'HIGH' },
      findings: [
        {
          rule: 'call:os.remove',
          kind: 'call',
          severity: 'LOW',
          severity_level: 1,
          line: 2,
          column: 1,
          end_line: 2,
          end_column: 10,
          message: 'Use of `os.remove`',
          blocking: false,
          suppressed: false,
        },
      ],
      timeoutSeconds: 10,
      timeoutClamped: true,
      fileName: 'a`b.py',
    });
    assert.match(c.message, /timeout 10 s, memory 512 MiB/);
    assert.match(c.message, /no network/);
    assert.match(c.message, /clamped/);
    assert.match(c.message, /recommended \(threshold HIGH\)/);
    assert.match(c.message, /2:1 LOW \[call:os.remove\]/);
    assert.doesNotMatch(c.message, /a`b/);
  });
});
