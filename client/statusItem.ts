import * as vscode from 'vscode';
import type { PolicyInfo, StatusParams } from '../server/protocol';
import { readSettings } from './configuration';
import { CHECKED_LANGUAGES } from './languages';

export type DockerState =
  { reachable: true; version?: string } | { reachable: false; why: string } | undefined;

/**
 * The language status item next to the language mode: which policy applies to the current file, how many
 * findings block Run in Sandbox there, and whether Docker answers. Clicking it opens the preset picker.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, StatusParams>();
  private docker: DockerState;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem(
      'sandboxGuard.status',
      CHECKED_LANGUAGES.map((language) => ({ language })),
    );
    this.item.name = 'Sandbox Guard';
    this.item.command = { title: 'Select Preset', command: 'sandboxGuard.selectPreset' };
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => this.byUri.delete(d.uri.toString())),
    );
    this.render();
  }

  update(status: StatusParams): void {
    // The server's URI spelling may differ from VS Code's (percent-encoding); key by VS Code's.
    this.byUri.set(vscode.Uri.parse(status.uri).toString(), status);
    this.render();
  }

  setDocker(state: DockerState): void {
    this.docker = state;
    this.render();
  }

  /** The last status the server sent for a document. */
  statusFor(uri: vscode.Uri): StatusParams | undefined {
    return this.byUri.get(uri.toString());
  }

  /** The policy shown for the current file (for Open Policy File). */
  policyFor(uri: vscode.Uri): PolicyInfo | undefined {
    return this.byUri.get(uri.toString())?.policy;
  }

  private render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const status = doc ? this.byUri.get(doc.uri.toString()) : undefined;
    const policyName = status ? policyLabel(status.policy) : readSettings(doc?.uri).policy.preset;
    const blocking = status?.blockingCount ?? 0;
    this.item.text =
      blocking > 0 ? `$(shield) ${policyName} · ${blocking} blocking` : `$(shield) ${policyName}`;
    this.item.severity = status?.incomplete
      ? vscode.LanguageStatusSeverity.Warning
      : blocking > 0
        ? vscode.LanguageStatusSeverity.Warning
        : vscode.LanguageStatusSeverity.Information;
    const parts: string[] = [];
    if (status) {
      parts.push(
        blocking > 0
          ? `${blocking} finding${blocking === 1 ? '' : 's'} block Run in Sandbox`
          : `Run in Sandbox allowed (${status.findingCount} finding${status.findingCount === 1 ? '' : 's'})`,
      );
      if (status.incomplete) parts.push(`check incomplete: ${status.incomplete}`);
      if (status.policy.warning) parts.push(status.policy.warning);
    }
    parts.push(
      this.docker === undefined
        ? 'Docker: not checked yet'
        : this.docker.reachable
          ? `Docker: reachable${this.docker.version ? ` (${this.docker.version})` : ''}`
          : `Docker: not reachable (${this.docker.why})`,
    );
    this.item.detail = parts.join(' · ');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** `recommended`, or the policy file's name with its threshold. */
export function policyLabel(p: PolicyInfo): string {
  if (p.source.startsWith('preset:')) return p.source.slice('preset:'.length);
  const base = p.source.split(/[\\/]/).pop() ?? p.source;
  return `${p.name} (${base})`;
}
