// The server as a process: raw protocol abuse (not JSON, not JSON-RPC, oversized lines), stdout purity,
// piped requests, command-line options, the user config file, the workspace policy file it must ignore,
// and tool results when Docker cannot be reached. None of this needs Docker.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect, RawServer, readAudit, runCli, sandboxDir } from './harness';

type Msg = Record<string, unknown>;
const errorOf = (m: Msg) => m.error as { code: number; message: string } | undefined;

describe('MCP server over raw stdio', () => {
  it('answers garbage, non-JSON-RPC and oversized messages with errors and keeps serving; stdout is protocol only', async () => {
    const box = sandboxDir();
    const raw = new RawServer([], box.env, box.dir);
    try {
      await raw.initialize();
      raw.send('this is not json {');
      const parse = await raw.waitFor((m) => errorOf(m)?.code === -32700);
      assert.equal('id' in parse, false);

      raw.send({ id: 5, hello: 'world' });
      const invalid = await raw.waitFor((m) => m.id === 5);
      assert.equal(errorOf(invalid)?.code, -32600);

      raw.send([{ jsonrpc: '2.0', id: 6, method: 'tools/list' }]);
      await raw.waitFor((m) => errorOf(m)?.code === -32600 && /batch/.test(errorOf(m)?.message ?? ''));

      // 9 MB in one line: skipped without being buffered, answered with its id.
      raw.send(
        `{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"check_code","arguments":{"language":"python","code":"${'x'.repeat(9 * 1024 * 1024)}"}}}`,
      );
      const big = await raw.waitFor((m) => m.id === 77, 60_000);
      assert.equal(errorOf(big)?.code, -32600);
      assert.match(errorOf(big)?.message ?? '', /larger than/);

      raw.send({ jsonrpc: '2.0', id: 8, method: 'tools/list' });
      const list = await raw.waitFor((m) => m.id === 8);
      assert.equal((list.result as { tools: unknown[] }).tools.length, 4);

      raw.send({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'check_code', arguments: { code: 'eval("1")', language: 'python' } },
      });
      const check = await raw.waitFor((m) => m.id === 9);
      assert.equal(
        (check.result as { structuredContent: { verdict: string } }).structuredContent.verdict,
        'blocked',
      );

      // Every stdout line is a JSON-RPC message (messages() throws on anything else).
      for (const m of raw.messages()) assert.equal(m.jsonrpc, '2.0');
      assert.match(raw.stderr, /serving on stdio/);
    } finally {
      raw.kill();
      box.cleanup();
    }
  });

  it('answers requests piped in before stdin closes, then exits 0', async () => {
    const box = sandboxDir();
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '0' } },
    };
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'check_code', arguments: { code: 'import subprocess\n', language: 'python' } },
    };
    const input =
      [init, { jsonrpc: '2.0', method: 'notifications/initialized' }, call]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n';
    try {
      const r = await runCli(['mcp'], box.env, input);
      assert.equal(r.code, 0, r.stderr);
      const msgs = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Msg);
      const res = msgs.find((m) => m.id === 2)?.result as {
        structuredContent: { verdict: string; findings: { line: number }[] };
      };
      assert.equal(res.structuredContent.verdict, 'blocked');
      assert.equal(res.structuredContent.findings[0].line, 1);
      const audit = readAudit(box.auditLog);
      assert.equal(audit[0]?.actor, 'mcp:pipe');
    } finally {
      box.cleanup();
    }
  });
});

