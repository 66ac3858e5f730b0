import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LM_CHECK_CODE_INPUT, LM_RUN_CODE_INPUT } from '../../../mcp/editorTools';
import { connectDocker } from '../../../sandbox/dockerClient';
import { LABELS } from '../../../sandbox/hardening';
import { sandboxGuard } from './api';
import { containerExists, pythonImage, requireDocker } from './docker';
import { scenario } from './harness';
import {
  EXTENSION_ID,
  openFile,
  poll,
  replaceAll,
  revertAndClose,
  setUserSetting,
  workspaceFile,
} from './util';

// An agent's view of Sandbox Guard in the editor: the language-model tools sandboxGuard_checkCode and
// sandboxGuard_runCode called through vscode.lm.invokeTool, and the contributed MCP server started by VS Code.
//
// Confirmation: outside a chat, VS Code calls the tool's prepareInvocation and shows its confirmation in a
// modal dialog; in an extension-test window (extensionTestsPath set) its DialogService answers every
// confirmation with "confirmed" without showing it. So invokeTool here proves that the editor prepared the
// call (invoke refuses a call that was not prepared) and that the run works; the confirmation's content is
// checked by calling prepareInvocation on the registered tool itself, as the editor does.

const CHECK = 'sandboxGuard_checkCode';
const RUN = 'sandboxGuard_runCode';
const ACTOR = 'vscode-lm';
const MCP_SERVER_ID = `${EXTENSION_ID}/Sandbox Guard`;

async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<string> {
  const t = token ?? new vscode.CancellationTokenSource().token;
  return resultText(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, t));
}

function resultText(r: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(r, 'the tool returned a result');
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface AuditRecord {
  actor?: string;
  verdict: string;
  reason?: string;
  sha256?: string;
  exitCode?: number | null;
  image?: string;
  tool?: string;
}

function audit(): AuditRecord[] {
  const path = process.env.SANDBOX_GUARD_AUDIT_LOG;
  if (!path || !existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** Containers the engine created for this actor since `sinceMs` (its event log, not a snapshot). */
async function containersCreatedSince(sinceMs: number, actor = ACTOR): Promise<string[]> {
  const stream = await connectDocker().docker.getEvents({
    since: Math.floor(sinceMs / 1000) - 1,
    until: Math.ceil(Date.now() / 1000),
    filters: { type: ['container'], event: ['create'], label: [`${LABELS.client}=${actor}`] },
  });
  let raw = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) raw += chunk.toString('utf8');
  // The query is in whole seconds; the event's own time is in nanoseconds.
  return raw
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; timeNano: number })
    .filter((e) => e.timeNano / 1e6 >= sinceMs)
    .map((e) => e.id);
}

async function registeredTool(name: string): Promise<vscode.LanguageModelTool<object>> {
  const tool = (await sandboxGuard()).languageModelTool(name);
  assert.ok(tool, `${name} is registered`);
  return tool;
}

const token = (): vscode.CancellationToken => new vscode.CancellationTokenSource().token;

scenario('agent tools: both language-model tools are registered with the contributed schemas', async () => {
  await sandboxGuard();
  const check = vscode.lm.tools.find((t) => t.name === CHECK);
  const run = vscode.lm.tools.find((t) => t.name === RUN);
  assert.ok(check && run, 'both tools are listed in vscode.lm.tools');
  assert.deepEqual(check.inputSchema, LM_CHECK_CODE_INPUT);
  assert.deepEqual(run.inputSchema, LM_RUN_CODE_INPUT);
  assert.match(check.description, /without running it/);
  assert.match(run.description, /no network/);
});

