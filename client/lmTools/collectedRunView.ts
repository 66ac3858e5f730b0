import type { RunView } from '../run/runView';

// The runner keeps plain colour (meant for a terminal); a model reads text, so colour codes are noise.
const SGR = /\x1b\[[0-9;:]*m/g;

/**
 * Where an agent's run writes: nothing is shown, the output is collected for the tool result (already capped
 * by the runner's output limit). A RunView, so the run is listed with the user's own runs and Stop Run and
 * deactivation stop it too.
 */
export class CollectedRunView implements RunView {
  private readonly out: string[] = [];
  private readonly err: string[] = [];
  private readonly lines: string[] = [];

  stdout(text: string): void {
    this.out.push(text);
    this.lines.push(text);
  }

  stderr(text: string): void {
    this.err.push(text);
    this.lines.push(text);
  }

  info(text: string): void {
    this.lines.push(`${text}\n`);
  }

  finish(text: string): void {
    this.lines.push(`${text}\n`);
  }

  get stdoutText(): string {
    return this.out.join('').replace(SGR, '');
  }

  get stderrText(): string {
    return this.err.join('').replace(SGR, '');
  }

  get transcript(): string {
    return this.lines.join('').replace(SGR, '');
  }
}
