// Settings and policy files over the real server: configuration changes and policy file changes (on disk
// and unsaved in the editor) re-check open documents; a broken policy file gets diagnostics at the exact
// place while its valid entries keep working; multi-root folders each use their own policy file.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileUri, LspClient, range, tempDir, waitFor, type Diagnostic } from './lspClient';

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function workspace(files: Record<string, string> = {}) {
  const dir = tempDir();
  cleanup.push(() => dir.dispose());
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir.path, name, '..'), { recursive: true });
    writeFileSync(join(dir.path, name), text);
  }
  return dir.path;
}

async function start(options: Parameters<typeof LspClient.start>[0]) {
  const c = await LspClient.start(options);
  cleanup.push(() => c.stop());
  return c;
}

describe('settings', () => {
  test('changing sandboxGuard.policy.preset refreshes diagnostics with the new preset', async () => {
    const ws = await workspace();
    let preset = 'recommended';
    const c = await start({ folders: [ws], settings: () => ({ policy: { preset } }) });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import subprocess\nimport ctypes\n');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:ctypes', 'module:subprocess']);
    assert.ok(c.configurationRequests.includes(uri), 'settings are pulled for the document');
    preset = 'minimal';
    const refreshes = c.refreshCount;
    await c.changeConfiguration();
    await waitFor(() => c.refreshCount > refreshes, 'workspace/diagnostic/refresh');
    const ds = await c.diagnostics(uri);
    assert.ok(!codes(ds).includes('module:subprocess'), 'minimal does not restrict subprocess');
    assert.ok(
      codes(ds).some((x) => x.includes('ctypes')),
      'minimal restricts ctypes',
    );
    assert.equal(c.statuses.at(-1)?.policy.source, 'preset:minimal');
  });

  test('an unknown preset falls back to recommended and says so', async () => {
    const ws = await workspace();
    const c = await start({ folders: [ws], settings: () => ({ policy: { preset: 'nope' } }) });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import subprocess\n');
    const ds = await c.diagnostics(uri);
    assert.deepEqual(codes(ds), ['module:subprocess', 'policy-warning']);
    assert.match(ds.find((d) => d.code === 'policy-warning')?.message ?? '', /unknown preset "nope"/);
  });

  test('sandboxGuard.diagnostics.enable = false clears diagnostics', async () => {
    const ws = await workspace();
    let enable = true;
    const c = await start({ folders: [ws], settings: () => ({ diagnostics: { enable } }) });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import subprocess\n');
    assert.equal((await c.diagnostics(uri)).length, 1);
    enable = false;
    await c.changeConfiguration();
    assert.deepEqual(await c.diagnostics(uri), []);
  });

  test('sandboxGuard.diagnostics.run = onSave keeps the shown diagnostics until the document is saved', async () => {
    const ws = await workspace();
    const c = await start({ folders: [ws], settings: () => ({ diagnostics: { run: 'onSave' } }) });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import json\n');
    const first = await c.pull(uri);
    assert.deepEqual(first.items, []);
    await c.change(uri, [{ range: range(0, 7, 0, 11), text: 'subprocess' }]);
    const typing = await c.pull(uri, first.resultId);
    assert.equal(typing.kind, 'unchanged', 'no re-check while typing');
    const refreshes = c.refreshCount;
    await c.save(uri);
    await waitFor(() => c.refreshCount > refreshes, 'refresh after save');
    const saved = await c.pull(uri, first.resultId);
    assert.equal(saved.kind, 'full');
    assert.deepEqual(codes(saved.items ?? []), ['module:subprocess']);
  });

  test('a client without workspace/configuration uses the settings pushed with didChangeConfiguration', async () => {
    const ws = await workspace();
    const c = await start({ folders: [ws], configuration: false });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import subprocess\n');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:subprocess']);
    await c.changeConfiguration({ sandboxGuard: { policy: { preset: 'minimal' } } });
    assert.ok(!codes(await c.diagnostics(uri)).includes('module:subprocess'));
  });
});