scenario('agent tools: check finds the blocking imports and calls, and checks the editor text', async () => {
  const blocked = await invoke(CHECK, {
    code: 'import subprocess\nsubprocess.run(["id"])\n',
    language: 'python',
  });
  assert.match(blocked, /^BLOCKED: .* \(policy recommended, threshold HIGH\)\. 2 findings, 2 blocking\./);
  assert.match(blocked, /^1:8 HIGH \[[^\]]*subprocess[^\]]*\] BLOCKS: /m);
  assert.match(blocked, /^2:1 HIGH \[call:subprocess[^\]]*\] BLOCKS: Use of restricted "subprocess\.run"/m);
  // A non-blocking finding is reported, and the verdict allows it.
  const allowed = await invoke(CHECK, { code: 'import socket\n', language: 'python' });
  assert.match(allowed, /^Allowed: .* 1 finding, 0 blocking\./);
  assert.match(allowed, /^1:8 MEDIUM \[module:socket\] reported: /m);

  // No code: the active editor's current, unsaved text.
  const editor = await openFile('hello.py');
  await replaceAll(editor, 'print("fine")\nimport subprocess  # unsaved\n');
  const active = await invoke(CHECK, {});
  assert.ok(active.startsWith(`${editor.document.uri.fsPath}: BLOCKED`), active);
  assert.match(active, /^2:8 HIGH .*subprocess.* BLOCKS/m);
  const byPath = await invoke(CHECK, { filePath: editor.document.uri.fsPath });
  assert.equal(byPath, active);
  await revertAndClose();

  // Each file is judged by its folder's policy: the "other" folder forbids json, "main" does not.
  const otherJson = await invoke(CHECK, {
    filePath: join(vscode.workspace.workspaceFolders![1].uri.fsPath, 'uses_json.py'),
  });
  assert.match(otherJson, /BLOCKED: .*\(policy other folder policy, threshold HIGH\)/);
  const mainJson = await invoke(CHECK, { filePath: workspaceFile('uses_json.py').fsPath });
  assert.match(mainJson, /Allowed: .*\(policy recommended, threshold HIGH\)/);
});

scenario('agent tools: check refuses files outside the workspace and calls it cannot serve', async () => {
  await assert.rejects(
    invoke(CHECK, { filePath: '/etc/passwd' }),
    /neither open in the editor nor inside a workspace folder/,
  );
  await assert.rejects(invoke(CHECK, { filePath: 'hello.py' }), /filePath must be an absolute path/);
  await assert.rejects(invoke(CHECK, { code: 'print(1)' }), /language is required/);
  await assert.rejects(invoke(CHECK, { code: 'x', language: 'cobol' }), /Unknown language "cobol"/);
  await assert.rejects(invoke(CHECK, { code: 1, language: 'python' }), /code must be string/);
});

scenario(
  'agent tools: run executes clean Python through invokeTool: exit code 0 and its output',
  async () => {
    await requireDocker();
    const api = await sandboxGuard();
    const code =
      'import sys\nprint("agent says hi")\nprint(sys.stdin.read().upper())\nprint("to stderr", file=sys.stderr)\n';
    const since = Date.now();
    const text = await invoke(RUN, { code, language: 'python', stdin: 'piped input', timeout_seconds: 10 });
    assert.match(
      text,
      new RegExp(
        `^The python program exited with code 0 after [\\d.]+ s in ${pythonImage()} \\(no network\\)\\.`,
      ),
    );
    assert.match(text, /stdout:\n`{3,}\nagent says hi\nPIPED INPUT\n`{3,}/);
    assert.match(text, /stderr:\n`{3,}\nto stderr\n`{3,}/);
    const line = audit().find((l) => l.actor === ACTOR && l.sha256 === sha256(code));
    assert.ok(line, 'the run is in the audit log as the agent tool');
    assert.equal(line.verdict, 'ran');
    assert.equal(line.exitCode, 0);
    // The run was listed with the user's runs, and its container is gone.
    const id = api.lastRunContainerId();
    assert.ok(id);
    // The engine's event log shows it (the refusal scenarios rely on that log showing nothing).
    assert.deepEqual(await containersCreatedSince(since), [id]);
    await assert.rejects(containerExists(id), /no such container/i);
  },
);

