// The runner against the real Docker engine, with hostile programs (NetworkMode none is part of every run).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectDocker } from '../../sandbox/dockerClient';
import { startRun } from '../../sandbox/runner';
import type { RunHandle, RunRequest, RunResult, RunStatus, RunnerOptions } from '../../sandbox/types';
import {
  eventually,
  leftoverContainers,
  needDocker,
  NODE_IMAGE,
  permissivePolicy,
  PYTHON_IMAGE,
  recordingSink,
  suiteActor,
  type RecordingSink,
} from './dockerEnv';

const ACTOR = suiteActor('runner');
const MiB = 1024 * 1024;
const auditDir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-audit-'));
process.env.SANDBOX_GUARD_AUDIT_LOG = join(auditDir, 'audit.jsonl');

interface Started {
  handle: RunHandle;
  sink: RecordingSink;
}

function start(
  code: string,
  req: Partial<RunRequest> = {},
  hooks: { onStatus?: (e: RunStatus) => void; onOutput?: (t: string) => void } = {},
  options: RunnerOptions = {},
): Started {
  const sink = recordingSink(hooks.onStatus, hooks.onOutput);
  const handle = startRun(
    {
      code,
      languageId: 'python',
      image: PYTHON_IMAGE,
      policy: permissivePolicy(),
      ...req,
      limits: { timeoutMs: 20_000, ...req.limits },
    },
    sink,
    { actor: ACTOR, pull: 'never', ...options },
  );
  return { handle, sink };
}

async function run(code: string, req: Partial<RunRequest> = {}, options: RunnerOptions = {}) {
  const { handle, sink } = start(code, req, {}, options);
  const result = await handle.result;
  return { result, sink };
}

function assertExit(result: RunResult, code: number): void {
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  assert.equal(result.reason, 'exit', result.refusal);
  assert.equal(result.exitCode, code);
}

after(async () => {
  const left = await leftoverContainers(ACTOR).catch(() => []);
  assert.deepEqual(left, [], 'containers left behind by this suite');
});

test('hello world in Python', async (t) => {
  if (!(await needDocker(t))) return;
  const { result, sink } = await run('print("hello from python")\n');
  assertExit(result, 0);
  assert.equal(sink.out, 'hello from python\n');
  assert.equal(sink.err, '');
  const started = sink.events.find((e) => e.kind === 'started');
  assert.ok(started && started.kind === 'started' && /^[0-9a-f]{64}$/.test(started.containerId));
  assert.equal(started.image, PYTHON_IMAGE);
  assert.equal(started.network, 'none');
  assert.deepEqual(
    sink.order.filter((x, i, all) => x !== 'S:pulling' && x !== all[i - 1]),
    ['S:started', 'O', 'S:finished'],
    'the header event comes before any output, the end after all of it',
  );
  const finished = sink.events.find((e) => e.kind === 'finished');
  assert.ok(finished && finished.kind === 'finished' && finished.result.reason === 'exit');
  assert.equal(result.truncated, false);
  assert.equal(result.image, PYTHON_IMAGE);
});

test('hello world in JavaScript', async (t) => {
  if (!(await needDocker(t))) return;
  const { result, sink } = await run('console.log("hello from " + ["java", "script"].join(""));\n', {
    languageId: 'javascript',
    image: NODE_IMAGE,
  });
  assertExit(result, 0);
  assert.equal(sink.out, 'hello from javascript\n');
});

test('stdout and stderr stay apart, and the exit code is the program’s', async (t) => {
  if (!(await needDocker(t))) return;
  const code = [
    'import sys',
    'for i in range(3):',
    '    print(f"out {i}", flush=True)',
    '    print(f"err {i}", file=sys.stderr, flush=True)',
    'sys.exit(42)',
  ].join('\n');
  const { result, sink } = await run(code);
  assertExit(result, 42);
  assert.equal(sink.out, 'out 0\nout 1\nout 2\n');
  assert.equal(sink.err, 'err 0\nerr 1\nerr 2\n');
  const { result: r2 } = await run('raise SystemExit(0)');
  assertExit(r2, 0);
  const { result: r3, sink: s3 } = await run('raise ValueError("boom")');
  assertExit(r3, 1);
  assert.match(s3.err, /ValueError: boom/);
});

