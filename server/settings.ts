import { DEFAULT_SETTINGS, type SandboxGuardSettings } from './protocol';

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Turns whatever the client sent for the `sandboxGuard` section into complete settings. Clients answer
 * `workspace/configuration` with null, a nested object (VS Code) or dotted keys (some editors); anything
 * missing or of the wrong type falls back to the default, so a bad setting never stops diagnostics.
 */
export function normaliseSettings(raw: unknown): SandboxGuardSettings {
  const flat = record(raw);
  const get = (path: string): unknown => {
    if (path in flat) return flat[path];
    let node: unknown = flat;
    for (const part of path.split('.')) node = record(node)[part];
    return node;
  };
  const str = (path: string, fallback: string): string => {
    const v = get(path);
    return typeof v === 'string' ? v.trim() : fallback;
  };
  const bool = (path: string, fallback: boolean): boolean => {
    const v = get(path);
    return typeof v === 'boolean' ? v : fallback;
  };
  const run = get('diagnostics.run');
  return {
    policy: {
      preset: str('policy.preset', DEFAULT_SETTINGS.policy.preset) || DEFAULT_SETTINGS.policy.preset,
      file: str('policy.file', DEFAULT_SETTINGS.policy.file),
    },
    diagnostics: {
      enable: bool('diagnostics.enable', DEFAULT_SETTINGS.diagnostics.enable),
      run: run === 'onSave' || run === 'onType' ? run : DEFAULT_SETTINGS.diagnostics.run,
    },
    workspaceTrusted: bool('workspaceTrusted', DEFAULT_SETTINGS.workspaceTrusted),
  };
}