scenario(
  'agent tools: the run confirmation shows the image, every limit, clamping, policy and findings',
  async () => {
    await requireDocker();
    const tool = await registeredTool(RUN);
    const input = { code: 'import socket\nprint("confirmed")\n', language: 'python', timeout_seconds: 999 };
    const prepared = await tool.prepareInvocation!({ input }, token());
    assert.ok(prepared?.confirmationMessages, 'a run asks for confirmation');
    assert.equal(prepared.confirmationMessages.title, 'Run in Sandbox Guard?');
    const message = prepared.confirmationMessages.message;
    const md = typeof message === 'string' ? message : message.value;
    assert.match(md, new RegExp(`from \`${pythonImage()}\``));
    for (const part of [
      'timeout 30 s',
      'memory 512 MiB',
      '1 CPU',
      '128 pids',
      '/tmp 64 MiB',
      'output 1 MiB',
      'no network',
    ]) {
      assert.ok(md.includes(part), `the confirmation states "${part}": ${md}`);
    }
    assert.match(md, /clamped to the configured maximum/);
    assert.match(md, /\*\*Policy:\*\* recommended \(threshold HIGH\)/);
    assert.match(md, /Findings \(1, none blocks\)/);
    assert.match(md, /1:8 MEDIUM \[module:socket\] reported/);
    // What was confirmed is what runs.
    const result = resultText(await tool.invoke({ input, toolInvocationToken: undefined }, token()));
    assert.match(result, /exited with code 0/);
    assert.match(result, /confirmed/);
    assert.match(result, /clamped to 30 s/);
  },
);

scenario(
  'agent tools: run refuses blocked code with its findings, unconfirmed and without a container',
  async () => {
    await requireDocker();
    const tool = await registeredTool(RUN);
    const code = 'import subprocess\nsubprocess.run(["id"])\n';
    const prepared = await tool.prepareInvocation!({ input: { code, language: 'python' } }, token());
    assert.equal(prepared?.confirmationMessages, undefined, 'blocked code is not offered for confirmation');
    assert.match(String(prepared?.invocationMessage), /refuses/);

    const since = Date.now();
    const text = await invoke(RUN, { code, language: 'python' });
    assert.match(
      text,
      /^Not run: the policy recommended blocks this code \(2 blocking findings\); no container was created\./,
    );
    assert.match(
      text,
      /Blocking findings:\n {2}1:8 HIGH .*subprocess.* BLOCKS.*\n {2}2:1 HIGH \[call:subprocess.*\] BLOCKS: .*"subprocess\.run"/,
    );
    assert.doesNotMatch(text, /stdout:/);
    assert.deepEqual(await containersCreatedSince(since), [], 'no container was created');
    const refused = audit().filter((l) => l.actor === ACTOR && l.sha256 === sha256(code));
    assert.ok(refused.length >= 1 && refused.every((l) => l.verdict === 'refused' && l.reason === 'blocked'));
  },
);

scenario(
  'agent tools: run takes the unsaved editor text, and refuses text changed after confirmation',
  async () => {
    await requireDocker();
    const tool = await registeredTool(RUN);
    const editor = await openFile('hello.py');
    const filePath = editor.document.uri.fsPath;
    await replaceAll(editor, 'print("shown to the user")\n');
    const prepared = await tool.prepareInvocation!({ input: { filePath } }, token());
    const message = prepared?.confirmationMessages?.message;
    assert.match(
      typeof message === 'string' ? message : (message?.value ?? ''),
      /Run `.*hello\.py` \(python\)/,
    );
    await replaceAll(editor, 'print("swapped in after confirmation")\n');
    const since = Date.now();
    const refused = resultText(
      await tool.invoke({ input: { filePath }, toolInvocationToken: undefined }, token()),
    );
    assert.match(refused, /^Not run: the code changed after it was checked and shown to the user/);
    assert.deepEqual(await containersCreatedSince(since), []);

    // Asked again, the current text is checked, confirmed and run; the file on disk is untouched.
    const ran = await invoke(RUN, { filePath });
    assert.match(ran, /exited with code 0/);
    assert.match(ran, /swapped in after confirmation/);
    assert.match(readFileSync(filePath, 'utf8'), /hello from the sandbox/);
    await revertAndClose();
  },
);