test('the unsaved text is what runs, and the file on disk is untouched', async (t) => {
  if (!(await needDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-file-'));
  const file = join(dir, 'script.py');
  writeFileSync(file, 'print("saved version")\n');
  const before = statSync(file);
  const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex');
  const h0 = hash();
  const { result, sink } = await run('print("unsaved version")\n', { fileName: file });
  assertExit(result, 0);
  assert.equal(sink.out, 'unsaved version\n');
  assert.equal(hash(), h0);
  assert.equal(statSync(file).mtimeMs, before.mtimeMs);
  assert.equal(statSync(file).mode, before.mode);
});

test('the code is delivered read-only, also through the archive path used for remote engines', async (t) => {
  if (!(await needDocker(t))) return;
  const code = [
    'import os',
    'print(sorted(os.listdir("/sandbox")))',
    'for p in ["/sandbox/main.py", "/sandbox/new.py"]:',
    '    try:',
    '        open(p, "w").write("x")',
    '        print("WROTE", p)',
    '    except OSError as e:',
    '        print("denied", p, e.errno)',
  ].join('\n');
  for (const delivery of ['bind', 'archive'] as const) {
    const { result, sink } = await run(code, {}, { delivery });
    assertExit(result, 0);
    assert.match(sink.out, /^\['main\.py'\]\n/, delivery);
    assert.doesNotMatch(sink.out, /WROTE/, delivery);
    assert.equal((sink.out.match(/denied/g) ?? []).length, 2, delivery);
  }
});

test('the wall-clock timeout kills the container', async (t) => {
  if (!(await needDocker(t))) return;
  const { result, sink } = await run(
    'import time\nprint("going to sleep", flush=True)\nwhile True:\n    time.sleep(1)\n',
    {
      limits: { timeoutMs: 1500 },
    },
  );
  assert.equal(result.reason, 'timeout');
  assert.equal(result.exitCode, 137);
  assert.equal(sink.out, 'going to sleep\n');
  // A busy loop that ignores SIGTERM ends the same way (the kill is SIGKILL).
  const busy = await run(
    'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n',
    {
      limits: { timeoutMs: 1000 },
    },
  );
  assert.equal(busy.result.reason, 'timeout');
});

test('out of memory is reported from the container state', async (t) => {
  if (!(await needDocker(t))) return;
  const { result } = await run('chunks = []\nwhile True:\n    chunks.append(b"x" * (16 << 20))\n', {
    limits: { memoryBytes: 64 * MiB },
  });
  assert.equal(result.reason, 'oom');
  assert.equal(result.exitCode, 137);
});

test('a fork bomb is contained by the pids limit and ended by the timeout', async (t) => {
  if (!(await needDocker(t))) return;
  const counted = await run(
    [
      'import os, time',
      'n, err = 0, None',
      'while n < 10000:',
      '    try:',
      '        pid = os.fork()',
      '    except OSError as e:',
      '        err = e.errno',
      '        break',
      '    if pid == 0:',
      '        time.sleep(60)',
      '        os._exit(0)',
      '    n += 1',
      'print("forked", n, "errno", err, flush=True)',
    ].join('\n'),
    { limits: { pids: 32 } },
  );
  assertExit(counted.result, 0);
  const m = /forked (\d+) errno (\d+)/.exec(counted.sink.out);
  assert.ok(m, counted.sink.out);
  assert.ok(Number(m[1]) < 32, `forked ${m[1]} processes under a limit of 32`);
  assert.equal(Number(m[2]), 11); // EAGAIN
  const bomb = await run(
    'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
    {
      limits: { pids: 32, timeoutMs: 2000 },
    },
  );
  assert.equal(bomb.result.reason, 'timeout');
});

test('writes outside /tmp fail; /tmp fills up at its cap', async (t) => {
  if (!(await needDocker(t))) return;
  const code = [
    'import os',
    'for p in ["/pwned", "/etc/pwned", "/usr/bin/pwned", "/sandbox/pwned", "/root/pwned", "/var/tmp/pwned", "/home/pwned"]:',
    '    try:',
    '        open(p, "w").write("x")',
    '        print("WROTE", p)',
    '    except OSError as e:',
    '        print("denied", p, e.errno)',
    'total = 0',
    'try:',
    '    with open("/tmp/fill", "wb") as f:',
    '        while True:',
    '            f.write(b"\\0" * 65536)',
    '            f.flush()',
    '            total += 65536',
    'except OSError as e:',
    '    print("tmp errno", e.errno, "total", total)',
  ].join('\n');
  const { result, sink } = await run(code, { limits: { tmpfsBytes: 8 * MiB } });
  assertExit(result, 0);
  assert.doesNotMatch(sink.out, /WROTE/);
  for (const m of sink.out.matchAll(/denied \S+ (\d+)/g)) assert.ok(['30', '13'].includes(m[1]), m[0]); // EROFS/EACCES
  assert.equal((sink.out.match(/denied/g) ?? []).length, 7);
  const tmp = /tmp errno (\d+) total (\d+)/.exec(sink.out);
  assert.ok(tmp, sink.out);
  assert.equal(Number(tmp[1]), 28); // ENOSPC
  assert.ok(
    Number(tmp[2]) <= 8 * MiB && Number(tmp[2]) >= 7 * MiB,
    `wrote ${tmp[2]} bytes into an 8 MiB /tmp`,
  );
});

test('there is no network: connects fail at once, DNS fails, only loopback exists', async (t) => {
  if (!(await needDocker(t))) return;
  const code = [
    'import socket',
    'for addr in [("1.1.1.1", 53), ("172.17.0.1", 2375), ("10.0.0.1", 80)]:',
    '    s = socket.socket()',
    '    s.settimeout(10)',
    '    try:',
    '        s.connect(addr)',
    '        print("CONNECTED", addr)',
    '    except OSError as e:',
    '        print("connect", addr[0], "errno", e.errno)',
    'try:',
    '    socket.getaddrinfo("example.com", 80)',
    '    print("RESOLVED")',
    'except OSError as e:',
    '    print("dns failed")',
    'print("ifaces", sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]))',
  ].join('\n');
  const { result, sink } = await run(code);
  assertExit(result, 0);
  assert.doesNotMatch(sink.out, /CONNECTED|RESOLVED/);
  // ENETUNREACH: refused by the kernel immediately, not a timeout.
  assert.equal((sink.out.match(/connect \S+ errno 101/g) ?? []).length, 3, sink.out);
  assert.match(sink.out, /dns failed/);
  assert.match(sink.out, /ifaces \['lo'\]/);
});

test('non-root, no capabilities, no-new-privileges, seccomp: inside and from outside', async (t) => {
  if (!(await needDocker(t))) return;
  let containerId = '';
  const { handle, sink } = start(
    'import sys\nprint(open("/proc/self/status").read(), flush=True)\nsys.stdin.readline()\nprint("bye")\n',
    { stdin: true },
    {
      onStatus: (e) => {
        if (e.kind === 'started') containerId = e.containerId;
      },
    },
  );
  try {
    await eventually(() => sink.out.includes('Seccomp:'), 15_000, 'the status dump');
    const status = sink.out;
    assert.match(status, /^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    assert.match(status, /^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
    for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
      assert.match(status, new RegExp(`^${cap}:\\s+0000000000000000$`, 'm'), cap);
    }
    assert.match(status, /^NoNewPrivs:\s+1$/m);
    assert.match(status, /^Seccomp:\s+2$/m);

    const info = await connectDocker().docker.getContainer(containerId).inspect();
    const hc = info.HostConfig as unknown as Record<string, unknown>;
    assert.equal(info.Config.User, '65534:65534');
    assert.deepEqual(hc.CapDrop, ['ALL']);
    assert.ok(!hc.CapAdd || (hc.CapAdd as string[]).length === 0);
    assert.deepEqual(hc.SecurityOpt, ['no-new-privileges:true']);
    assert.equal(hc.Privileged, false);
    assert.equal(hc.ReadonlyRootfs, true);
    assert.equal(hc.NetworkMode, 'none');
    assert.equal((info.Config as unknown as Record<string, unknown>).NetworkDisabled, true);
    assert.equal(hc.Memory, 512 * MiB);
    assert.equal(hc.MemorySwap, 512 * MiB);
    assert.equal(hc.NanoCpus, 1e9);
    assert.equal(hc.PidsLimit, 128);
    assert.equal(hc.Init, true);
    assert.equal((hc.LogConfig as { Type: string }).Type, 'none');
    assert.ok(Array.isArray(hc.MaskedPaths) && (hc.MaskedPaths as string[]).includes('/proc/kcore'));
    // The container's PID 1, seen from the host kernel (local engines only).
    const pid = info.State.Pid;
    let hostStatus: string | undefined;
    try {
      hostStatus = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      // Remote or VM-backed engine: the inspect checks above must do.
    }
    if (hostStatus) {
      assert.match(hostStatus, /^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      assert.match(hostStatus, /^CapEff:\s+0000000000000000$/m);
      assert.match(hostStatus, /^NoNewPrivs:\s+1$/m);
    }
  } finally {
    handle.writeStdin('go\n');
    handle.endStdin();
  }
  const result = await handle.result;
  assertExit(result, 0);
  assert.match(sink.out, /bye\n$/);
});

test('no host environment is visible', async (t) => {
  if (!(await needDocker(t))) return;
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  process.env.SANDBOX_GUARD_TEST_CANARY = canary;
  try {
    const code = [
      'import os',
      'print("KEYS", " ".join(sorted(os.environ)))',
      'print("HOME", os.environ.get("HOME"))',
      'print("ENV1", open("/proc/1/environ", "rb").read().replace(b"\\0", b" ").decode())',
      'print("ENVSELF", open("/proc/self/environ", "rb").read().replace(b"\\0", b" ").decode())',
    ].join('\n');
    const { result, sink } = await run(code);
    assertExit(result, 0);
    assert.ok(!sink.out.includes(canary), 'a host variable reached the container');
    const image = await connectDocker().docker.getImage(PYTHON_IMAGE).inspect();
    const imageKeys = (image.Config.Env ?? []).map((e) => e.split('=')[0]);
    const allowed = new Set([
      ...imageKeys,
      'HOME',
      'LANG',
      'TMPDIR',
      'PYTHONDONTWRITEBYTECODE',
      'PYTHONUNBUFFERED',
      'HOSTNAME',
    ]);
    const keys = /KEYS (.*)/.exec(sink.out)?.[1].split(' ') ?? [];
    for (const k of keys) assert.ok(allowed.has(k), `unexpected variable ${k}`);
    assert.match(sink.out, /HOME \/tmp/);
  } finally {
    delete process.env.SANDBOX_GUARD_TEST_CANARY;
  }
});

test('1 GB of output is capped by bytes without host memory growth', async (t) => {
  if (!(await needDocker(t))) return;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    // 1 GiB in 1 MiB writes with no newline anywhere, then one 256 MiB line in a single write.
    const flood = await run(
      'import sys\nw = sys.stdout.buffer.write\nfor _ in range(1024):\n    w(b"x" * (1 << 20))\n',
    );
    assert.equal(flood.result.reason, 'output-limit');
    assert.equal(flood.result.truncated, true);
    assert.equal(flood.result.exitCode, 137);
    assert.ok(flood.sink.out.length <= MiB, `delivered ${flood.sink.out.length} chars`);
    assert.ok(flood.sink.out.length >= MiB - 16, `delivered only ${flood.sink.out.length} chars`);
    assert.match(flood.sink.out, /^x+$/);
    const line = await run('import sys\nsys.stderr.buffer.write(b"y" * (256 << 20))\n', {
      limits: { outputBytes: 64 * 1024 },
    });
    assert.equal(line.result.reason, 'output-limit');
    assert.equal(line.sink.err.length, 64 * 1024);
  } finally {
    clearInterval(sample);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  assert.ok(peak - rssBefore < 96 * MiB, `host RSS grew by ${((peak - rssBefore) / MiB).toFixed(1)} MiB`);
});

function hostProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) found.push(Number(name));
    } catch {
      // exited while scanning
    }
  }
  return found;
}