describe('policy files', () => {
  const policy = (modules: string[], extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        name: 'workspace-policy',
        extends: 'recommended',
        restricted_modules: modules.map((name) => ({ name, description: `no ${name}`, severity: 'MEDIUM' })),
        ...extra,
      },
      null,
      2,
    );

  test('sandbox-guard.json at the folder root applies; creating and changing it on disk re-checks', async () => {
    const ws = await workspace();
    const c = await start({ folders: [ws] });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import json\nimport csv\n');
    assert.deepEqual(await c.diagnostics(uri), []);
    const reg = await waitFor(
      () => c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
      'watcher registration',
    );
    assert.match(JSON.stringify(reg.registerOptions), /\*\*\/sandbox-guard\.json/);

    const file = join(ws, 'sandbox-guard.json');
    writeFileSync(file, policy(['json']));
    let refreshes = c.refreshCount;
    await c.changeWatchedFiles([{ uri: fileUri(file), type: 1 }]);
    await waitFor(() => c.refreshCount > refreshes, 'refresh after the policy file was created');
    const ds = await c.diagnostics(uri);
    assert.deepEqual(codes(ds), ['module:json']);
    assert.equal(ds[0].severity, 2, 'MEDIUM is a warning');
    assert.equal(c.statuses.at(-1)?.policy.source, file);
    assert.equal(c.statuses.at(-1)?.policy.name, 'workspace-policy');

    writeFileSync(file, policy(['csv']));
    refreshes = c.refreshCount;
    await c.changeWatchedFiles([{ uri: fileUri(file), type: 2 }]);
    await waitFor(() => c.refreshCount > refreshes, 'refresh after the policy file changed');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:csv']);
  });

  test('an unsaved edit of the open policy file re-checks other documents at once', async () => {
    const ws = await workspace({ 'sandbox-guard.json': policy(['json']) });
    const c = await start({ folders: [ws] });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import json\nimport csv\n');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:json']);
    const policyUri = fileUri(join(ws, 'sandbox-guard.json'));
    await c.open(policyUri, 'json', policy(['json']));
    const refreshes = c.refreshCount;
    await c.change(policyUri, [{ text: policy(['json', 'csv']) }]);
    await waitFor(() => c.refreshCount > refreshes, 'refresh after the policy edit');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:csv', 'module:json']);
    // Closing it without saving goes back to the file on disk.
    await c.close(policyUri);
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:json']);
  });

  test('a broken policy file gets diagnostics at the exact places; its valid entries keep working', async () => {
    const text = [
      '{',
      '  "name": "broken",',
      '  "severity_threshold": "MEDIUM",',
      '  "colour": "blue",',
      '  "restricted_modules": [',
      '    { "name": "json", "description": "ok", "severity": "HIGH" },',
      '    { "name": "csv", "description": "bad severity", "severity": "SEVERE" }',
      '  ],',
      '  "patterns": [',
      '    { "id": "bad-re", "pattern": "([a-z]", "description": "broken", "severity": "HIGH" },',
      '    { "id": "todo", "pattern": "\\\\bTODO\\\\b", "description": "ok", "severity": "LOW", "scope": "comments" }',
      '  ]',
      '}',
    ].join('\n');
    const ws = await workspace({ 'sandbox-guard.json': text });
    const c = await start({ folders: [ws] });
    const policyUri = fileUri(join(ws, 'sandbox-guard.json'));
    await c.open(policyUri, 'json', text);
    const problems = await c.diagnostics(policyUri);
    const at = (re: RegExp) => problems.find((d) => re.test(d.message));
    assert.equal(at(/unknown key "colour"/)?.range.start.line, 3);
    assert.equal(at(/unknown key "colour"/)?.severity, 2);
    const severe = text.split('\n')[6].indexOf('"SEVERE"');
    assert.deepEqual(at(/SEVERE/)?.range, range(6, severe, 6, severe + '"SEVERE"'.length));
    assert.equal(at(/SEVERE/)?.severity, 1);
    assert.equal(at(/invalid regular expression/)?.range.start.line, 9);
    assert.equal(problems.length, 3);
    assert.ok(problems.every((d) => d.source === 'sandbox-guard'));

    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import json\nimport csv\n# TODO later\n');
    assert.deepEqual(codes(await c.diagnostics(uri)), ['module:json', 'todo']);
    assert.equal(c.statuses.at(-1)?.policy.problemCount, 3);

    // Fix the JSON syntax as you type: first break it, then repair it.
    await c.change(policyUri, [{ range: range(12, 0, 12, 1), text: '' }]);
    const syntax = await c.diagnostics(policyUri);
    assert.ok(
      syntax.some((d) => /JSON syntax error/.test(d.message)),
      'a syntax error is reported',
    );
    await c.change(policyUri, [{ range: range(12, 0, 12, 0), text: '}' }]);
    assert.equal((await c.diagnostics(policyUri)).length, 3);
  });

  test('multi-root: each folder uses its own policy file; sandboxGuard.policy.file resolves against the folder', async () => {
    const a = await workspace({ 'sandbox-guard.json': policy(['json']) });
    const b = await workspace({ 'config/guard.json': policy(['csv']) });
    const c = await start({
      folders: [a, b],
      settings: (scope) => (scope?.startsWith(fileUri(b)) ? { policy: { file: 'config/guard.json' } } : {}),
    });
    const inA = fileUri(join(a, 'x.py'));
    const inB = fileUri(join(b, 'src', 'y.py'));
    const text = 'import json\nimport csv\n';
    await c.open(inA, 'python', text);
    await c.open(inB, 'python', text);
    assert.deepEqual(codes(await c.diagnostics(inA)), ['module:json']);
    assert.deepEqual(codes(await c.diagnostics(inB)), ['module:csv']);
    // The configured file (not matching the default glob) is watched as well.
    await waitFor(
      () =>
        c.registrations.some(
          (r) =>
            r.method === 'workspace/didChangeWatchedFiles' &&
            JSON.stringify(r.registerOptions).includes('guard.json'),
        ),
      'watcher for config/guard.json',
    );
    writeFileSync(join(b, 'config/guard.json'), policy(['json', 'csv']));
    const refreshes = c.refreshCount;
    await c.changeWatchedFiles([{ uri: fileUri(join(b, 'config/guard.json')), type: 2 }]);
    await waitFor(() => c.refreshCount > refreshes, 'refresh');
    assert.deepEqual(codes(await c.diagnostics(inB)), ['module:csv', 'module:json']);
    assert.deepEqual(codes(await c.diagnostics(inA)), ['module:json']);
  });

  test('a workspace folder added later brings its own policy file', async () => {
    const a = await workspace();
    const b = await workspace({ 'sandbox-guard.json': policy(['csv']) });
    const c = await start({ folders: [a] });
    const inB = fileUri(join(b, 'y.py'));
    await c.open(inB, 'python', 'import csv\n');
    assert.deepEqual(await c.diagnostics(inB), [], 'outside every folder: the preset applies');
    const refreshes = c.refreshCount;
    await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(b), name: 'b' }], removed: [] },
    });
    await waitFor(() => c.refreshCount > refreshes, 'refresh after the folder was added');
    assert.deepEqual(codes(await c.diagnostics(inB)), ['module:csv']);
  });

  test('a configured policy file that does not exist: a warning, and the preset applies', async () => {
    const ws = await workspace();
    const c = await start({ folders: [ws], settings: () => ({ policy: { file: 'missing.json' } }) });
    const uri = fileUri(join(ws, 'a.py'));
    await c.open(uri, 'python', 'import subprocess\n');
    const ds = await c.diagnostics(uri);
    assert.deepEqual(codes(ds), ['module:subprocess', 'policy-warning']);
    assert.match(ds.find((d) => d.code === 'policy-warning')?.message ?? '', /missing\.json not found/);
  });

  test('an untrusted workspace policy file can add restrictions but cannot weaken the policy', async () => {
    const weak = JSON.stringify({
      name: 'weak',
      severity_threshold: 'SAFE',
      allow_suppressions: true,
      restricted_modules: [
        { name: 'subprocess', description: 'fine', severity: 'LOW' },
        { name: 'csv', description: 'extra rule', severity: 'HIGH' },
      ],
    });
    const ws = await workspace({ 'sandbox-guard.json': weak });
    const trusted = await start({ folders: [ws] });
    const untrusted = await start({ folders: [ws], initializationOptions: { workspaceTrusted: false } });
    const bySetting = await start({ folders: [ws], settings: () => ({ workspaceTrusted: false }) });
    const uri = fileUri(join(ws, 'a.py'));
    const text = 'import subprocess\nimport csv\n';
    for (const c of [trusted, untrusted, bySetting]) await c.open(uri, 'python', text);
    const gate = (c: LspClient) =>
      c.request<{
        blocked: boolean;
        findings: { ruleId: string; severity: string }[];
        policy: { threshold: string; notes?: string[] };
      }>('sandboxGuard/check', { uri });
    assert.equal((await gate(trusted)).blocked, false, 'trusted: the workspace policy applies (report only)');
    for (const c of [untrusted, bySetting]) {
      const r = await gate(c);
      assert.equal(r.blocked, true, 'the threshold cannot be raised to SAFE');
      assert.equal(r.policy.threshold, 'HIGH');
      assert.match(r.policy.notes?.join(' ') ?? '', /only add restrictions/);
      assert.equal(
        r.findings.find((f) => f.ruleId === 'module:subprocess')?.severity,
        'HIGH',
        'severity not lowered',
      );
      assert.equal(
        r.findings.find((f) => f.ruleId === 'module:csv')?.severity,
        'HIGH',
        'the added rule applies',
      );
      assert.deepEqual(codes(await c.diagnostics(uri)), ['module:csv', 'module:subprocess']);
    }
  });
});
