import type * as vscode from 'vscode';
import type { RunView } from './runView';

const SGR = /\x1b\[[0-9;:]*m/g;
const MAX_TRANSCRIPT = 2 * 1024 * 1024;

/**
 * Run output in an output channel. Used in Restricted Mode, where VS Code asks for workspace trust before
 * opening any terminal (declining would leave no place for the output). No stdin here: the program reads
 * EOF; Stop Run stops it. stderr is marked per line, since an output channel has no colours.
 */
export class OutputRunView implements RunView {
  transcript = '';
  private atLineStart = true;
  private lastStream: 'stdout' | 'stderr' | undefined;

  constructor(private readonly channel: vscode.OutputChannel) {}

  stdout(text: string): void {
    this.write(text.replace(SGR, ''), 'stdout');
  }

  stderr(text: string): void {
    this.write(text.replace(SGR, ''), 'stderr');
  }

  info(text: string): void {
    this.line(text);
  }

  finish(text: string): void {
    this.line(text);
  }

  private line(text: string): void {
    if (!this.atLineStart) this.append('\n');
    this.append(`${text}\n`);
    this.atLineStart = true;
    this.lastStream = undefined;
  }

  private write(text: string, stream: 'stdout' | 'stderr'): void {
    if (text === '') return;
    if (stream !== this.lastStream && !this.atLineStart) this.append('\n');
    this.lastStream = stream;
    // Prefix each stderr line so it stays distinguishable without colour.
    let out = text;
    if (stream === 'stderr') {
      out = text.replace(/(^|\n)(?=[^\n])/g, (_m, nl: string) => `${nl}[stderr] `);
      if (!this.atLineStart) out = out.replace(/^\[stderr\] /, '');
    }
    this.append(out);
    this.atLineStart = text.endsWith('\n');
  }

  private append(text: string): void {
    this.channel.append(text);
    if (this.transcript.length < MAX_TRANSCRIPT) this.transcript += text;
  }
}