scenario('agent tools: cancelling the request stops the run and removes its container', async () => {
  await requireDocker();
  const api = await sandboxGuard();
  const code = 'import time\nfor i in range(300):\n    print("tick", i, flush=True)\n    time.sleep(0.1)\n';
  const cancel = new vscode.CancellationTokenSource();
  const pending = invoke(RUN, { code, language: 'python' }, cancel.token);
  await poll('the agent run to print', () => api.lastRunTranscript()?.includes('tick 2'), 30_000);
  const id = api.lastRunContainerId();
  assert.ok(id);
  await containerExists(id);
  cancel.cancel();
  await assert.rejects(pending, /cancel/i);
  await poll(
    'the container to be removed',
    () =>
      containerExists(id).then(
        () => false,
        () => true,
      ),
    15_000,
  );
  const line = await poll('the stopped run in the audit log', () =>
    audit().find((l) => l.actor === ACTOR && l.sha256 === sha256(code)),
  );
  assert.equal(line.reason, 'stopped');
});

scenario('agent tools: the MCP server definition follows the user-level settings', async () => {
  const api = await sandboxGuard();
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  const only = async (): Promise<vscode.McpStdioServerDefinition> => {
    const defs = await api.mcpServerDefinitions();
    assert.equal(defs.length, 1);
    assert.ok(defs[0] instanceof vscode.McpStdioServerDefinition);
    return defs[0];
  };
  const def = await only();
  assert.equal(def.label, 'Sandbox Guard');
  assert.equal(def.command, process.execPath);
  assert.equal(def.args[0], join(ext.extensionPath, 'dist', 'cli.js'));
  assert.ok(existsSync(def.args[0]));
  assert.equal(def.args[1], 'mcp');
  const after = (flag: string, args = def.args): string | undefined => args[args.indexOf(flag) + 1];
  assert.equal(after('--preset'), 'recommended');
  assert.ok(def.args.includes(`python=${pythonImage()}`));
  assert.equal(after('--timeout'), '30');
  assert.equal(after('--audit-log'), process.env.SANDBOX_GUARD_AUDIT_LOG);
  assert.deepEqual(def.env, { ELECTRON_RUN_AS_NODE: '1' });
  assert.equal(def.version, ext.packageJSON.version);

  await setUserSetting('sandboxGuard.run.timeoutSeconds', 7);
  await setUserSetting('sandboxGuard.audit.enable', false);
  try {
    const changed = await only();
    assert.equal(after('--timeout', changed.args), '7');
    assert.ok(!changed.args.includes('--audit-log'));
    assert.equal(changed.env.SANDBOX_GUARD_AUDIT_LOG, 'off');
  } finally {
    await setUserSetting('sandboxGuard.run.timeoutSeconds', undefined);
    await setUserSetting('sandboxGuard.audit.enable', undefined);
  }
});

