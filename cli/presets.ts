import { PRESET_NAMES, DEFAULT_PRESET, presetPolicy } from '../core/policyLoader';
import { severityName } from '../core/severity';
import type { Io } from './check';

export const PRESETS_USAGE = `sandbox-guard presets [--format text|json]

  Lists the bundled policy presets with their threshold and rule counts.`;

export function presetsCommand(argv: string[], io: Io): number {
  const json =
    argv.includes('--format=json') ||
    (argv.includes('--format') && argv[argv.indexOf('--format') + 1] === 'json');
  const rows = PRESET_NAMES.map((name) => {
    const p = presetPolicy(name);
    return {
      name,
      default: name === DEFAULT_PRESET,
      severityThreshold: severityName(p.severityThreshold),
      patterns: p.patterns.length,
      restrictedModules: p.restrictedModules.length,
      restrictedCalls: p.restrictedCalls.length,
    };
  });
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    io.out(
      `${r.name.padEnd(18)} threshold ${r.severityThreshold.padEnd(6)} ${String(r.patterns).padStart(3)} patterns ${String(r.restrictedModules).padStart(3)} modules ${String(r.restrictedCalls).padStart(3)} calls${r.default ? '  (default)' : ''}\n`,
    );
  }
  return 0;
}
