import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESET_NAMES, presetPolicy, resolvePolicyText, type PolicyReader } from '../../core/policyLoader';
import { Severity } from '../../core/severity';

const noFiles: PolicyReader = () => undefined;
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

describe('presets', () => {
  it('ships ours and all seven llm-sandbox presets, each valid', () => {
    for (const n of [
      'recommended',
      'strict-no-network',
      'development',
      'production',
      'educational',
      'data_science',
      'web_scraping',
      'minimal',
      'strict',
    ]) {
      assert.ok(PRESET_NAMES.includes(n), n);
      assert.ok(presetPolicy(n).name === n);
    }
  });

  it('reproduces llm-sandbox thresholds and rule counts exactly', () => {
    const expected: Record<string, [Severity, number, number]> = {
      development: [Severity.HIGH, 3, 1],
      production: [Severity.LOW, 8, 5],
      educational: [Severity.MEDIUM, 6, 4],
      data_science: [Severity.MEDIUM, 6, 5],
      web_scraping: [Severity.MEDIUM, 5, 6],
      minimal: [Severity.HIGH, 2, 1],
      strict: [Severity.LOW, 7, 12],
    };
    for (const [name, [thr, pats, mods]] of Object.entries(expected)) {
      const p = presetPolicy(name);
      assert.equal(p.severityThreshold, thr, name);
      assert.equal(p.patterns.length, pats, name);
      assert.equal(p.restrictedModules.length, mods, name);
      assert.ok(
        p.patterns.every((r) => r.languages?.includes('python')),
        `${name} is tagged python`,
      );
    }
    const prod = presetPolicy('production');
    assert.equal(prod.patterns[0].pattern, '\\bos\\.system\\s*\\(');
    assert.equal(prod.patterns[4].pattern, `\\bopen\\s*\\([^)]*['\\"][wa]['\\"][^)]*\\)`);
    assert.deepEqual(
      prod.restrictedModules.map((m) => [m.name, m.severity]),
      [
        ['os', 3],
        ['subprocess', 3],
        ['ctypes', 3],
        ['socket', 2],
        ['multiprocessing', 2],
      ],
    );
  });

  it('strict-no-network extends recommended and tightens it', () => {
    const rec = presetPolicy('recommended');
    const snn = presetPolicy('strict-no-network');
    assert.equal(snn.severityThreshold, Severity.MEDIUM);
    assert.ok(snn.restrictedCalls.length > rec.restrictedCalls.length);
    assert.deepEqual(snn.sources, ['preset:strict-no-network', 'preset:recommended']);
    assert.equal(
      snn.restrictedModules.find((m) => m.name === 'socket' && m.languages?.includes('python'))?.severity,
      Severity.HIGH,
    );
  });

  it('rejects an unknown preset with the list of names', () => {
    assert.throws(() => presetPolicy('nope'), /unknown preset "nope".*recommended/);
  });
});

