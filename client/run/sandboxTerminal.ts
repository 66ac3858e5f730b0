import * as vscode from 'vscode';
import type { RunView } from './runView';

const RESET = '\x1b[0m';
const STDERR = '\x1b[31m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const MAX_TRANSCRIPT = 2 * 1024 * 1024;

export interface TerminalInput {
  /** A line (or a partial line at Ctrl+D) the user typed, to forward to stdin. */
  onInput(text: string): void;
  /** Ctrl+D on an empty line: end of input. */
  onEndOfInput(): void;
  /** Ctrl+C: stop the run. */
  onInterrupt(): void;
  /** The user closed the terminal: stop the run and remove the container. */
  onClose(): void;
}

/**
 * The run's terminal panel: a Pseudoterminal (no shell behind it). Program output arrives already made
 * safe by the runner; this class only frames it: `\n` → `\r\n`, stderr in red, a header and a footer.
 * Typing is handled like a cooked TTY line discipline: echoed locally, editable with Backspace, sent on
 * Enter; Ctrl+C stops the run and Ctrl+D ends the input.
 */
export class SandboxTerminal implements vscode.Pseudoterminal, RunView {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private readonly backlog: string[] = [];
  private line = '';
  private inputOpen: boolean;
  private finished = false;
  private atLineStart = true;
  /** Everything written, without colours: what a user would read (tests and logs use it). */
  transcript = '';

  constructor(
    private readonly input: TerminalInput,
    forwardInput: boolean,
  ) {
    this.inputOpen = forwardInput;
  }

  open(): void {
    this.opened = true;
    for (const chunk of this.backlog.splice(0)) this.writeEmitter.fire(chunk);
  }

  close(): void {
    if (!this.finished) this.input.onClose();
    this.finished = true;
  }

  handleInput(data: string): void {
    if (this.finished) return;
    for (const ch of data) {
      if (ch === CTRL_C) {
        this.emit('^C\r\n');
        this.input.onInterrupt();
        return;
      }
      if (!this.inputOpen) continue;
      if (ch === CTRL_D) {
        if (this.line === '') {
          this.inputOpen = false;
          this.input.onEndOfInput();
        } else {
          this.input.onInput(this.line);
          this.line = '';
        }
      } else if (ch === '\r' || ch === '\n') {
        this.emit('\r\n');
        this.input.onInput(`${this.line}\n`);
        this.line = '';
        this.atLineStart = true;
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = [...this.line].slice(0, -1).join('');
          this.emit('\b \b');
        }
      } else if (ch >= ' ') {
        this.line += ch;
        this.emit(ch);
      }
    }
  }

  stdout(text: string): void {
    this.output(text, '');
  }

  stderr(text: string): void {
    this.output(text, STDERR);
  }

  /** A line of our own (header, notices), dimmed so it is not mistaken for program output. */
  info(text: string): void {
    this.newLineIfNeeded();
    this.emit(`${DIM}${text.replace(/\r?\n/g, '\r\n')}${RESET}\r\n`, text + '\n');
    this.atLineStart = true;
  }

  /** The final status line; the terminal stays open so the output can be read. Input is off from here. */
  finish(text: string, ok: boolean): void {
    this.newLineIfNeeded();
    const colour = ok ? '\x1b[32m' : '\x1b[33m';
    this.emit(`${BOLD}${colour}${text}${RESET}\r\n`, text + '\n');
    this.finished = true;
    this.inputOpen = false;
  }

  private output(text: string, colour: string): void {
    if (text === '') return;
    const body = text.replace(/\r?\n/g, '\r\n');
    this.emit(colour ? `${colour}${body}${RESET}` : body, text);
    this.atLineStart = text.endsWith('\n');
  }

  private newLineIfNeeded(): void {
    if (!this.atLineStart) this.emit('\r\n');
    this.atLineStart = true;
  }

  private emit(data: string, plain = data): void {
    if (this.transcript.length < MAX_TRANSCRIPT) this.transcript += plain.replace(/\r\n/g, '\n');
    if (this.opened) this.writeEmitter.fire(data);
    else this.backlog.push(data);
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
