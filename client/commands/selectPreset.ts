import * as vscode from 'vscode';
import { PRESETS } from '../../core/presets';
import { readSettings, SECTION } from '../configuration';
import type { Services } from '../services';

function describe(name: string): string {
  const p = PRESETS[name] as { description?: unknown; severity_threshold?: unknown } | undefined;
  const threshold = typeof p?.severity_threshold === 'string' ? `blocks at ${p.severity_threshold}` : '';
  return [threshold, typeof p?.description === 'string' ? p.description : ''].filter(Boolean).join(' — ');
}

/**
 * Picks the bundled preset used where no policy file applies. Written where the current value comes from:
 * the workspace if it sets one (and is trusted, since an untrusted workspace's value is ignored anyway),
 * else the user settings. `name` skips the picker (for keybindings and scripts).
 */
export async function selectPreset(s: Services, name?: unknown): Promise<string | undefined> {
  const scope = vscode.window.activeTextEditor?.document.uri;
  const current = readSettings(scope).policy.preset;
  let chosen = typeof name === 'string' ? name : undefined;
  if (chosen !== undefined && !Object.hasOwn(PRESETS, chosen)) {
    void vscode.window.showErrorMessage(`Sandbox Guard: unknown preset "${chosen}".`);
    return undefined;
  }
  if (chosen === undefined) {
    const status = scope ? s.status.policyFor(scope) : undefined;
    const overridden = status && !status.source.startsWith('preset:');
    const pick = await vscode.window.showQuickPick(
      Object.keys(PRESETS).map((n) => ({
        label: n === current ? `$(check) ${n}` : n,
        name: n,
        detail: describe(n),
      })),
      {
        title: 'Sandbox Guard: Select Policy Preset',
        placeHolder: overridden
          ? `This file uses the policy file ${status.source}; the preset applies where no policy file does`
          : `Current preset: ${current}`,
        matchOnDetail: true,
      },
    );
    chosen = pick?.name;
  }
  if (chosen === undefined) return undefined;
  const config = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const inspected = config.inspect<string>('policy.preset');
  const target =
    vscode.workspace.isTrusted && inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update('policy.preset', chosen, target);
  s.log.info(
    `preset set to ${chosen} (${target === vscode.ConfigurationTarget.Global ? 'user' : 'workspace'} settings)`,
  );
  return chosen;
}