describe('policy files', () => {
  it('parses llm-sandbox keys, severities as names or integers', () => {
    const text = JSON.stringify({
      name: 'mine',
      severity_threshold: 2,
      patterns: [{ pattern: '\\bos\\.system\\s*\\(', description: 'shell', severity: 'high' }],
      restricted_modules: [{ name: 'subprocess', description: 'procs', severity: 3 }],
    });
    const { policy, problems } = resolvePolicyText('/p.json', text, noFiles);
    assert.deepEqual(problems, []);
    assert.equal(policy.severityThreshold, Severity.MEDIUM);
    assert.equal(policy.patterns[0].severity, Severity.HIGH);
    assert.equal(policy.patterns[0].scope, 'code');
    assert.equal(policy.restrictedModules[0].id, 'module:subprocess');
    assert.equal(policy.dynamicImportSeverity, Severity.MEDIUM);
  });

  it('defaults to llm-sandbox semantics: threshold SAFE (report only)', () => {
    const { policy } = resolvePolicyText('/p.json', '{}', noFiles);
    assert.equal(policy.severityThreshold, Severity.SAFE);
  });

  it('reports problems at the exact line and keeps the rest of the policy working', () => {
    const text = [
      '{',
      '  "severity_threshold": "MEDIUM",',
      '  "colour": "blue",',
      '  "patterns": [',
      '    {"id": "ok", "pattern": "danger\\\\(", "severity": "HIGH"},',
      '    {"id": "bad-re", "pattern": "(unclosed", "severity": "HIGH"},',
      '    {"id": "bad-sev", "pattern": "x", "severity": "CRITICAL"},',
      '    {"id": "hang", "pattern": "(a+)+(?=b)", "severity": "LOW"}',
      '  ],',
      '  "restricted_modules": [{"description": "no name", "severity": "LOW"}]',
      '}',
    ].join('\n');
    const { policy, problems } = resolvePolicyText('/p.json', text, noFiles);
    assert.deepEqual(
      policy.patterns.map((p) => p.id),
      ['ok'],
    );
    const at = (re: RegExp) => problems.find((p) => re.test(p.message));
    assert.equal(lineOf(text, at(/unknown key "colour"/)!.offset), 3);
    assert.equal(at(/unknown key "colour"/)!.severity, 'warning');
    assert.equal(lineOf(text, at(/invalid regular expression/)!.offset), 6);
    assert.equal(lineOf(text, at(/"CRITICAL" is not a severity/)!.offset), 7);
    assert.equal(lineOf(text, at(/unsupported syntax \(lookahead\)/)!.offset), 8);
    assert.equal(lineOf(text, at(/"name" is required/)!.offset), 10);
  });

  it('reports JSON syntax errors with their position', () => {
    const text = '{\n  "severity_threshold": "HIGH",\n  "patterns": [\n}';
    const { problems } = resolvePolicyText('/p.json', text, noFiles);
    assert.ok(problems.length > 0);
    assert.match(problems[0].message, /JSON syntax error/);
    assert.equal(lineOf(text, problems[0].offset), 4);
  });

  it('extends a preset and a relative file; later entries override by id/name', () => {
    const files: Record<string, string> = {
      '/ws/base.json': JSON.stringify({
        extends: 'production',
        patterns: [{ id: 'os-system', pattern: 'os\\.system', severity: 'LOW', description: 'overridden' }],
      }),
    };
    const read: PolicyReader = (ref, from) => {
      const path = ref.startsWith('/') ? ref : `${from.replace(/[^/]*$/, '')}${ref.replace(/^\.\//, '')}`;
      return files[path] ? { source: path, text: files[path] } : undefined;
    };
    const text = JSON.stringify({
      name: 'team',
      extends: './base.json',
      restricted_modules: [{ name: 'os', severity: 'LOW', description: 'relaxed', languages: ['python'] }],
    });
    const { policy, problems } = resolvePolicyText('/ws/sandbox-guard.json', text, read);
    assert.deepEqual(problems, []);
    assert.equal(policy.name, 'team');
    assert.equal(policy.severityThreshold, Severity.LOW, 'threshold inherited from production');
    assert.equal(policy.patterns.find((p) => p.id === 'os-system')?.severity, Severity.LOW);
    assert.equal(policy.patterns.length, 8);
    assert.equal(policy.restrictedModules.find((m) => m.name === 'os')?.severity, Severity.LOW);
    assert.deepEqual(policy.sources, ['/ws/sandbox-guard.json', '/ws/base.json', 'preset:production']);
  });

  it('reports a missing extends target and a cycle without looping', () => {
    const files: Record<string, string> = {
      '/a.json': '{"extends": "/b.json"}',
      '/b.json': '{"extends": "/a.json"}',
    };
    const read: PolicyReader = (ref) => (files[ref] ? { source: ref, text: files[ref] } : undefined);
    const r1 = resolvePolicyText('/a.json', files['/a.json'], read);
    assert.ok(r1.problems.some((p) => /cycle/.test(p.message)));
    const r2 = resolvePolicyText('/c.json', '{"extends": "./missing.json"}', read);
    assert.ok(r2.problems.some((p) => /neither a bundled preset/.test(p.message)));
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '',
      'null',
      '[]',
      '{"patterns": 5}',
      '{"patterns": [1, null, "x"]}',
      '\u0000\u0001',
      '{'.repeat(100000),
    ]) {
      const r = resolvePolicyText('/x.json', text, noFiles);
      assert.ok(Array.isArray(r.problems));
    }
  });
});
