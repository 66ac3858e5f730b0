import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkText } from '../../core/engine';
import type { ParserHost } from '../../core/parsing';
import { presetPolicy, resolvePolicyText } from '../../core/policyLoader';
import { blocks, Severity } from '../../core/severity';
import { loadParsers } from '../../runtime/grammars';

let parsers: ParserHost;
before(async () => {
  parsers = await loadParsers();
});

const policy = (obj: object) => {
  const r = resolvePolicyText('/test.json', JSON.stringify(obj), () => undefined);
  assert.deepEqual(r.problems, []);
  return r.policy;
};
const check = (text: string, p = presetPolicy('recommended'), languageId = 'python') =>
  checkText(text, p, { languageId, parsers });
const ids = (text: string, p = presetPolicy('recommended'), languageId = 'python') =>
  check(text, p, languageId).findings.map((f) => f.ruleId);

describe('threshold rule (identical to llm-sandbox)', () => {
  it('blocks exactly when threshold > SAFE and severity >= threshold', () => {
    const sevs = [Severity.SAFE, Severity.LOW, Severity.MEDIUM, Severity.HIGH];
    for (const t of sevs) {
      for (const s of sevs) assert.equal(blocks(s, t), t > 0 && s >= t, `severity ${s} threshold ${t}`);
    }
  });

  it("reproduces llm-sandbox's threshold matrix on one snippet", () => {
    const code = 'import urllib.request\nimport socket\nresult = eval("1 + 1")\n';
    const base = {
      patterns: [{ pattern: '\\beval\\s*\\(', description: 'Dynamic code evaluation', severity: 'MEDIUM' }],
      restricted_modules: [
        { name: 'urllib', description: 'URL handling', severity: 'LOW' },
        { name: 'socket', description: 'Network', severity: 'MEDIUM' },
      ],
    };
    const expect: Array<[string, boolean]> = [
      ['SAFE', false],
      ['LOW', true],
      ['MEDIUM', true],
      ['HIGH', false],
    ];
    for (const [threshold, blocked] of expect) {
      const r = check(code, policy({ ...base, severity_threshold: threshold }));
      assert.equal(r.blocked, blocked, threshold);
      assert.equal(r.findings.length, 3, `${threshold}: every match is reported`);
    }
  });
});

describe('findings', () => {
  it('gives exact ranges for imports, calls and patterns', () => {
    const code = 'import os\nimport subprocess\nos.system("id")\n';
    const r = check(code);
    const sub = r.findings.find((f) => f.ruleId === 'module:subprocess');
    assert.ok(sub);
    assert.ok(code.slice(sub.start, sub.end).includes('subprocess'));
    assert.ok(!code.slice(sub.start, sub.end).includes('\n'));
    const sys = r.findings.find((f) => f.ruleId === 'call:os.system');
    assert.ok(sys);
    assert.ok(code.slice(sys.start, sys.end).startsWith('os.system'));
    assert.equal(r.blocked, true);
    assert.match(sys.message, /os\.system.*HIGH; blocks Run in Sandbox \(threshold HIGH\)/);
  });

  it('does not flag ordinary code under recommended', () => {
    const code = [
      'import os, re, json',
      'p = os.path.join("a", "b")',
      'rx = re.compile(r"x+")',
      'class Runner:',
      '    def exec(self, q):',
      '        return q',
      'Runner().exec("select 1")',
      'def system(x):',
      '    return x',
      'system("hi")',
      '# os.system("rm -rf /") in a comment',
      'print("subprocess.run and eval( in a string")',
    ].join('\n');
    assert.deepEqual(check(code).findings, []);
  });

  it('masks comments and strings for code-scoped patterns but keeps llm-sandbox string rules working', () => {
    const prod = presetPolicy('production');
    assert.deepEqual(ids('# os.system("x")\nprint("os.system(")\n', prod), []);
    assert.ok(ids('f = open("out.txt", "w")\n', prod).includes('file-write'));
    // llm-sandbox's comment stripping is string-unaware: a "#" in a string hid the call. Not here.
    assert.ok(ids('print("#"); os.system("x")\n', prod).includes('os-system'));
  });

  it('applies scopes: strings, comments, all', () => {
    const p = policy({
      severity_threshold: 'HIGH',
      patterns: [
        { id: 's', pattern: 'secret', severity: 'LOW', scope: 'strings' },
        { id: 'c', pattern: 'TODO', severity: 'LOW', scope: 'comments' },
        { id: 'a', pattern: 'rm -rf', severity: 'LOW', scope: 'all' },
      ],
    });
    const code = 'x = "secret"  # TODO rm -rf\nsecret = 1\nTODO = 2\n';
    assert.deepEqual(ids(code, p).sort(), ['a', 'c', 's']);
  });

  it('applies language tags: Python presets do not fire on JavaScript', () => {
    assert.deepEqual(
      ids("const os = require('os'); os.system = 1;\n", presetPolicy('production'), 'javascript'),
      [],
    );
    assert.ok(
      ids("require('child_process').exec('id')\n", presetPolicy('recommended'), 'javascript').includes(
        'module:child_process',
      ),
    );
  });

  it('suppression comments hide a finding but never lower the run gate', () => {
    const r = check('import subprocess  # sandbox-guard: ignore[module:subprocess]\n');
    const f = r.findings.find((x) => x.ruleId === 'module:subprocess');
    assert.ok(f?.suppressed);
    assert.equal(r.blocked, true);
    const s = check('x = "# sandbox-guard: ignore[module:subprocess]"; import subprocess\n');
    assert.equal(
      s.findings.find((x) => x.ruleId === 'module:subprocess')?.suppressed,
      false,
      'a string is not a comment',
    );
    const noSup = policy({ extends: 'recommended', allow_suppressions: false });
    assert.equal(check('import subprocess  # sandbox-guard: ignore\n', noSup).findings[0].suppressed, false);
  });

  it('reports dynamic imports at dynamic_import_severity', () => {
    const r = check('import importlib\nname = input()\nimportlib.import_module(name)\n');
    const d = r.findings.find((f) => f.ruleId === 'dynamic-import');
    assert.ok(d);
    assert.equal(d.severity, Severity.HIGH);
    assert.equal(r.blocked, true);
  });

  it('caps findings but still computes the verdict', () => {
    const p = policy({
      severity_threshold: 'HIGH',
      patterns: [{ id: 'x', pattern: 'x', severity: 'LOW', scope: 'all' }],
    });
    const r = checkText(
      'x'.repeat(100_000) + '\nimport subprocess\n',
      { ...p, restrictedModules: presetPolicy('recommended').restrictedModules },
      {
        languageId: 'python',
        parsers,
        maxFindings: 100,
      },
    );
    assert.equal(r.findings.length, 100);
    assert.equal(r.truncated, true);
    assert.equal(r.blocked, true);
  });

  it('never throws on binary or unknown-language input', () => {
    const bin = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(i % 256)).join('');
    for (const lang of [
      'python',
      'javascript',
      'typescriptreact',
      'go',
      'r',
      'shellscript',
      'cobol',
      'plaintext',
    ]) {
      const r = check(bin, presetPolicy('strict'), lang);
      assert.ok(Array.isArray(r.findings));
    }
    assert.equal(check('x', presetPolicy('strict'), 'cobol').language, 'unknown');
  });
});
