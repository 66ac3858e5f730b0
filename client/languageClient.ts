import { fork, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import {
  DiagnosticPullMode,
  LanguageClient,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, type SandboxGuardInitializationOptions } from '../server/protocol';
import { readSettings, SECTION } from './configuration';
import { documentSelector } from './languages';

export interface ClientParts {
  client: LanguageClient;
  /** The running server process, if any (the crash-restart tests need it, and so does the log). */
  serverProcess(): ChildProcess | undefined;
}

/**
 * The language client for dist/server.js. The server process is forked here rather than by the library so
 * that its pid is known; it speaks LSP over stdio and exits by itself when the extension host dies
 * (`--clientProcessId`). Settings are answered per resource by the configuration middleware.
 */
export function createLanguageClient(
  serverModule: string,
  log: vscode.LogOutputChannel,
  errorHandler: ErrorHandler,
  extraPolicyFiles: readonly string[],
): ClientParts {
  let current: ChildProcess | undefined;
  const serverOptions: ServerOptions = async () => {
    const child = fork(serverModule, ['--stdio', `--clientProcessId=${process.pid}`], {
      silent: true,
      execArgv: [],
      // In desktop VS Code process.execPath is Electron; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    current = child;
    log.info(`language server started (pid ${child.pid ?? '?'})`);
    child.on('exit', (code, signal) => {
      if (current === child) current = undefined;
      log.info(`language server (pid ${child.pid ?? '?'}) exited: ${signal ?? `code ${code}`}`);
    });
    return { process: child, detached: false };
  };

  const initializationOptions: SandboxGuardInitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
  };
  let client: LanguageClient | undefined = undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(extraPolicyFiles),
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
    outputChannel: log,
    traceOutputChannel: log,
    initializationOptions,
    errorHandler,
    diagnosticPullOptions: {
      onChange: true,
      onSave: true,
      // In onSave mode there is nothing to ask for while typing.
      filter: (document, mode) =>
        mode === DiagnosticPullMode.onType && readSettings(document.uri).diagnostics.run === 'onSave',
    },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const ours = params.items.map((item) => item.section === SECTION);
          const fromVsCode = ours.every(Boolean) ? [] : await next(params, token);
          if (fromVsCode instanceof Error || !Array.isArray(fromVsCode)) return fromVsCode;
          return params.items.map((item, i) => {
            if (!ours[i]) return fromVsCode[i];
            const scope = item.scopeUri ? client?.protocol2CodeConverter.asUri(item.scopeUri) : undefined;
            return readSettings(scope);
          });
        },
      },
    },
  };
  client = new LanguageClient(SECTION, 'Sandbox Guard', serverOptions, clientOptions);
  return { client, serverProcess: () => current };
}
