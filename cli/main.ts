// sandbox-guard: the command-line face of the same engine and runner the extension uses.
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort } from 'node:worker_threads';
import { runCheckWorker } from './checkFiles';
import { checkCommand, CHECK_USAGE, type Io } from './check';
import { UsageError } from './files';
import { presetsCommand, PRESETS_USAGE } from './presets';
import { RUN_USAGE } from './run';
import { MCP_USAGE } from '../mcp/options';
import { VERSION } from './version';

const USAGE = `sandbox-guard ${VERSION}: security policy checks and a hardened Docker sandbox for code you did not write.

Usage:
  sandbox-guard <command> [options]

Commands:
  check     check files against a policy (exit 0 allowed, 1 blocked, 2 usage/policy error)
  run       check, then run a file in a hardened, throw-away Docker container
  presets   list the bundled policy presets
  mcp       start the Model Context Protocol server on stdio (for AI agents)
  help      show help for a command: sandbox-guard help <command>

Options:
  -h, --help     show help
  -v, --version  show the version

${CHECK_USAGE}

${RUN_USAGE}

${PRESETS_USAGE}

${MCP_USAGE}
`;

type Command = (argv: string[], io: Io) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  check: checkCommand,
  presets: presetsCommand,
  run: (argv) => import('./run').then((m) => m.runCommand(argv)),
  mcp: (argv) => import('./mcp').then((m) => m.mcpCommand(argv)),
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || (cmd === 'help' && rest.length === 0)) {
    io.out(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '-v' || cmd === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  if (cmd === 'help') return main([rest[0], '--help'], io);
  const command = COMMANDS[cmd];
  if (!command) {
    io.err(`sandbox-guard: unknown command "${cmd}"\nRun "sandbox-guard --help" for the commands.\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`sandbox-guard ${cmd}: ${e instanceof Error ? e.message : String(e)}\n`);
    if (usage) io.err(`Run "sandbox-guard help ${cmd}" for usage.\n`);
    return 2;
  }
}

if (!isMainThread) {
  void runCheckWorker((r) => parentPort?.postMessage(r));
} else if (require.main === module) {
  const io: Io = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    readStdin: () => readFileSync(0, 'utf8'),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `sandbox-guard: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