describe('sandbox-guard mcp options and configuration', () => {
  it('prints usage for --help and rejects bad options with exit 2 and nothing on stdout', async () => {
    const box = sandboxDir();
    try {
      const help = await runCli(['mcp', '--help'], box.env);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /--max-concurrent/);
      for (const bad of [
        ['--timeout', '0'],
        ['--queue', 'sometimes'],
        ['--max-concurrent', '0'],
        ['--image', 'cobol=foo'],
        ['--memory', 'lots'],
        ['--preset', 'strict', '--policy', 'x.json'],
        ['--frobnicate'],
      ]) {
        const r = await runCli(['mcp', ...bad], box.env);
        assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '', bad.join(' '));
        assert.match(r.stderr, /sandbox-guard mcp: /);
      }
      const missing = await runCli(['mcp', '--policy', join(box.dir, 'nope.json')], box.env);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /file not found/);
    } finally {
      box.cleanup();
    }
  });

  it('ignores a sandbox-guard.json in its working directory (the agent can write there)', async () => {
    const box = sandboxDir();
    writeFileSync(
      join(box.dir, 'sandbox-guard.json'),
      JSON.stringify({ name: 'agent-wrote-this', severity_threshold: 'SAFE' }),
    );
    const s = await connect([], { clientName: 'cwd-test', cwd: box.dir });
    try {
      const r = await s.client.callTool({ name: 'list_policies', arguments: {} });
      const active = (r.structuredContent as { active: { name: string; source: string } }).active;
      assert.equal(active.name, 'recommended');
      assert.equal(active.source, 'preset:recommended');
    } finally {
      await s.close();
      box.cleanup();
    }
  });

  it('reads the user config file, with command-line options taking precedence', async () => {
    const box = sandboxDir();
    const configDir = join(box.dir, 'config', 'sandbox-guard');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        mcp: {
          preset: 'strict',
          timeoutSeconds: 7,
          maxConcurrent: 3,
          images: { python: 'example/python:1' },
        },
      }),
    );
    const env = { XDG_CONFIG_HOME: join(box.dir, 'config') };
    const a = await connect([], { clientName: 'config-a', env });
    const b = await connect(['--preset', 'minimal', '--timeout', '4'], { clientName: 'config-b', env });
    try {
      type LP = {
        active: { name: string };
        sandbox: {
          limits: { timeout_seconds: number };
          max_concurrent: number;
          images: Record<string, string>;
        };
      };
      const ra = (await a.client.callTool({ name: 'list_policies', arguments: {} })).structuredContent as LP;
      assert.equal(ra.active.name, 'strict');
      assert.equal(ra.sandbox.limits.timeout_seconds, 7);
      assert.equal(ra.sandbox.max_concurrent, 3);
      assert.equal(ra.sandbox.images.python, 'example/python:1');
      const rb = (await b.client.callTool({ name: 'list_policies', arguments: {} })).structuredContent as LP;
      assert.equal(rb.active.name, 'minimal');
      assert.equal(rb.sandbox.limits.timeout_seconds, 4);
    } finally {
      await a.close();
      await b.close();
      box.cleanup();
    }
  });
});

describe('run tools when Docker cannot be reached', () => {
  it('refuses blocked code (no Docker needed), and reports the runner error as isError for clean code', async () => {
    const s = await connect([], {
      clientName: 'no-docker',
      env: { DOCKER_HOST: 'unix:///nonexistent/sandbox-guard-test.sock' },
    });
    try {
      const blocked = await s.client.callTool({
        name: 'run_code',
        arguments: { code: 'import subprocess\nsubprocess.run(["id"])\n', language: 'python' },
      });
      assert.equal(blocked.isError, true);
      const b = blocked.structuredContent as {
        reason: string;
        exit_code: null;
        findings: { blocking: boolean; line: number }[];
        message: string;
      };
      assert.equal(b.reason, 'blocked');
      assert.equal(b.exit_code, null);
      assert.ok(b.findings.length > 0 && b.findings.every((f) => f.blocking));
      assert.match(b.message, /blocks this code \(\d+ blocking findings?\); no container was created/);

      const clean = await s.client.callTool({
        name: 'run_code',
        arguments: { code: 'print("hi")\n', language: 'python' },
      });
      assert.equal(clean.isError, true);
      const c = clean.structuredContent as { reason: string; message: string };
      assert.equal(c.reason, 'error');
      assert.match(c.message, /Docker/);

      const exec = await s.client.callTool({ name: 'execute_code', arguments: { code: 'print(1)' } });
      assert.equal(exec.isError, true);
      const parsed = JSON.parse((exec.content as { text: string }[])[0].text) as {
        success: boolean;
        exit_code: null;
        stderr: string;
      };
      assert.equal(parsed.success, false);
      assert.match(parsed.stderr, /Docker/);

      const ruby = await s.client.callTool({
        name: 'execute_code',
        arguments: { code: 'puts 1', language: 'ruby', libraries: ['nokogiri'] },
      });
      assert.equal((ruby.structuredContent as { reason: string }).reason, 'unavailable');
      assert.match((ruby.structuredContent as { message: string }).message, /no network/);

      const cobol = await s.client.callTool({
        name: 'run_code',
        arguments: { code: 'x', language: 'cobol' },
      });
      assert.equal(cobol.isError, true);
      assert.match((cobol.structuredContent as { message: string }).message, /cannot run in the sandbox/);

      const audit = readAudit(s.box.auditLog);
      assert.ok(
        audit.some((e) => e.verdict === 'refused' && e.actor === 'mcp:no-docker' && e.reason === 'blocked'),
        JSON.stringify(audit),
      );
      assert.ok(audit.some((e) => e.verdict === 'error' && e.actor === 'mcp:no-docker'));
    } finally {
      await s.close();
    }
  });
});
