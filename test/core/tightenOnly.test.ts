import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presetPolicy, resolvePolicyText } from '../../core/policyLoader';
import { Severity } from '../../core/severity';
import { tightenOnly } from '../../core/tightenOnly';

const ws = (obj: object) =>
  resolvePolicyText('/ws/sandbox-guard.json', JSON.stringify(obj), () => undefined).policy;

describe('tightenOnly (untrusted workspaces)', () => {
  const base = presetPolicy('recommended');

  it('keeps every base rule when the workspace tries to loosen', () => {
    const hostile = ws({
      severity_threshold: 'SAFE',
      dynamic_import_severity: 'SAFE',
      allow_suppressions: true,
      restricted_modules: [
        { name: 'subprocess', severity: 'SAFE', languages: ['python'], description: 'fine' },
      ],
      restricted_calls: [{ name: 'os.system', severity: 'LOW', languages: ['python'], description: 'fine' }],
    });
    const t = tightenOnly(base, hostile);
    assert.equal(t.severityThreshold, Severity.HIGH);
    assert.equal(t.dynamicImportSeverity, Severity.HIGH);
    assert.equal(
      t.restrictedModules.find((m) => m.name === 'subprocess' && m.languages?.includes('python'))?.severity,
      Severity.HIGH,
    );
    assert.equal(t.restrictedCalls.find((c) => c.name === 'os.system')?.severity, Severity.HIGH);
    assert.equal(t.restrictedModules.length, base.restrictedModules.length);
  });

  it('applies restrictions: lower threshold, new rules, suppressions off', () => {
    const strict = ws({
      severity_threshold: 'LOW',
      allow_suppressions: false,
      restricted_modules: [{ name: 'requests', severity: 'HIGH', description: 'no' }],
      patterns: [{ id: 'no-pickle', pattern: 'pickle', severity: 'MEDIUM' }],
    });
    const t = tightenOnly(base, strict);
    assert.equal(t.severityThreshold, Severity.LOW);
    assert.equal(t.allowSuppressions, false);
    assert.ok(t.restrictedModules.some((m) => m.name === 'requests'));
    assert.ok(t.patterns.some((p) => p.id === 'no-pickle'));
  });

  it('treats SAFE as the loosest threshold', () => {
    const reportOnly = { ...base, severityThreshold: Severity.SAFE };
    assert.equal(
      tightenOnly(reportOnly, ws({ severity_threshold: 'HIGH' })).severityThreshold,
      Severity.HIGH,
    );
    assert.equal(tightenOnly(base, ws({ severity_threshold: 'SAFE' })).severityThreshold, Severity.HIGH);
  });
});
