// Languages, limits, code staging and engine addressing: the parts that need no engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { codeTarball, stageCodeDir, sweepStagingDirs } from '../../sandbox/codeDelivery';
import { resolveEndpoint } from '../../sandbox/dockerClient';
import { SandboxError } from '../../sandbox/errors';
import {
  containerFileName,
  expandCommand,
  LANGUAGES,
  resolveRuntime,
  runtimeKey,
} from '../../sandbox/languages';
import { DEFAULT_LIMITS, describeLimits, parseByteSize, resolveLimits } from '../../sandbox/limits';

test('every language has an image, an argv template with {file}, and an extension', () => {
  const expected: Record<string, string> = {
    python: 'python:3.12-slim',
    javascript: 'node:22-slim',
    typescript: 'node:22-slim',
    shellscript: 'debian:bookworm-slim',
  };
  for (const id of ['python', 'javascript', 'typescript', 'shellscript', 'go', 'java', 'c', 'cpp', 'ruby']) {
    const r = LANGUAGES[id];
    assert.ok(r, id);
    assert.ok(r.image.length > 0 && r.extension.startsWith('.'), id);
    assert.ok(
      r.command.some((a) => a.includes('{file}')),
      id,
    );
    if (expected[id]) assert.equal(r.image, expected[id]);
  }
  assert.ok(LANGUAGES.typescript.command.includes('--experimental-strip-types'));
  assert.ok(LANGUAGES.java.image.startsWith('eclipse-temurin'));
  assert.ok(LANGUAGES.c.image.startsWith('gcc') && LANGUAGES.cpp.image.startsWith('gcc'));
  assert.ok(LANGUAGES.go.image.startsWith('golang') && LANGUAGES.ruby.image.startsWith('ruby'));
});

test('aliases resolve, unknown languages do not, and settings override the image only', () => {
  assert.equal(runtimeKey('shell'), 'shellscript');
  assert.equal(runtimeKey('bash'), 'shellscript');
  assert.equal(runtimeKey('JavaScriptReact'), 'javascript');
  assert.equal(runtimeKey('PY'), 'python');
  assert.equal(runtimeKey('plaintext'), undefined);
  assert.equal(runtimeKey('r'), undefined);
  assert.equal(runtimeKey('__proto__'), undefined);
  const r = resolveRuntime('python', { images: { python: 'my/python:1' } });
  assert.equal(r?.image, 'my/python:1');
  assert.deepEqual(r?.command, LANGUAGES.python.command);
  assert.equal(LANGUAGES.python.image, 'python:3.12-slim', 'the table itself is not modified');
});

test('the container file name keeps accepted extensions only; {file} is the only substitution', () => {
  assert.equal(containerFileName(LANGUAGES.javascript, '/x/y/app.mjs'), 'main.mjs');
  assert.equal(containerFileName(LANGUAGES.javascript, 'Untitled-1'), 'main.js');
  assert.equal(containerFileName(LANGUAGES.python, '/x/evil name$(id).py'), 'main.py');
  assert.equal(containerFileName(LANGUAGES.python, 'x.sh'), 'main.py');
  assert.deepEqual(expandCommand(['sh', '-c', 'x "$1"', 'sh', '{file}', '$HOME {file}'], '/sandbox/main.c'), [
    'sh',
    '-c',
    'x "$1"',
    'sh',
    '/sandbox/main.c',
    '$HOME /sandbox/main.c',
  ]);
});

