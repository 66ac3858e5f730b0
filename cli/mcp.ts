// `sandbox-guard mcp`: the MCP server on stdio. stdout carries protocol only; everything else goes to stderr.
import { format } from 'node:util';
import type { ParserHost } from '../core/parsing';
import { severityName } from '../core/severity';
import { McpAudit } from '../mcp/audit';
import { RunSlots } from '../mcp/concurrency';
import type { ServerContext } from '../mcp/context';
import { MAX_MESSAGE_BYTES } from '../mcp/limits';
import { MCP_USAGE, OptionsError, parseMcpOptions } from '../mcp/options';
import { createMcpServer } from '../mcp/server';
import { LineTransport } from '../mcp/stdioTransport';
import { describeLimits } from '../sandbox/limits';
import { loadEffectivePolicy } from '../runtime/effectivePolicy';
import { loadParsers } from '../runtime/grammars';
import { languageInfo } from '../core/languages/registry';
import { UsageError } from './files';

export { MCP_USAGE };

/** Longest wait for running containers to be stopped and removed when the server is told to quit. */
const SHUTDOWN_GRACE_MS = 15_000;

function log(message: string): void {
  process.stderr.write(`sandbox-guard mcp: ${message}\n`);
}

/** Anything a dependency prints with console.log would corrupt the protocol stream. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

export async function mcpCommand(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseMcpOptions(argv);
  } catch (e) {
    if (e instanceof OptionsError) throw new UsageError(e.message);
    throw e;
  }
  if (!options) {
    process.stdout.write(`${MCP_USAGE}\n`);
    return 0;
  }
  keepStdoutForProtocol();

  // No cwd: a sandbox-guard.json in the directory the agent works in is the agent's to write, so it must not
  // be able to choose its own policy.
  const eff = loadEffectivePolicy({ preset: options.preset, policyFile: options.policyFile });
  const errors = eff.problems.filter((p) => p.severity === 'error');
  for (const p of eff.problems) log(`${p.source}: ${p.severity}: ${p.message}`);
  if (errors.length > 0) {
    log('the policy has errors; not starting (fix the policy, or choose another with --preset/--policy)');
    return 2;
  }

  const getParsers = (languageId: string): Promise<ParserHost> => {
    const grammar = languageInfo(languageId)?.grammar?.(languageId.toLowerCase());
    return loadParsers(grammar ? [grammar] : []);
  };

  const ctx: ServerContext = {
    options,
    policy: eff.policy,
    policySource: eff.source,
    parsers: getParsers,
    slots: new RunSlots(options.maxConcurrent, options.queue, options.maxQueue),
    audit: new McpAudit(options.auditLog, log),
    log,
  };
  const handle = createMcpServer(ctx);
  handle.server.onerror = (e) => log(e.message);
  process.on('unhandledRejection', (e) =>
    log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );

  const transport = new LineTransport(process.stdin, process.stdout, MAX_MESSAGE_BYTES);
  log(
    `serving on stdio; policy ${eff.policy.name} (${eff.source}), threshold ${severityName(eff.policy.severityThreshold)}; ` +
      `${describeLimits(options.limits)}; at most ${options.maxConcurrent} concurrent run(s), queue ${options.queue}; ` +
      `audit log ${ctx.audit.path ?? 'off'}${options.configFile ? `; config ${options.configFile}` : ''}`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    // Stops runs still going (their containers are removed), waits for them within a grace period, exits.
    const stop = async (why: string) => {
      if (stopping) return;
      stopping = true;
      if (handle.inFlight() > 0) log(`${why}; stopping ${handle.inFlight()} call(s) in progress`);
      handle.shutdown(`the server is shutting down (${why})`);
      const grace = new Promise<void>((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([handle.idle(), grace]);
      await handle.server.close().catch(() => {});
      // A lingering socket (Docker keep-alive) must not keep a server its client has left alive.
      setTimeout(() => process.exit(0), 2_000).unref();
      resolve(0);
    };
    // The transport closes once stdin has ended and every request received was answered.
    handle.server.onclose = () => void stop('the client closed the connection');
    process.stdout.on('error', (e) => void stop(`stdout failed (${e.message})`));
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
      process.once(sig, () => void stop(`received ${sig}`));
    handle.server.connect(transport).catch((e: unknown) => {
      log(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
      resolve(1);
    });
  });
}