scenario(
  'agent tools: VS Code starts the contributed MCP server; its tools answer through the editor',
  async () => {
    const tools = await startMcpServer();
    try {
      const check = await mcpCall(tools.check_code, { code: 'import subprocess\n', language: 'python' });
      assert.equal(check.verdict, 'blocked');
      assert.deepEqual(
        (check.findings as { rule: string; blocking: boolean }[]).map((f) => [f.rule, f.blocking]),
        [['module:subprocess', true]],
      );
      await requireDocker();
      const code = 'print("hello through MCP")\n';
      const run = await mcpCall(tools.run_code, { code, language: 'python', timeout_seconds: 999 });
      assert.equal(run.reason, 'exit');
      assert.equal(run.exit_code, 0);
      assert.equal(run.stdout, 'hello through MCP\n');
      assert.equal(run.timeout_clamped, true);
      assert.equal(run.timeout_seconds, 30);
      const line = audit().find((l) => l.sha256 === sha256(code) && l.verdict === 'ran');
      assert.ok(line, 'the MCP run is in the audit log the definition names');
      assert.match(line.actor ?? '', /^mcp:/);
      assert.equal(line.image, pythonImage());
    } finally {
      await vscode.commands.executeCommand('workbench.mcp.stopServer', MCP_SERVER_ID);
    }
  },
);

/** An MCP tool's result as VS Code hands it to the model: the tool's structured result, as JSON. */
async function mcpCall(tool: string, input: object): Promise<Record<string, unknown>> {
  const text = await invoke(tool, input);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${tool} did not answer with its structured result: ${text}`);
  }
}

/** Starts the server from the contributed definition as a user would, and waits for its tools. */
export async function startMcpServer(): Promise<
  Record<'check_code' | 'run_code' | 'execute_code' | 'list_policies', string>
> {
  await sandboxGuard();
  await vscode.commands.executeCommand('workbench.mcp.startServer', MCP_SERVER_ID, {
    waitForLiveTools: true,
  });
  const names = ['check_code', 'run_code', 'execute_code', 'list_policies'] as const;
  const found = await poll(
    'the MCP server tools in vscode.lm.tools',
    () => {
      const mcp = vscode.lm.tools.filter((t) => /^mcp_sandbox_guard_/.test(t.name)).map((t) => t.name);
      const byTool = names.map((n) => mcp.find((m) => m.endsWith(`_${n}`)));
      return byTool.every(Boolean) ? byTool : undefined;
    },
    30_000,
  );
  return Object.fromEntries(names.map((n, i) => [n, found[i]!])) as Record<(typeof names)[number], string>;
}

scenario(
  'untrusted: the agent tools and the MCP server keep the user policy and run settings',
  async () => {
    const check = await invoke(CHECK, { filePath: workspaceFile('danger.py').fsPath });
    assert.match(check, /BLOCKED: .*threshold HIGH\)\. \d+ findings, 2 blocking\./);
    assert.doesNotMatch(check, /policy minimal/);
    const defs = await (await sandboxGuard()).mcpServerDefinitions();
    const args = (defs[0] as vscode.McpStdioServerDefinition).args;
    assert.ok(args.includes(`python=${pythonImage()}`), args.join(' '));
    assert.ok(!args.some((a) => a.includes('evil/') || a === '86400' || a.includes('64g')), args.join(' '));
    assert.equal(args[args.indexOf('--preset') + 1], 'recommended');
  },
  'untrusted',
);

scenario(
  'installed .vsix: VS Code starts the packaged MCP server (dist/cli.js) and check_code answers',
  async () => {
    const defs = await (await sandboxGuard()).mcpServerDefinitions();
    const def = defs[0] as vscode.McpStdioServerDefinition;
    assert.doesNotMatch(def.args[0], /\/work\//, `the installed copy: ${def.args[0]}`);
    const tools = await startMcpServer();
    try {
      // The grammars are found next to the installed bundle: the import is resolved, not pattern-matched.
      const check = await mcpCall(tools.check_code, {
        code: 'import importlib\nm = importlib.import_module("subpro" + "cess")\n',
        language: 'python',
      });
      assert.equal(check.verdict, 'blocked');
      assert.match(JSON.stringify(check.findings), /subprocess/);
      const lm = await invoke(CHECK, { code: 'import subprocess\n', language: 'python' });
      assert.match(lm, /^BLOCKED/);
    } finally {
      await vscode.commands.executeCommand('workbench.mcp.stopServer', MCP_SERVER_ID);
    }
  },
  'installed',
);
