// The `sandbox-guard` CLI as a user runs it: the built dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
let dir: string;

function cli(args: string[], input?: string | Buffer, cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
  writeFileSync(join(dir, 'bad.py'), 'import os\nimport subprocess\nos.system("id")\n');
  writeFileSync(join(dir, 'ok.py'), 'import os, json\nprint(os.path.join("a", "b"))\n');
  mkdirSync(join(dir, 'tree', 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'tree', 'a.js'), "const cp = require('child_process');\ncp.execSync('id');\n");
  writeFileSync(join(dir, 'tree', 'b.ts'), 'export const x: number = 1;\n');
  writeFileSync(join(dir, 'tree', 'notes.txt'), 'os.system("not code")\n');
  writeFileSync(join(dir, 'tree', 'node_modules', 'dep.js'), "require('child_process')\n");
  writeFileSync(join(dir, 'blob.py'), Buffer.from([0, 1, 2, 255, 0, 10, 105, 109, 112]));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox-guard check', () => {
  it('prints the documented JSON shape with 1-based positions, exit 1 when blocked', () => {
    const r = cli(['check', '--format', 'json', 'bad.py']);
    assert.equal(r.code, 1, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(Object.keys(json), ['files', 'blocked']);
    assert.equal(json.blocked, true);
    assert.equal(json.files[0].path, 'bad.py');
    assert.equal(json.files[0].language, 'python');
    const sys = json.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'call:os.system');
    assert.deepEqual(Object.keys(sys), [
      'ruleId',
      'severity',
      'message',
      'line',
      'column',
      'endLine',
      'endColumn',
      'blocking',
    ]);
    assert.deepEqual([sys.line, sys.column, sys.endLine, sys.endColumn], [3, 1, 3, 10]);
    assert.equal(sys.severity, 'HIGH');
    assert.equal(sys.blocking, true);
    const sub = json.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'module:subprocess');
    assert.deepEqual([sub.line, sub.column, sub.endColumn], [2, 8, 18]);
  });

  it('exits 0 when nothing blocks, and says so in text', () => {
    const r = cli(['check', 'ok.py']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /0 finding\(s\) in 1 file\(s\).*allowed/);
  });

  it('prints file:line:col findings in text format', () => {
    const r = cli(['check', 'bad.py']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^bad\.py:3:1: HIGH \[call:os\.system\] BLOCKS: /m);
    assert.match(r.out, /BLOCKED/);
  });

  it('reads standard input with -', () => {
    const r = cli(['check', '--language', 'python', '--format', 'json', '-'], 'eval("1+1")\n');
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    assert.equal(json.files[0].path, '-');
    assert.equal(json.files[0].findings[0].ruleId, 'call:eval');
    const js = cli(['check', '--language', 'javascript', '-'], "new Function('return 1')()\n");
    assert.equal(js.code, 1, js.out);
  });

  it('recurses into directories: known languages only, node_modules skipped', () => {
    const r = cli(['check', '--format', 'json', 'tree']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    const paths = json.files.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(paths, [join('tree', 'a.js'), join('tree', 'b.ts')]);
    assert.equal(json.files.find((f: { path: string }) => f.path.endsWith('b.ts')).language, 'typescript');
  });

  it('emits valid SARIF 2.1.0', () => {
    const r = cli(['check', '--format', 'sarif', 'bad.py']);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.out);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'sandbox-guard');
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'call:os.system');
    assert.equal(res.level, 'error');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'call:os.system');
    assert.deepEqual(res.locations[0].physicalLocation.region, {
      startLine: 3,
      startColumn: 1,
      endLine: 3,
      endColumn: 10,
    });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'bad.py');
  });

  it('applies presets and policy files; llm-sandbox thresholds decide the exit code', () => {
    assert.equal(
      cli(['check', '--preset', 'development', 'bad.py']).code,
      1,
      'os.system is HIGH in development',
    );
    assert.equal(cli(['check', '--preset', 'minimal', 'bad.py']).code, 0, 'minimal only flags deletions');
    writeFileSync(
      join(dir, 'report-only.json'),
      JSON.stringify({ extends: 'recommended', severity_threshold: 'SAFE' }),
    );
    const r = cli(['check', '--policy', 'report-only.json', '--format', 'json', 'bad.py']);
    assert.equal(r.code, 0);
    assert.ok(JSON.parse(r.out).files[0].findings.length >= 2, 'SAFE reports without blocking');
  });

  it('uses ./sandbox-guard.json when present', () => {
    const ws = join(dir, 'ws');
    mkdirSync(ws, { recursive: true });
    writeFileSync(
      join(ws, 'sandbox-guard.json'),
      JSON.stringify({
        severity_threshold: 'LOW',
        patterns: [{ id: 'no-print', pattern: '\\bprint\\(', severity: 'LOW' }],
      }),
    );
    writeFileSync(join(ws, 'p.py'), 'print("hi")\n');
    const r = cli(['check', '--format', 'json', 'p.py'], undefined, ws);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).files[0].findings[0].ruleId, 'no-print');
  });

  it('exits 2 on policy errors, naming the file, line and problem', () => {
    writeFileSync(
      join(dir, 'broken.json'),
      '{\n  "severity_threshold": "HIGH",\n  "patterns": [{"pattern": "(x", "severity": "HIGH"}]\n}\n',
    );
    const r = cli(['check', '--policy', 'broken.json', 'ok.py']);
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.json:3:\d+: error: patterns\[0\]: invalid regular expression/);
    const missing = cli(['check', '--policy', 'nope.json', 'ok.py']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.json.*file not found/);
    const preset = cli(['check', '--preset', 'nope', 'ok.py']);
    assert.equal(preset.code, 2);
    assert.match(preset.err, /unknown preset "nope"/);
  });

  it('exits 2 on usage errors with a hint', () => {
    for (const args of [
      ['check'],
      ['check', '--format', 'xml', 'ok.py'],
      ['check', 'missing.py'],
      ['check', '--bogus', 'ok.py'],
      ['frobnicate'],
    ]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.err.length > 0);
    }
  });

  it('documents every command in --help, and lists presets', () => {
    const help = cli(['--help']);
    assert.equal(help.code, 0);
    for (const cmd of ['check', 'run', 'presets', 'mcp'])
      assert.match(help.out, new RegExp(`sandbox-guard ${cmd}`));
    const presets = cli(['presets', '--format', 'json']);
    const names = JSON.parse(presets.out).map((p: { name: string }) => p.name);
    assert.deepEqual(names, [
      'recommended',
      'strict-no-network',
      'development',
      'production',
      'educational',
      'data_science',
      'web_scraping',
      'minimal',
      'strict',
    ]);
  });

  it('does not parse binary files as source', () => {
    const r = cli(['check', '--format', 'json', 'blob.py']);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.out).files[0].language, 'unknown');
  });
});
