// The MCP server through the SDK's own client over stdio, without Docker: handshake, tool list and schemas,
// check_code, list_policies, argument and protocol errors, the audit log. (Runs: run.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { connect, readAudit, type Connected } from './harness';

type Structured = Record<string, unknown>;
type FindingOut = {
  rule: string;
  severity: string;
  line: number;
  column: number;
  blocking: boolean;
  message: string;
  suppressed: boolean;
};

describe('MCP server: protocol and check_code (no Docker needed)', () => {
  let s: Connected;

  before(async () => {
    s = await connect(['--preset', 'recommended'], { clientName: 'protocol-test' });
  });
  after(async () => {
    await s?.close();
  });

  it('identifies itself and tells the agent what it is for', () => {
    const info = s.client.getServerVersion();
    assert.equal(info?.name, 'sandbox-guard');
    assert.match(s.client.getInstructions() ?? '', /check_code/);
    assert.ok(s.client.getServerCapabilities()?.tools, 'tools capability');
  });

  it('lists the four tools with input and output schemas', async () => {
    const { tools } = await s.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ['check_code', 'execute_code', 'list_policies', 'run_code']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', `${t.name} input schema`);
      assert.equal(t.outputSchema?.type, 'object', `${t.name} output schema`);
      assert.ok(t.description && t.description.length > 40, `${t.name} description`);
      assert.equal(
        (t.inputSchema as { additionalProperties?: unknown }).additionalProperties,
        false,
        `${t.name} closed input`,
      );
    }
    assert.deepEqual(byName.get('check_code')?.inputSchema.required, ['code', 'language']);
    assert.deepEqual(byName.get('run_code')?.inputSchema.required, ['code', 'language']);
    assert.deepEqual(Object.keys(byName.get('run_code')?.inputSchema.properties ?? {}).sort(), [
      'code',
      'language',
      'stdin',
      'timeout_seconds',
    ]);
    assert.deepEqual(Object.keys(byName.get('execute_code')?.inputSchema.properties ?? {}).sort(), [
      'code',
      'language',
      'libraries',
      'timeout',
    ]);
    assert.deepEqual(byName.get('execute_code')?.inputSchema.required, ['code']);
    const runOut = byName.get('run_code')?.outputSchema?.properties ?? {};
    for (const k of ['exit_code', 'stdout', 'stderr', 'truncated', 'reason', 'duration_ms', 'findings'])
      assert.ok(k in runOut, `run_code output has ${k}`);
    assert.equal(byName.get('check_code')?.annotations?.readOnlyHint, true);
    assert.equal(byName.get('run_code')?.annotations?.readOnlyHint, false);
  });

  it('check_code reports blocking findings with 1-based lines and the verdict', async () => {
    const code = '# a comment that says subprocess is not code\nimport os as o\n\no.system("id")\n';
    const r = await s.client.callTool({ name: 'check_code', arguments: { code, language: 'python' } });
    assert.notEqual(r.isError, true);
    const sc = r.structuredContent as Structured;
    assert.equal(sc.verdict, 'blocked');
    assert.equal(sc.blocked, true);
    assert.equal(sc.language, 'python');
    assert.deepEqual(sc.policy, { name: 'recommended', source: 'preset:recommended', threshold: 'HIGH' });
    const findings = sc.findings as FindingOut[];
    const sys = findings.find((f) => f.rule.includes('os.system'));
    assert.ok(sys, `an os.system finding in ${JSON.stringify(findings)}`);
    assert.equal(sys.line, 4);
    assert.equal(sys.column, 1);
    assert.equal(sys.severity, 'HIGH');
    assert.equal(sys.blocking, true);
    assert.ok(!findings.some((f) => f.line === 1), 'the comment is not code');
    const text = (r.content as { type: string; text: string }[])[0].text;
    assert.match(text, /BLOCKED/);
    assert.match(text, /4:1 HIGH/);
  });

  it('check_code allows clean code and reports non-blocking findings as such', async () => {
    const r = await s.client.callTool({
      name: 'check_code',
      arguments: { code: 'import os\nos.remove("/tmp/x")\nprint(1)\n', language: 'py' },
    });
    const sc = r.structuredContent as Structured;
    assert.equal(sc.verdict, 'allowed');
    const findings = sc.findings as FindingOut[];
    assert.ok(findings.length > 0 && findings.every((f) => !f.blocking), JSON.stringify(findings));
    assert.equal(findings[0].severity, 'LOW');
  });

  it('check_code refuses an unknown language with a tool error naming the known ones', async () => {
    const r = await s.client.callTool({ name: 'check_code', arguments: { code: 'x', language: 'cobol' } });
    assert.equal(r.isError, true);
    assert.match((r.content as { text: string }[])[0].text, /Unknown language "cobol".*python/);
  });

  it('list_policies shows the presets, the active policy with its threshold, and the fixed sandbox limits', async () => {
    const r = await s.client.callTool({ name: 'list_policies', arguments: {} });
    const sc = r.structuredContent as {
      presets: { name: string; threshold: string; active: boolean }[];
      active: { name: string; threshold: string; threshold_level: number; restricted_modules: string[] };
      sandbox: { limits: { network: string; timeout_seconds: number }; max_concurrent: number };
    };
    assert.ok(sc.presets.some((p) => p.name === 'strict'));
    assert.deepEqual(
      sc.presets.filter((p) => p.active).map((p) => p.name),
      ['recommended'],
    );
    assert.equal(sc.active.name, 'recommended');
    assert.equal(sc.active.threshold, 'HIGH');
    assert.equal(sc.active.threshold_level, 3);
    assert.ok(sc.active.restricted_modules.includes('subprocess'));
    assert.equal(sc.sandbox.limits.network, 'none');
    assert.equal(sc.sandbox.limits.timeout_seconds, 30);
    assert.equal(sc.sandbox.max_concurrent, 2);
  });

  it('answers an unknown tool with a JSON-RPC InvalidParams error and keeps serving', async () => {
    await assert.rejects(s.client.callTool({ name: 'rm_rf', arguments: {} }), (e: unknown) => {
      assert.ok(e instanceof McpError);
      assert.equal(e.code, -32602);
      assert.match(e.message, /Unknown tool "rm_rf".*check_code/);
      return true;
    });
    const { tools } = await s.client.listTools();
    assert.equal(tools.length, 4);
  });

  it('answers invalid arguments with InvalidParams naming the problem', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ language: 'python' }, /code is required/],
      [{ code: 42, language: 'python' }, /code must be string/],
      [
        { code: 'print(1)', language: 'python', timeout_seconds: -1 },
        /timeout_seconds must be greater than 0/,
      ],
      [{ code: 'print(1)', language: 'python', timeout_seconds: 'long' }, /timeout_seconds must be number/],
      [
        { code: 'print(1)', language: 'python', image: 'ubuntu' },
        /unknown argument "image".*server's own configuration/,
      ],
      [{ code: 'print(1)', language: 'python', network: 'host' }, /unknown argument "network"/],
    ];
    for (const [args, re] of cases) {
      await assert.rejects(s.client.callTool({ name: 'run_code', arguments: args }), (e: unknown) => {
        assert.ok(e instanceof McpError, String(e));
        assert.equal(e.code, -32602);
        assert.match(e.message, re);
        return true;
      });
    }
    const ok = await s.client.callTool({
      name: 'check_code',
      arguments: { code: 'print(1)', language: 'python' },
    });
    assert.equal((ok.structuredContent as Structured).verdict, 'allowed');
  });

  it('answers a tools/call without a name with an error', async () => {
    const { CallToolResultSchema } = await import('@modelcontextprotocol/sdk/types.js');
    await assert.rejects(
      s.client.request({ method: 'tools/call', params: { arguments: {} } } as never, CallToolResultSchema),
      (e: unknown) => e instanceof McpError && e.code === -32602,
    );
    await assert.rejects(
      s.client.request({ method: 'no/such/method', params: {} } as never, CallToolResultSchema),
      (e: unknown) => e instanceof McpError && e.code === -32601,
    );
    assert.equal((await s.client.listTools()).tools.length, 4);
  });

  it('writes every call to the audit log with the client name', async () => {
    const entries = readAudit(s.box.auditLog);
    const checks = entries.filter((e) => e.tool === 'check_code');
    assert.ok(checks.length >= 3, `check_code entries: ${JSON.stringify(entries)}`);
    for (const e of entries) assert.equal(e.actor, 'mcp:protocol-test');
    const blocked = checks.find((e) => e.verdict === 'blocked');
    assert.match(String(blocked?.sha256), /^[0-9a-f]{64}$/);
    assert.ok(entries.some((e) => e.tool === 'list_policies' && e.verdict === 'listed'));
    assert.ok(entries.some((e) => e.tool === 'run_code' && e.verdict === 'invalid'));
  });
});
