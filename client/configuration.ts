import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type SandboxGuardSettings } from '../server/protocol';

export const SECTION = 'sandboxGuard';

/**
 * The settings the language server pulls for one resource (vscode-eslint's `readConfiguration` model).
 * `workspaceTrusted` is never read from a setting: it is VS Code's trust state, so a workspace cannot
 * declare itself trusted. In an untrusted workspace VS Code itself ignores workspace values of the keys
 * listed in `capabilities.untrustedWorkspaces.restrictedConfigurations` (preset, policy file, enable, run).
 */
export function readSettings(scope: vscode.Uri | undefined): SandboxGuardSettings {
  // `null`, not undefined, for "no resource": the user/workspace value, without VS Code's warning about
  // reading resource-scoped settings without a resource.
  const c = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const run = c.get<string>('diagnostics.run');
  return {
    policy: {
      preset: c.get<string>('policy.preset') || DEFAULT_SETTINGS.policy.preset,
      file: c.get<string>('policy.file') ?? DEFAULT_SETTINGS.policy.file,
    },
    diagnostics: {
      enable: c.get<boolean>('diagnostics.enable') ?? DEFAULT_SETTINGS.diagnostics.enable,
      run: run === 'onSave' || run === 'onType' ? run : DEFAULT_SETTINGS.diagnostics.run,
    },
    workspaceTrusted: vscode.workspace.isTrusted,
  };
}

/**
 * A user-level value only (user/remote-machine settings or the default), ignoring workspace and folder
 * values even if VS Code would apply them. Used for everything that controls execution, so a cloned
 * repository's `.vscode/settings.json` can never weaken the sandbox or enable an override.
 */
export function userLevelSetting<T>(key: string): T | undefined {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}