test('a detached grandchild dies with the run', async (t) => {
  if (!(await needDocker(t))) return;
  const marker = `sandbox-guard-grandchild-${randomBytes(6).toString('hex')}`;
  const code = [
    'import os, sys',
    'if os.fork() == 0:',
    '    os.setsid()',
    '    if os.fork() == 0:',
    `        os.execv(sys.executable, [sys.executable, "-c", "import time\\nwhile True: time.sleep(1)", "${marker}"])`,
    '    os._exit(0)',
    'os.wait()',
    'print("spawned", flush=True)',
    'sys.stdin.readline()',
  ].join('\n');
  const { handle, sink } = start(code, { stdin: true });
  let visible = true;
  try {
    await eventually(() => sink.out.includes('spawned'), 15_000, 'the grandchild to be spawned');
    try {
      await eventually(() => hostProcessesWith(marker).length > 0, 10_000, 'the grandchild on the host');
    } catch {
      visible = false;
    }
  } finally {
    handle.endStdin();
  }
  const result = await handle.result;
  assertExit(result, 0);
  if (!visible)
    return t.skip('container processes are not visible from this host (remote or VM-backed engine)');
  // Removal has completed when `result` resolves; allow the kernel a moment to reap.
  await eventually(() => hostProcessesWith(marker).length === 0, 10_000, 'the grandchild to die');
});

