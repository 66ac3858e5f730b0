// run_code / execute_code against the real Docker engine, through the SDK client over stdio: clean runs,
// refusals that create no container (checked with the engine's event log), timeouts, clamped timeouts,
// concurrency bounds, output limits, no network, cancellation. Skips (with the reason) without Docker and
// the offline test images, unless SANDBOX_GUARD_REQUIRE_DOCKER=1.
import assert from 'node:assert/strict';
import { after, before, describe, it as nodeIt } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import {
  connect,
  containersOf,
  dockerSkipReason,
  PYTHON_IMAGE,
  RawServer,
  readAudit,
  sandboxDir,
  TEST_IMAGE_ARGS,
  until,
  type Connected,
} from './harness';

type Run = {
  exit_code: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  reason: string;
  duration_ms: number;
  findings: { rule: string; blocking: boolean; line: number }[];
  image: string | null;
  timeout_seconds: number;
  timeout_clamped: boolean;
  requested_timeout_seconds: number | null;
  message: string;
  notes: string[];
};

async function run(
  s: Connected,
  args: Record<string, unknown>,
  tool = 'run_code',
): Promise<{ isError: boolean; r: Run; text: string }> {
  const res = await s.client.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 });
  return {
    isError: res.isError === true,
    r: res.structuredContent as Run,
    text: (res.content as { type: string; text: string }[])[0]?.text ?? '',
  };
}

/** Container-create events the engine logged for one MCP client between two instants. */
async function createEvents(clientName: string, sinceMs: number, untilMs: number): Promise<number> {
  const stream = (await connectDocker().docker.getEvents({
    since: Math.floor(sinceMs / 1000),
    until: Math.ceil(untilMs / 1000) + 1,
    filters: { type: ['container'], event: ['create'], label: [`sandbox-guard.client=mcp:${clientName}`] },
  })) as unknown as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.split('\n').filter((l) => l.trim()).length;
}

