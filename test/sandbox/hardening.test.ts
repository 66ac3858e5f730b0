// The create body, field by field, and the fail-closed comparison against what an engine reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hardenedCreateOptions, LABELS, verifyApplied, type HardeningSpec } from '../../sandbox/hardening';
import { DEFAULT_LIMITS } from '../../sandbox/limits';

const MiB = 1024 * 1024;

function spec(over: Partial<HardeningSpec> = {}): HardeningSpec {
  return {
    image: 'python:3.12-slim',
    argv: ['python3', '-I', '-u', '/sandbox/main.py'],
    limits: DEFAULT_LIMITS,
    code: { kind: 'bind', hostDir: '/tmp/sandbox-guard-1-x/code' },
    ...over,
  };
}

test('the default body sets every hardening field explicitly', () => {
  const b = hardenedCreateOptions(spec({ labels: { [LABELS.run]: 'r1' } }));
  assert.equal(b.Image, 'python:3.12-slim');
  assert.deepEqual(b.Entrypoint, []);
  assert.deepEqual(b.Cmd, ['python3', '-I', '-u', '/sandbox/main.py']);
  assert.equal(b.User, '65534:65534');
  assert.equal(b.WorkingDir, '/sandbox');
  assert.equal(b.Tty, false);
  assert.equal(b.AttachStdin, false);
  assert.equal(b.OpenStdin, false);
  assert.equal(b.StdinOnce, false);
  assert.equal(b.AttachStdout, true);
  assert.equal(b.AttachStderr, true);
  assert.equal(b.NetworkDisabled, true);
  assert.equal(b.StopTimeout, 1);
  assert.deepEqual(b.Labels, { [LABELS.run]: 'r1', [LABELS.managed]: '1' });
  assert.deepEqual(b.Env.sort(), ['HOME=/tmp', 'LANG=C.UTF-8', 'TMPDIR=/tmp']);

  const h = b.HostConfig;
  assert.equal(h.NetworkMode, 'none');
  assert.equal(h.Privileged, false);
  assert.equal(h.ReadonlyRootfs, true);
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.ok(!('CapAdd' in h));
  assert.deepEqual(h.SecurityOpt, ['no-new-privileges:true']);
  assert.equal(h.Memory, 512 * MiB);
  assert.equal(h.MemorySwap, 512 * MiB);
  assert.equal(h.NanoCpus, 1_000_000_000);
  assert.equal(h.PidsLimit, 128);
  assert.deepEqual(h.Ulimits, [
    { Name: 'nofile', Soft: 256, Hard: 256 },
    { Name: 'core', Soft: 0, Hard: 0 },
    { Name: 'fsize', Soft: 80 * MiB, Hard: 80 * MiB },
  ]);
  assert.deepEqual(h.Tmpfs, { '/tmp': `rw,noexec,nosuid,nodev,size=${64 * MiB},mode=1777` });
  assert.deepEqual(h.Mounts, [
    { Type: 'bind', Source: '/tmp/sandbox-guard-1-x/code', Target: '/sandbox', ReadOnly: true },
  ]);
  assert.equal(h.IpcMode, 'private');
  assert.equal(h.CgroupnsMode, 'private');
  assert.equal(h.ShmSize, 16 * MiB);
  assert.equal(h.Init, true);
  assert.equal(h.AutoRemove, false);
  assert.equal(h.OomKillDisable, false);
  assert.equal(h.PublishAllPorts, false);
  assert.deepEqual(h.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(h.LogConfig, { Type: 'none', Config: {} });
  // Absent on purpose: sending [] would switch off Docker's default /proc masking.
  for (const k of ['MaskedPaths', 'ReadonlyPaths', 'Binds', 'Devices', 'PortBindings', 'Runtime']) {
    assert.ok(!(k in h), `${k} must not be sent`);
  }
});

test('limits, stdin, runtime, exec /tmp and extra env flow into the body', () => {
  const b = hardenedCreateOptions(
    spec({
      limits: { ...DEFAULT_LIMITS, memoryBytes: 64 * MiB, cpus: 0.5, pids: 32, tmpfsBytes: 8 * MiB },
      stdin: true,
      runtime: 'runsc',
      tmpExec: true,
      env: { GOCACHE: '/tmp/go', HOME: '/root' },
      user: '1000:1001',
    }),
  );
  assert.equal(b.HostConfig.Memory, 64 * MiB);
  assert.equal(b.HostConfig.MemorySwap, 64 * MiB);
  assert.equal(b.HostConfig.NanoCpus, 500_000_000);
  assert.equal(b.HostConfig.PidsLimit, 32);
  assert.equal(b.HostConfig.Tmpfs['/tmp'], `rw,exec,nosuid,nodev,size=${8 * MiB},mode=1777`);
  assert.equal(b.HostConfig.Runtime, 'runsc');
  assert.equal(b.AttachStdin, true);
  assert.equal(b.OpenStdin, true);
  assert.equal(b.StdinOnce, true);
  assert.equal(b.User, '1000:1001');
  assert.ok(b.Env.includes('GOCACHE=/tmp/go'));
  assert.ok(b.Env.includes('HOME=/tmp'), 'the fixed allowlist wins over extra env');
  assert.ok(!b.Env.includes('HOME=/root'));
});

test('network stays off unless a user-level setting asks for the bridge; anything else is refused', () => {
  const bridge = hardenedCreateOptions(spec({ network: 'bridge' }));
  assert.equal(bridge.HostConfig.NetworkMode, 'bridge');
  assert.equal(bridge.NetworkDisabled, false);
  assert.equal(hardenedCreateOptions(spec()).HostConfig.NetworkMode, 'none');
  for (const network of ['host', 'container:abc', 'default']) {
    assert.throws(() => hardenedCreateOptions(spec({ network: network as 'none' })), RangeError, network);
  }
});

test('remote delivery uses an anonymous, labelled volume instead of a bind', () => {
  const b = hardenedCreateOptions(spec({ code: { kind: 'volume' } }));
  assert.deepEqual(b.HostConfig.Mounts, [
    {
      Type: 'volume',
      Target: '/sandbox',
      ReadOnly: false,
      VolumeOptions: { NoCopy: true, Labels: { [LABELS.managed]: '1' } },
    },
  ]);
});

test('root, named users, bad env names and empty commands are refused', () => {
  for (const user of ['0', '0:0', '1000:0', 'root', 'nobody', '65534:x', '']) {
    assert.throws(() => hardenedCreateOptions(spec({ user })), RangeError, user);
  }
  assert.throws(() => hardenedCreateOptions(spec({ env: { 'BAD-NAME': 'x' } })), RangeError);
  assert.throws(() => hardenedCreateOptions(spec({ env: { OK: 'a\0b' } })), RangeError);
  assert.throws(() => hardenedCreateOptions(spec({ argv: [] })), RangeError);
  assert.throws(() => hardenedCreateOptions(spec({ image: '' })), RangeError);
});

/** What Docker 20.10 echoed for this body on the development machine (abridged to the compared fields). */
function echoOf(body: ReturnType<typeof hardenedCreateOptions>) {
  const h = body.HostConfig;
  return {
    Config: {
      User: body.User,
      Cmd: body.Cmd,
      Entrypoint: null,
      WorkingDir: body.WorkingDir,
      NetworkDisabled: true,
      OpenStdin: false,
      Env: ['PATH=/usr/bin:/bin', ...body.Env],
    },
    HostConfig: {
      ...JSON.parse(JSON.stringify(h)),
      Mounts: h.Mounts.map((m) => ({
        Type: m.Type,
        Source: m.Source,
        Target: m.Target,
        ReadOnly: m.ReadOnly || undefined,
      })),
      CapAdd: null,
      Binds: null,
      MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys'],
      UsernsMode: '',
      PidMode: '',
    },
  };
}

test('verifyApplied accepts a faithful echo and names every dropped or weakened setting', () => {
  const body = hardenedCreateOptions(spec());
  assert.deepEqual(verifyApplied(body, echoOf(body)), []);

  const dropped = echoOf(body);
  dropped.HostConfig.Memory = 0;
  dropped.HostConfig.PidsLimit = null;
  dropped.HostConfig.NanoCpus = 0;
  const problems = verifyApplied(body, dropped);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('HostConfig.Memory')));
  assert.ok(problems.some((p) => p.startsWith('HostConfig.PidsLimit')));

  const weakened = echoOf(body);
  weakened.HostConfig.MaskedPaths = [];
  weakened.HostConfig.CapAdd = ['SYS_ADMIN'];
  weakened.HostConfig.SecurityOpt = ['no-new-privileges:true', 'seccomp=unconfined'];
  weakened.HostConfig.PidMode = 'host';
  weakened.HostConfig.Binds = ['/:/host'];
  weakened.Config.User = '0:0';
  weakened.Config.Env = ['HOME=/tmp'];
  const w = verifyApplied(body, weakened);
  for (const needle of [
    'MaskedPaths',
    'CapAdd',
    'unconfined',
    'PidMode',
    'Binds',
    'Config.User',
    'Config.Env',
  ]) {
    assert.ok(
      w.some((p) => p.includes(needle)),
      `${needle} not reported in:\n${w.join('\n')}`,
    );
  }
  assert.ok(verifyApplied(body, {}).length > 10, 'an empty inspect must not pass');
});
