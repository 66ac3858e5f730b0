// `sandbox-guard run FILE`: the policy gate, then the file's text in a hardened throw-away container, with
// output streamed to stdout/stderr. Exit status follows `docker run`/`timeout`: the program's own; 124
// timeout; 125 sandbox, Docker or usage error; 126 blocked by the policy; 137 killed (out of memory or
// output limit); 130 stopped with Ctrl+C. The reason for any status the program did not choose goes to
// stderr; a normal exit adds nothing to the program's own output.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { languageFromPath } from '../core/languages/registry';
import { loadEffectivePolicy } from '../runtime/effectivePolicy';
import { formatBytes, parseByteSize, type RunLimits } from '../sandbox/limits';
import { RUNNABLE_LANGUAGES, runtimeKey } from '../sandbox/languages';
import { startRun, type RunResult, type RunStatus } from '../sandbox/runner';

export const RUN_USAGE = `sandbox-guard run FILE [--language ID] [--image IMG] [--timeout SECONDS] [--memory SIZE]
                  [--cpus N] [--output-limit SIZE] [--policy FILE | --preset NAME] [--stdin] [--force] [--no-pull]

  Checks FILE's text with the policy, then runs it in a hardened, throw-away Docker container (no network,
  read-only root, no capabilities, non-root, memory/CPU/pids/time/output limits). "-" reads the code from
  standard input. Every run and refusal is appended to the audit log (SANDBOX_GUARD_AUDIT_LOG, default
  ~/.sandbox-guard/audit.jsonl).

  --language ID       ${RUNNABLE_LANGUAGES.join(', ')} (default: from the extension or shebang)
  --image IMG         image to run in (default per language, e.g. python:3.12-slim)
  --timeout SECONDS   wall-clock limit (default 30)
  --memory SIZE       memory limit, no swap (default 512m)
  --cpus N            CPU limit (default 1)
  --output-limit SIZE stdout+stderr bytes before the run is killed (default 1m)
  --policy FILE       policy file (default: ./sandbox-guard.json if present, else --preset)
  --preset NAME       bundled preset (default: recommended)
  --stdin             forward standard input to the program (otherwise it reads EOF at once)
  --force             run even if the policy blocks (recorded in the audit log)
  --no-pull           fail instead of pulling a missing image

  Exit status: the program's own; 124 timeout; 125 sandbox, Docker or usage error; 126 blocked by the
  policy; 137 killed (out of memory or output limit); 130 stopped (Ctrl+C).`;

export const EXIT = { timeout: 124, sandboxError: 125, blocked: 126, killed: 137, stopped: 130 } as const;

function fail(message: string, hint?: string): number {
  process.stderr.write(`sandbox-guard run: ${message}\n${hint ? `  ${hint}\n` : ''}`);
  return EXIT.sandboxError;
}

function readAllStdin(): string {
  return readFileSync(0, 'utf8');
}