describe('MCP run tools on Docker', async () => {
  const skip = await dockerSkipReason();
  // Each test is reported as skipped, with the reason, when Docker or the test images are missing.
  const it = (title: string, fn: () => Promise<void>) => nodeIt(title, { skip }, fn);
  let s: Connected;
  const name = 'mcp-run-test';

  before(async () => {
    if (skip) return;
    s = await connect([...TEST_IMAGE_ARGS, '--timeout', '20'], { clientName: name });
  });
  after(async () => {
    await s?.close();
  });

  it('runs clean Python code: stdout and stderr apart, the exit code, and nothing left behind', async () => {
    const t0 = Date.now();
    const { isError, r, text } = await run(s, {
      code: 'import sys\nprint("hello from the sandbox")\nprint("to stderr", file=sys.stderr)\nsys.exit(3)\n',
      language: 'python',
    });
    assert.equal(isError, false);
    assert.equal(r.reason, 'exit');
    assert.equal(r.exit_code, 3);
    assert.equal(r.stdout, 'hello from the sandbox\n');
    assert.equal(r.stderr, 'to stderr\n');
    assert.equal(r.truncated, false);
    assert.equal(r.image, PYTHON_IMAGE);
    assert.equal(r.timeout_seconds, 20);
    assert.equal(r.timeout_clamped, false);
    assert.ok(r.duration_ms > 0);
    assert.match(text, /exited with code 3/);
    assert.match(text, /hello from the sandbox/);
    assert.ok((await createEvents(name, t0, Date.now())) >= 1, 'the run created a container');
    assert.deepEqual(await containersOf(name), [], 'the container is removed before the result is returned');
    const entry = readAudit(s.box.auditLog).find((e) => e.verdict === 'ran');
    assert.equal(entry?.actor, `mcp:${name}`);
    assert.equal(entry?.exitCode, 3);
  });

  it('gives stdin to the program when asked, and EOF otherwise', async () => {
    const a = await run(s, {
      code: 'import sys\nprint(sys.stdin.read().upper(), end="")\n',
      language: 'python',
      stdin: 'abc\ndef\n',
    });
    assert.equal(a.r.stdout, 'ABC\nDEF\n');
    const b = await run(s, { code: 'import sys\nprint(repr(sys.stdin.read()))\n', language: 'python' });
    assert.equal(b.r.stdout, "''\n");
  });

  it('runs JavaScript', async () => {
    const { r } = await run(s, {
      code: 'console.log([1, 2, 3].map((x) => x * 2).join(","));\n',
      language: 'javascript',
    });
    assert.equal(r.reason, 'exit');
    assert.equal(r.exit_code, 0);
    assert.equal(r.stdout, '2,4,6\n');
  });

  it('refuses blocked code with the blocking findings, and creates no container', async () => {
    const refusedName = 'mcp-refused-test';
    const r2 = await connect([...TEST_IMAGE_ARGS], { clientName: refusedName });
    try {
      const t0 = Date.now();
      const { isError, r, text } = await run(r2, {
        code: 'import subprocess\n\nsubprocess.run(["sh", "-c", "id"])\n',
        language: 'python',
      });
      const t1 = Date.now();
      assert.equal(isError, true);
      assert.equal(r.reason, 'blocked');
      assert.equal(r.exit_code, null);
      assert.equal(r.stdout, '');
      assert.ok(r.findings.length > 0, 'blocking findings are returned');
      assert.ok(r.findings.every((f) => f.blocking));
      assert.ok(r.findings.some((f) => f.line === 1 || f.line === 3));
      assert.match(text, /Blocking findings/);
      assert.equal(await createEvents(refusedName, t0, t1), 0, 'no container was created');
      // The same client's clean run does show up in the event log, so the check above can fail.
      const t2 = Date.now();
      await run(r2, { code: 'print(1)\n', language: 'python' });
      assert.ok((await createEvents(refusedName, t2, Date.now())) >= 1);
    } finally {
      await r2.close();
    }
  });

  it('kills a program at the time limit', async () => {
    const { isError, r, text } = await run(s, {
      code: 'while True:\n    pass\n',
      language: 'python',
      timeout_seconds: 1,
    });
    assert.equal(isError, false);
    assert.equal(r.reason, 'timeout');
    assert.equal(r.timeout_seconds, 1);
    assert.match(text, /time limit/);
    assert.deepEqual(await containersOf(name), []);
  });

  it('clamps a longer timeout request to the configured maximum, enforces it, and says so', async () => {
    const c = await connect([...TEST_IMAGE_ARGS, '--timeout', '2'], { clientName: 'mcp-clamp-test' });
    try {
      const quick = await run(c, { code: 'print("ok")\n', language: 'python', timeout_seconds: 3600 });
      assert.equal(quick.r.reason, 'exit');
      assert.equal(quick.r.timeout_clamped, true);
      assert.equal(quick.r.timeout_seconds, 2);
      assert.equal(quick.r.requested_timeout_seconds, 3600);
      assert.match(quick.r.message, /clamped/);
      assert.ok(quick.r.notes.some((n) => /clamped to 2 s/.test(n)));

      const slow = await run(c, {
        code: 'import time\ntime.sleep(120)\n',
        language: 'python',
        timeout_seconds: 3600,
      });
      assert.equal(slow.r.reason, 'timeout', 'the clamp is enforced, not only reported');
      assert.equal(slow.r.timeout_seconds, 2);

      const shorter = await run(c, { code: 'print(1)\n', language: 'python', timeout_seconds: 1.5 });
      assert.equal(shorter.r.timeout_clamped, false);
      assert.equal(shorter.r.timeout_seconds, 1.5);

      const llm = await run(c, { code: 'print(1)\n', timeout: 30 }, 'execute_code');
      assert.equal(llm.r.timeout_clamped, true);
      assert.equal(llm.r.timeout_seconds, 2);
    } finally {
      await c.close();
    }
  });

  it('runs at most --max-concurrent programs at once; the rest wait', async () => {
    const c = await connect([...TEST_IMAGE_ARGS, '--max-concurrent', '2', '--queue', 'wait'], {
      clientName: 'mcp-conc-test',
    });
    try {
      const code = 'import time\nprint(time.time())\ntime.sleep(1.5)\nprint(time.time())\n';
      const results = await Promise.all([1, 2, 3, 4].map(() => run(c, { code, language: 'python' })));
      const spans = results.map(({ r }) => {
        assert.equal(r.reason, 'exit', r.message);
        const [start, end] = r.stdout.trim().split('\n').map(Number);
        return { start, end };
      });
      // Each program's own running interval, read from inside the container: never more than 2 overlap.
      for (const a of spans) {
        const overlapping = spans.filter((b) => b.start <= a.start && a.start < b.end).length;
        assert.ok(overlapping <= 2, `${overlapping} programs were running at once: ${JSON.stringify(spans)}`);
      }
    } finally {
      await c.close();
    }
  });

  it('refuses calls beyond the maximum with --queue refuse, and beyond the queue length with --queue wait', async () => {
    const code = 'import time\ntime.sleep(2)\nprint("done")\n';
    const refuse = await connect([...TEST_IMAGE_ARGS, '--max-concurrent', '1', '--queue', 'refuse'], {
      clientName: 'mcp-refuse-test',
    });
    try {
      const results = await Promise.all([1, 2, 3].map(() => run(refuse, { code, language: 'python' })));
      const reasons = results.map((x) => x.r.reason).sort();
      assert.deepEqual(reasons, ['busy', 'busy', 'exit']);
      const busy = results.find((x) => x.r.reason === 'busy');
      assert.equal(busy?.isError, true);
      assert.match(busy?.r.message ?? '', /maximum of 1 sandbox run/);
      assert.ok(
        readAudit(refuse.box.auditLog).some((e) => e.reason === 'busy' && e.actor === 'mcp:mcp-refuse-test'),
      );
    } finally {
      await refuse.close();
    }
    const queue = await connect(
      [...TEST_IMAGE_ARGS, '--max-concurrent', '1', '--queue', 'wait', '--max-queue', '1'],
      { clientName: 'mcp-queue-test' },
    );
    try {
      const results = await Promise.all([1, 2, 3].map(() => run(queue, { code, language: 'python' })));
      assert.deepEqual(results.map((x) => x.r.reason).sort(), ['busy', 'exit', 'exit']);
    } finally {
      await queue.close();
    }
  });

  it('caps output, marks it truncated and stops the run', async () => {
    const c = await connect([...TEST_IMAGE_ARGS, '--output-limit', '64k'], { clientName: 'mcp-output-test' });
    try {
      const { r } = await run(c, {
        code: 'import sys\nwhile True:\n    sys.stdout.write("x" * 65536)\n',
        language: 'python',
      });
      assert.equal(r.reason, 'output_limit');
      assert.equal(r.truncated, true);
      assert.ok(r.stdout.length <= 64 * 1024 && r.stdout.length > 0, `stdout length ${r.stdout.length}`);
    } finally {
      await c.close();
    }
  });

  it('has no network, whatever the code asks for', async () => {
    // minimal does not restrict socket, so the code runs and meets the sandbox instead of the policy.
    const c = await connect([...TEST_IMAGE_ARGS, '--preset', 'minimal'], { clientName: 'mcp-net-test' });
    try {
      const code = [
        'import socket',
        's = socket.socket()',
        's.settimeout(5)',
        'try:',
        '    s.connect(("1.1.1.1", 53))',
        '    print("connected")',
        'except OSError as e:',
        '    print("refused", e.errno)',
        'print(sorted(n for _, n in socket.if_nameindex()))',
      ].join('\n');
      const { r } = await run(c, { code, language: 'python' });
      assert.equal(r.reason, 'exit', r.message + r.stderr);
      assert.match(r.stdout, /^refused \d+\n/);
      assert.match(r.stdout, /\['lo'\]/);
    } finally {
      await c.close();
    }
  });

  it('execute_code: llm-sandbox call shape, JSON text result, libraries only when the image has them', async () => {
    const ok = await s.client.callTool({
      name: 'execute_code',
      arguments: { code: 'print("hi")', language: 'python', timeout: 10 },
    });
    const parsed = JSON.parse((ok.content as { text: string }[])[0].text) as {
      success: boolean;
      exit_code: number;
      stdout: string;
      stderr: string;
    };
    assert.equal(parsed.success, true);
    assert.equal(parsed.exit_code, 0);
    assert.equal(parsed.stdout, 'hi\n');
    assert.equal(parsed.stderr, '');

    const present = await run(
      s,
      { code: 'import re\nprint(re.sub("a", "b", "aa"))', libraries: ['re'] },
      'execute_code',
    );
    assert.equal(present.r.reason, 'exit', present.r.message);
    assert.equal(present.r.stdout, 'bb\n');

    const missing = await run(s, { code: 'import numpy', libraries: ['numpy>=1.26', 're'] }, 'execute_code');
    assert.equal(missing.isError, true);
    assert.equal(missing.r.reason, 'unavailable');
    assert.match(missing.r.message, /numpy is not installed in the image/);
    assert.doesNotMatch(missing.r.message, /\bre\b.*not installed/);

    const bad = await run(s, { code: 'print(1)', libraries: ['numpy; rm -rf /'] }, 'execute_code');
    assert.equal(bad.r.reason, 'unavailable');
    assert.match(bad.r.message, /not a package name/);
  });

  it('stops the container when the client cancels the call', async () => {
    const c = await connect([...TEST_IMAGE_ARGS], { clientName: 'mcp-cancel-test' });
    try {
      const ac = new AbortController();
      const pending = c.client.callTool(
        { name: 'run_code', arguments: { code: 'import time\ntime.sleep(60)\n', language: 'python' } },
        undefined,
        { signal: ac.signal, timeout: 120_000 },
      );
      await until(
        async () => (await containersOf('mcp-cancel-test')).length === 1,
        30_000,
        'the container to start',
      );
      ac.abort();
      await assert.rejects(pending);
      await until(
        async () => (await containersOf('mcp-cancel-test')).length === 0,
        30_000,
        'the container to be removed',
      );
      await until(
        () => readAudit(c.box.auditLog).some((e) => e.reason === 'stopped'),
        10_000,
        'the stopped run in the audit log',
      );
      // Still serving.
      const after = await run(c, { code: 'print(2)\n', language: 'python' });
      assert.equal(after.r.stdout, '2\n');
    } finally {
      await c.close();
    }
  });

  it('reports progress to a client that asks for it', async () => {
    const messages: string[] = [];
    const res = await s.client.callTool(
      { name: 'run_code', arguments: { code: 'print(1)\n', language: 'python' } },
      undefined,
      {
        timeout: 120_000,
        onprogress: (p) => {
          if (p.message) messages.push(p.message);
        },
      },
    );
    assert.equal((res.structuredContent as Run).stdout, '1\n');
    assert.ok(
      messages.some((m) => m.includes(`running in ${PYTHON_IMAGE}`)),
      JSON.stringify(messages),
    );
  });

  it('stops its runs and removes their containers when it is terminated', async () => {
    const box = sandboxDir();
    const raw = new RawServer([...TEST_IMAGE_ARGS], box.env, box.dir);
    try {
      await raw.initialize('mcp-sigterm-test');
      raw.send({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'run_code',
          arguments: { code: 'import time\ntime.sleep(60)\n', language: 'python' },
        },
      });
      await until(
        async () => (await containersOf('mcp-sigterm-test')).length === 1,
        30_000,
        'the container to start',
      );
      raw.proc.kill('SIGTERM');
      assert.equal(await raw.exited, 0);
      assert.deepEqual(await containersOf('mcp-sigterm-test'), []);
      assert.match(raw.stderr, /received SIGTERM/);
    } finally {
      raw.kill();
      box.cleanup();
    }
  });

  it('leaves no Sandbox Guard container of these clients behind', async () => {
    for (const client of [
      name,
      'mcp-sigterm-test',
      'mcp-refused-test',
      'mcp-clamp-test',
      'mcp-conc-test',
      'mcp-refuse-test',
      'mcp-queue-test',
      'mcp-output-test',
      'mcp-net-test',
      'mcp-cancel-test',
    ]) {
      assert.deepEqual(await containersOf(client), [], client);
    }
  });
});