test('invalid UTF-8 and terminal escape sequences are rendered safely', async (t) => {
  if (!(await needDocker(t))) return;
  const code = [
    'import sys',
    'w = sys.stdout.buffer.write',
    'w(b"A\\xff\\xfeB\\n")',
    'w(b"\\x1b]0;pwned-title\\x07")',
    'w(b"\\x1b[2J\\x1b[H\\x1bc")',
    'w(b"\\x1b]8;;http://evil.example/\\x1b\\\\link\\x1b]8;;\\x1b\\\\\\n")',
    'w(b"\\x1b[31mred\\x1b[0m\\n")',
    'w(b"\\x1b[8mhidden\\x1b[0m\\n")',
    'w(b"secret\\rSAFE\\n")',
    'w(b"\\x1b]52;c;ZXZpbA==\\x07")',
    'w(b"\\xe2\\x80\\xaeevil\\n")',
    'w(b"bell\\x07back\\x08\\n")',
    'w(b"\\xe2\\x82")',
    'sys.stdout.flush()',
    'sys.stderr.buffer.write(b"\\x1b[1;32mgreen\\x1b[0m\\x1b[?1049h\\n")',
  ].join('\n');
  const { result, sink } = await run(code);
  assertExit(result, 0);
  const out = sink.out;
  assert.match(out, /^A\uFFFD+B\n/);
  assert.ok(!out.includes('pwned-title') && !out.includes('evil.example') && !out.includes('ZXZpbA'));
  assert.ok(out.includes('\x1b[31mred\x1b[0m\n'), 'plain colour kept');
  assert.ok(out.includes('link'));
  assert.ok(out.includes('hidden') && !out.includes('\x1b[8m'));
  assert.ok(out.includes('secret\nSAFE\n'), 'a carriage return cannot overwrite text');
  assert.ok(!out.includes('\u202e'));
  assert.ok(out.includes('bell\u2407back\u2408'));
  assert.ok(
    out.endsWith('\uFFFD') || out.includes('\uFFFD\x1b[0m'),
    'a truncated character at the end is replaced',
  );
  for (const m of out.matchAll(/\x1b/g))
    assert.match(out.slice(m.index), /^\x1b\[[0-9;]*m/, 'only SGR survives');
  assert.ok(sink.err.includes('\x1b[1;32mgreen\x1b[0m') && !sink.err.includes('\x1b[?1049h'));
});

test('without stdin the program reads EOF at once; with it, input is forwarded', async (t) => {
  if (!(await needDocker(t))) return;
  const eof = await run('try:\n    input()\n    print("GOT LINE")\nexcept EOFError:\n    print("EOF")\n');
  assertExit(eof.result, 0);
  assert.equal(eof.sink.out, 'EOF\n');
  const { handle, sink } = start(
    'import sys\nfor line in sys.stdin:\n    print("echo", line.strip(), flush=True)\nprint("done")\n',
    {
      stdin: true,
    },
  );
  handle.writeStdin('first\n'); // queued until attached
  await eventually(() => sink.out.includes('echo first'), 15_000, 'the first echo');
  handle.writeStdin(Buffer.from('second\n'));
  handle.endStdin();
  const result = await handle.result;
  assertExit(result, 0);
  assert.equal(sink.out, 'echo first\necho second\ndone\n');
});

test('stop() ends a running program and removes its container', async (t) => {
  if (!(await needDocker(t))) return;
  let id = '';
  const { handle, sink } = start(
    'import time\nprint("up", flush=True)\ntime.sleep(600)\n',
    {},
    {
      onStatus: (e) => {
        if (e.kind === 'started') id = e.containerId;
      },
    },
  );
  await eventually(() => sink.out.includes('up'), 15_000, 'the program to start');
  await handle.stop();
  const result = await handle.result;
  assert.equal(result.reason, 'stopped');
  await assert.rejects(connectDocker().docker.getContainer(id).inspect(), /no such container/i);
  // Stopping before anything started is also clean.
  const early = start('print("never")');
  await early.handle.stop();
  const r2 = await early.handle.result;
  assert.equal(r2.reason, 'stopped');
  assert.equal(early.sink.out, '');
});

test('every run is written to the audit log', async (t) => {
  if (!(await needDocker(t))) return;
  const code = 'print("audited")\n';
  const { result } = await run(code, { fileName: 'audited.py' });
  assertExit(result, 0);
  const lines = readFileSync(process.env.SANDBOX_GUARD_AUDIT_LOG!, 'utf8').trim().split('\n');
  const entry = lines.map((l) => JSON.parse(l)).find((e) => e.file === 'audited.py');
  assert.ok(entry, 'no audit entry');
  assert.equal(entry.sha256, createHash('sha256').update(code).digest('hex'));
  assert.equal(entry.verdict, 'ran');
  assert.equal(entry.exitCode, 0);
  assert.equal(entry.reason, 'exit');
  assert.equal(entry.language, 'python');
  assert.equal(entry.image, PYTHON_IMAGE);
  assert.equal(entry.policy, 'test-permissive');
  assert.equal(entry.actor, ACTOR);
  assert.equal(typeof entry.durationMs, 'number');
  assert.ok(!Number.isNaN(Date.parse(entry.time)));
});