/** A one-line progress bar on a TTY; sparse lines otherwise (a log file should not fill with redraws). */
function pullReporter(): { update(s: Extract<RunStatus, { kind: 'pulling' }>): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let announced = false;
  let drawn = false;
  return {
    update(s) {
      if (!announced) {
        announced = true;
        process.stderr.write(`sandbox-guard: pulling ${s.image} (not present locally)\n`);
      }
      if (!tty) return;
      const width = 30;
      const frac = s.total ? Math.min(1, (s.current ?? 0) / s.total) : 0;
      const bar = s.total
        ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${Math.floor(frac * 100)}%`
        : '';
      const sizes = s.total ? ` ${formatBytes(s.current ?? 0)}/${formatBytes(s.total)}` : '';
      const line = `${bar}${sizes} ${s.text}`.slice(0, (process.stderr.columns || 80) - 1);
      process.stderr.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

function exitStatus(r: RunResult): number {
  switch (r.reason) {
    case 'exit':
      return r.exitCode ?? EXIT.sandboxError;
    case 'timeout':
      return EXIT.timeout;
    case 'oom':
    case 'output-limit':
      return EXIT.killed;
    case 'blocked':
      return EXIT.blocked;
    case 'stopped':
      return EXIT.stopped;
    case 'error':
      return EXIT.sandboxError;
  }
}

function reasonText(r: RunResult): string | undefined {
  const l = r.limits;
  switch (r.reason) {
    case 'exit':
      return undefined;
    case 'timeout':
      return `timed out after ${l.timeoutMs / 1000} s; the container was killed (exit status ${EXIT.timeout})`;
    case 'oom':
      return `out of memory (limit ${formatBytes(l.memoryBytes)}); the program was killed (exit status ${EXIT.killed})`;
    case 'output-limit':
      return `output limit of ${formatBytes(l.outputBytes)} reached; output truncated and the container killed (exit status ${EXIT.killed})`;
    case 'stopped':
      return 'stopped; the container was killed';
    case 'blocked':
      return `${r.refusal ?? 'Run refused by the policy.'}\nNot run (exit status ${EXIT.blocked}). Fix the code, or use --force to run anyway (recorded in the audit log).`;
    case 'error':
      return r.error ? `${r.error.message}\n  ${r.error.hint}` : 'the sandbox failed';
  }
}

export async function runCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        language: { type: 'string', short: 'l' },
        image: { type: 'string' },
        timeout: { type: 'string' },
        memory: { type: 'string' },
        cpus: { type: 'string' },
        'output-limit': { type: 'string' },
        policy: { type: 'string' },
        preset: { type: 'string' },
        stdin: { type: 'boolean' },
        force: { type: 'boolean' },
        'no-pull': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail((e as Error).message, 'Run "sandbox-guard help run" for usage.');
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    return fail('expected exactly one FILE', 'Run "sandbox-guard help run" for usage.');
  if (v.policy && v.preset) return fail('--policy and --preset exclude each other');
  const file = positionals[0];
  if (file === '-' && v.stdin)
    return fail('--stdin cannot be used when the code itself comes from standard input');

  let code: string;
  try {
    code = file === '-' ? readAllStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return fail(`${file}: ${why}`);
  }

  const nl = code.indexOf('\n');
  const languageId =
    v.language ?? languageFromPath(file === '-' ? '' : file, nl === -1 ? code : code.slice(0, nl));
  if (!runtimeKey(languageId) && !(v.image && v.language)) {
    return fail(
      `cannot run ${file} as "${languageId}"`,
      `Pass --language with one of: ${RUNNABLE_LANGUAGES.join(', ')}.`,
    );
  }

  const limits: Partial<RunLimits> = {};
  if (v.timeout !== undefined) {
    const s = Number(v.timeout);
    if (!Number.isFinite(s) || s <= 0)
      return fail(`--timeout: expected seconds, got ${JSON.stringify(v.timeout)}`);
    limits.timeoutMs = Math.round(s * 1000);
  }
  for (const [flag, key] of [
    ['memory', 'memoryBytes'],
    ['output-limit', 'outputBytes'],
  ] as const) {
    const text = v[flag];
    if (text === undefined) continue;
    const n = parseByteSize(text);
    if (n === undefined) return fail(`--${flag}: expected a size like 512m, got ${JSON.stringify(text)}`);
    limits[key] = n;
  }
  if (v.cpus !== undefined) {
    const n = Number(v.cpus);
    if (!Number.isFinite(n) || n <= 0)
      return fail(`--cpus: expected a number, got ${JSON.stringify(v.cpus)}`);
    limits.cpus = n;
  }

  const eff = loadEffectivePolicy({ preset: v.preset, policyFile: v.policy, cwd: process.cwd() });
  for (const p of eff.problems)
    process.stderr.write(`sandbox-guard run: policy ${p.severity}: ${p.source}: ${p.message}\n`);
  if (eff.problems.some((p) => p.severity === 'error')) {
    // A broken policy would gate with fewer rules than intended: fail closed.
    return fail(
      'the policy has errors, so nothing was run',
      'Fix the policy (see the messages above) or choose a preset.',
    );
  }

  const pull = pullReporter();
  // A reader that goes away (`| head`) ends the run, as SIGPIPE would; the writes stop there.
  let stdoutGone = false;
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') return;
    stdoutGone = true;
    void handle.stop();
  };
  process.stdout.on('error', onStdoutError);
  const handle = startRun(
    {
      code,
      languageId,
      fileName: file === '-' ? '<stdin>' : file,
      policy: eff.policy,
      policySource: eff.source,
      force: v.force === true,
      image: v.image,
      limits,
      stdin: v.stdin === true,
    },
    {
      stdout: (t) => {
        if (!stdoutGone) process.stdout.write(t);
      },
      stderr: (t) => void process.stderr.write(t),
      status: (s) => {
        if (s.kind === 'pulling') pull.update(s);
        else if (s.kind === 'started') pull.done();
        else if (s.kind === 'warning') process.stderr.write(`sandbox-guard: warning: ${s.message}\n`);
      },
    },
    { actor: 'cli', pull: v['no-pull'] ? 'never' : 'missing' },
  );

  const onSigint = () => void handle.stop();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const onData = (d: Buffer) => handle.writeStdin(d);
  const onEnd = () => handle.endStdin();
  if (v.stdin) {
    process.stdin.on('data', onData);
    process.stdin.on('end', onEnd);
  }
  try {
    const r = await handle.result;
    pull.done();
    const why = reasonText(r);
    if (why) process.stderr.write(`${r.reason === 'blocked' ? '' : 'sandbox-guard: '}${why}\n`);
    return exitStatus(r);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    process.stdout.off('error', onStdoutError);
    if (v.stdin) {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      process.stdin.destroy();
    }
  }
}
