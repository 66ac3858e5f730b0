import * as vscode from 'vscode';
import { OutputRunView } from './outputRunView';
import type { RunController } from './runController';
import type { RunView } from './runView';
import { SandboxTerminal, type TerminalInput } from './sandboxTerminal';

export interface RunDisplay {
  view: RunView;
  /** Opens the panel (lazily: a refused run never opens one). */
  show(): void;
  terminal(): vscode.Terminal | undefined;
  /** Typing reaches the program (terminal) or not (output channel). */
  interactive: boolean;
}

/**
 * VS Code asks for workspace trust before it opens any terminal, so in Restricted Mode (unless the user
 * allowed terminals there) the run goes to an output channel instead; the run itself is just as sandboxed.
 */
export function terminalAllowed(): boolean {
  return (
    vscode.workspace.isTrusted ||
    vscode.workspace.getConfiguration('terminal.integrated').get<boolean>('allowInUntrustedWorkspace') ===
      true
  );
}

export function createRunDisplay(
  runs: RunController,
  name: string,
  forwardInput: boolean,
  input: TerminalInput,
): RunDisplay {
  if (!terminalAllowed()) {
    const channel = runs.outputChannel();
    const view = new OutputRunView(channel);
    let shown = false;
    return {
      view,
      interactive: false,
      terminal: () => undefined,
      show: () => {
        if (shown) return;
        shown = true;
        channel.clear();
        channel.show(true);
        view.info(`Restricted Mode: output is shown here without input; Stop Run stops the program.`);
      },
    };
  }
  const pty = new SandboxTerminal(input, forwardInput);
  let terminal: vscode.Terminal | undefined;
  return {
    view: pty,
    interactive: forwardInput,
    terminal: () => terminal,
    show: () => {
      if (terminal) return;
      runs.disposeFinishedTerminals(name);
      terminal = vscode.window.createTerminal({
        name: `Sandbox Guard: ${name}`,
        pty,
        iconPath: new vscode.ThemeIcon('shield'),
      });
      terminal.show(true);
    },
  };
}
