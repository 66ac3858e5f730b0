// `sandbox-guard run` end to end: the real CLI entry in a child process, its exit statuses and messages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { eventually, leftoverContainers, needDocker, NODE_IMAGE, PYTHON_IMAGE } from './dockerEnv';

const ROOT = resolve(__dirname, '..', '..');
// The built CLI (npm test builds first); else the source entry through tsx (addressed absolutely: the CLI
// runs in a scratch directory). SANDBOX_GUARD_TEST_CLI=source forces the source.
const BUILT = join(ROOT, 'dist', 'cli.js');
const ENTRY =
  existsSync(BUILT) && process.env.SANDBOX_GUARD_TEST_CLI !== 'source'
    ? [BUILT]
    : [
        '--import',
        pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        join(ROOT, 'cli/main.ts'),
      ];
const dir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-cli-'));
const AUDIT = join(dir, 'audit.jsonl');

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; uid?: number } = {},
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...ENTRY, 'run', ...args], {
      cwd: dir,
      env: { ...process.env, SANDBOX_GUARD_AUDIT_LOG: AUDIT, ...opts.env },
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const py = (name: string, text: string, ...extra: string[]) => [
  file(name, text),
  '--image',
  PYTHON_IMAGE,
  '--no-pull',
  ...extra,
];

after(async () => {
  const left = await leftoverContainers('cli').catch(() => []);
  assert.deepEqual(left, [], 'containers left behind by CLI runs');
});

test('run prints the program output and exits with its status', async (t) => {
  if (!(await needDocker(t))) return;
  const ok = await cli(py('hello.py', 'print("hello")\n'));
  assert.equal(ok.stdout, 'hello\n');
  assert.equal(ok.stderr, '');
  assert.equal(ok.status, 0);
  const three = await cli(
    py('three.py', 'import sys\nprint("to out")\nprint("to err", file=sys.stderr)\nsys.exit(3)\n'),
  );
  assert.equal(three.status, 3);
  assert.equal(three.stdout, 'to out\n');
  assert.equal(three.stderr, 'to err\n');
});

test('language comes from the extension; JavaScript runs with node', async (t) => {
  if (!(await needDocker(t))) return;
  const r = await cli([file('hello.js', 'console.log(6 * 7)\n'), '--image', NODE_IMAGE, '--no-pull']);
  assert.equal(r.stdout, '42\n');
  assert.equal(r.status, 0);
});

test('timeout exits 124, OOM and the output limit exit 137, each with the reason on stderr', async (t) => {
  if (!(await needDocker(t))) return;
  const slow = await cli(py('slow.py', 'import time\ntime.sleep(600)\n', '--timeout', '1'));
  assert.equal(slow.status, 124);
  assert.match(slow.stderr, /timed out after 1 s/);
  const hog = await cli(
    py('hog.py', 'x = []\nwhile True:\n    x.append(b"x" * (8 << 20))\n', '--memory', '48m'),
  );
  assert.equal(hog.status, 137);
  assert.match(hog.stderr, /out of memory/);
  const flood = await cli(py('flood.py', 'import sys\nwhile True:\n    sys.stdout.write("y" * 65536)\n'));
  assert.equal(flood.status, 137);
  assert.match(flood.stderr, /output limit of 1 MiB/);
  assert.ok(flood.stdout.length <= 1024 * 1024 && flood.stdout.length > 1000);
});

test('a blocked file exits 126 with its findings; --force runs it and is audited', async (t) => {
  const policy = file(
    'policy.json',
    JSON.stringify({
      name: 'cli-test',
      severity_threshold: 'MEDIUM',
      restricted_modules: [{ name: 'socket', description: 'network', severity: 'HIGH' }],
    }),
  );
  const code = 'import socket\nprint("ran anyway")\n';
  const blocked = await cli([...py('net.py', code), '--policy', policy]);
  assert.equal(blocked.status, 126);
  assert.equal(blocked.stdout, '');
  assert.match(blocked.stderr, /net\.py:1:\d+ HIGH \S*socket/);
  assert.match(blocked.stderr, /--force/);
  if (!(await needDocker(t))) return;
  const forced = await cli([...py('net.py', code), '--policy', policy, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(forced.stdout, 'ran anyway\n');
  const entries = readFileSync(AUDIT, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(entries.some((e) => e.verdict === 'refused' && e.actor === 'cli' && e.file.endsWith('net.py')));
  assert.ok(entries.some((e) => e.verdict === 'overridden' && e.exitCode === 0 && e.policy === 'cli-test'));
});

test('stdin is EOF without --stdin and forwarded with it', async (t) => {
  if (!(await needDocker(t))) return;
  const code = 'import sys\ndata = sys.stdin.read()\nprint("read", repr(data))\n';
  const closed = await cli(py('in.py', code), { input: 'ignored\n' });
  assert.equal(closed.stdout, "read ''\n");
  const forwarded = await cli([...py('in.py', code), '--stdin'], { input: 'line one\nline two\n' });
  assert.equal(forwarded.status, 0);
  assert.equal(forwarded.stdout, "read 'line one\\nline two\\n'\n");
});

test('Ctrl+C stops the run: exit 130 and the container is removed', async (t) => {
  if (!(await needDocker(t))) return;
  const child = spawn(
    process.execPath,
    [...ENTRY, 'run', ...py('long.py', 'import time\nprint("up", flush=True)\ntime.sleep(600)\n')],
    {
      cwd: dir,
      env: { ...process.env, SANDBOX_GUARD_AUDIT_LOG: AUDIT },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  await eventually(() => stdout.includes('up'), 60_000, 'the program to start');
  child.kill('SIGINT');
  assert.equal(await closed, 130, stderr);
  assert.match(stderr, /stopped/);
  assert.deepEqual(await leftoverContainers('cli'), []);
});

test('Docker and usage errors exit 125 with one clear message', async () => {
  const missingSock = join(dir, 'nowhere', 'docker.sock');
  const down = await cli(py('hello.py', 'print(1)\n'), { env: { DOCKER_HOST: `unix://${missingSock}` } });
  assert.equal(down.status, 125);
  assert.equal(down.stdout, '');
  assert.ok(down.stderr.includes(missingSock), down.stderr);
  assert.match(down.stderr, /Start Docker|Install Docker/);
  const remote = await cli(py('hello.py', 'print(1)\n'), { env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } });
  assert.equal(remote.status, 125);
  assert.match(remote.stderr, /unreachable/);
  const nofile = await cli([join(dir, 'does-not-exist.py')]);
  assert.equal(nofile.status, 125);
  assert.match(nofile.stderr, /no such file/);
  const lang = await cli([file('notes.txt', 'hello')]);
  assert.equal(lang.status, 125);
  assert.match(lang.stderr, /--language/);
  const flag = await cli(py('hello.py', 'print(1)\n', '--memory', 'lots'));
  assert.equal(flag.status, 125);
  assert.match(flag.stderr, /--memory/);
});

test('a missing image exits 125 naming the image and how to supply it', async (t) => {
  if (!(await needDocker(t))) return;
  const r = await cli([
    file('img.py', 'print(1)\n'),
    '--image',
    'sandbox-guard-test/absent:never',
    '--no-pull',
  ]);
  assert.equal(r.status, 125);
  assert.match(r.stderr, /sandbox-guard-test\/absent:never/);
  assert.match(r.stderr, /docker (pull|load)/);
});

test('permission denied on the socket is reported as such', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run the CLI as another user');
  try {
    for (const p of [ROOT, ENTRY[ENTRY.length - 1], join(ROOT, 'node_modules/tsx/package.json')])
      accessSync(p, constants.R_OK);
  } catch {
    return t.skip('the checkout is not readable by other users');
  }
  const sockDir = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-sock-'));
  chmodSync(sockDir, 0o755);
  chmodSync(dir, 0o755);
  const sock = join(sockDir, 'docker.sock');
  const server = createServer((c) => c.destroy());
  await new Promise<void>((r) => server.listen(sock, r));
  chmodSync(sock, 0o600);
  try {
    const script = file('perm.py', 'print(1)\n');
    chmodSync(script, 0o644);
    const r = await cli([script, '--image', PYTHON_IMAGE], {
      uid: 65534,
      env: { DOCKER_HOST: `unix://${sock}`, HOME: sockDir, SANDBOX_GUARD_AUDIT_LOG: 'off' },
    });
    if (/EACCES.*(tsx|node_modules)|Cannot find module/.test(r.stderr))
      return t.skip('the toolchain is not usable by other users');
    assert.equal(r.status, 125, r.stderr);
    assert.match(r.stderr, /Permission denied/);
    assert.match(r.stderr, /docker group/);
  } finally {
    server.close();
  }
});