test('limits: defaults from the issue, overrides within bounds, sizes parsed like docker', () => {
  assert.deepEqual(DEFAULT_LIMITS, {
    timeoutMs: 30_000,
    memoryBytes: 512 * 1024 * 1024,
    cpus: 1,
    pids: 128,
    tmpfsBytes: 64 * 1024 * 1024,
    outputBytes: 1024 * 1024,
  });
  assert.equal(resolveLimits({ pids: 64 }).pids, 64);
  assert.throws(() => resolveLimits({ memoryBytes: 0 }), RangeError);
  assert.throws(() => resolveLimits({ timeoutMs: Number.NaN }), RangeError);
  assert.throws(() => resolveLimits({ pids: -1 }), RangeError);
  assert.equal(parseByteSize('512m'), 512 * 1024 * 1024);
  assert.equal(parseByteSize('1g'), 1024 ** 3);
  assert.equal(parseByteSize('64MiB'), 64 * 1024 * 1024);
  assert.equal(parseByteSize('1.5k'), 1536);
  assert.equal(parseByteSize('100'), 100);
  assert.equal(parseByteSize('lots'), undefined);
  assert.equal(parseByteSize('-1m'), undefined);
  assert.match(
    describeLimits(DEFAULT_LIMITS),
    /timeout 30 s, memory 512 MiB, 1 CPU, 128 pids, \/tmp 64 MiB, output 1 MiB/,
  );
});

test('staged code: private parent, read-only dir and file, removed by cleanup and by an expired sweep', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sandbox-guard-test-stage-'));
  const staged = await stageCodeDir('main.py', 'print(1)\n', Date.now() + 60_000, root);
  assert.equal(readFileSync(join(staged.dir, 'main.py'), 'utf8'), 'print(1)\n');
  assert.equal(statSync(join(staged.dir, 'main.py')).mode & 0o777, 0o444);
  assert.equal(statSync(staged.dir).mode & 0o777, 0o555);
  assert.equal(statSync(join(staged.dir, '..')).mode & 0o777, 0o700);
  await staged.cleanup();
  assert.equal(existsSync(join(staged.dir, '..')), false);

  const expired = await stageCodeDir('main.py', 'x', Date.now() - 1, root);
  const live = await stageCodeDir('main.py', 'x', Date.now() + 60_000, root);
  assert.equal(await sweepStagingDirs(Date.now(), root), 1);
  assert.equal(existsSync(expired.dir), false);
  assert.equal(existsSync(live.dir), true);
  await live.cleanup();
  assert.deepEqual(readdirSync(root), []);
});

test('the archive for remote engines holds a root-owned 0555 dir and 0444 file', () => {
  const tar = codeTarball('main.py', 'print("é")\n');
  assert.equal(tar.length % 512, 0);
  const list = spawnSync('tar', ['-tvf', '-', '--numeric-owner'], { input: tar, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.match(lines[0], /^dr-xr-xr-x 0\/0 .* \.\/$/);
  assert.match(lines[1], /^-r--r--r-- 0\/0 +12 .* \.\/main\.py$/);
  const content = spawnSync('tar', ['-xOf', '-', './main.py'], { input: tar, encoding: 'utf8' });
  assert.equal(content.stdout, 'print("é")\n');
  assert.throws(() => codeTarball('../evil.py', 'x'), RangeError);
});

test('engine addresses: local sockets, tcp, ssh, and a clear error for nonsense', () => {
  const unix = resolveEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' });
  assert.deepEqual(unix.endpoint, { kind: 'unix', address: '/run/user/1000/docker.sock', local: true });
  const tcp = resolveEndpoint({ DOCKER_HOST: 'tcp://10.1.2.3:2375' });
  assert.deepEqual(tcp.endpoint, { kind: 'tcp', address: 'tcp://10.1.2.3:2375', local: false });
  assert.equal(tcp.options.protocol, 'http');
  const tls = resolveEndpoint({ DOCKER_HOST: 'tcp://10.1.2.3:2376' });
  assert.equal(tls.options.protocol, 'https');
  const ssh = resolveEndpoint({ DOCKER_HOST: 'ssh://me@build.example' });
  assert.deepEqual(ssh.endpoint, { kind: 'ssh', address: 'ssh://me@build.example', local: false });
  const empty = resolveEndpoint({ HOME: mkdtempSync(join(tmpdir(), 'sandbox-guard-test-home-')) });
  assert.equal(empty.endpoint.local, true);
  assert.throws(
    () => resolveEndpoint({ DOCKER_HOST: 'ftp://x' }),
    (e: unknown) => e instanceof SandboxError && e.code === 'invalid-request' && e.hint.length > 0,
  );
});
