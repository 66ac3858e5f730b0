import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { LineIndex } from '../core/lineIndex';
import { severityName } from '../core/severity';
import { loadEffectivePolicy } from '../runtime/effectivePolicy';
import { collectFiles, UsageError } from './files';
import { checkFiles } from './checkFiles';
import type { FileResult } from './report';
import { toSarif } from './sarif';

export const CHECK_USAGE = `sandbox-guard check [--preset NAME | --policy FILE] [--format text|json|sarif] [--language ID] PATH...

  Checks files against a policy. Directories are searched recursively for files of known languages;
  "-" reads standard input.

  --preset NAME     bundled preset (default: recommended; see "sandbox-guard presets")
  --policy FILE     policy file (JSON, see policies/policy.schema.json); default: ./sandbox-guard.json if present
  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0)
  --language ID     language of every input (python, javascript, typescript, go, java, c, cpp, ruby, r, shellscript);
                    default: from each file's extension or shebang

  Exit status: 0 nothing blocks, 1 a finding blocks, 2 usage or policy error.`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  readStdin: () => string;
}

function problemsText(problems: ReturnType<typeof loadEffectivePolicy>['problems']): string {
  const texts = new Map<string, LineIndex>();
  return problems
    .map((p) => {
      let where = p.source;
      if (!p.source.startsWith('preset:')) {
        let idx = texts.get(p.source);
        if (!idx) {
          let t = '';
          try {
            t = readFileSync(p.source, 'utf8');
          } catch {
            // unreadable: report without a position
          }
          texts.set(p.source, (idx = new LineIndex(t)));
        }
        const pos = idx.position(p.offset);
        where = `${p.source}:${pos.line + 1}:${pos.character + 1}`;
      }
      return `${where}: ${p.severity}: ${p.message}`;
    })
    .join('\n');
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      policy: { type: 'string' },
      format: { type: 'string', default: 'text' },
      language: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${CHECK_USAGE}\n`);
    return 0;
  }
  if (values.preset && values.policy) throw new UsageError('--preset and --policy are mutually exclusive');
  if (!['text', 'json', 'sarif'].includes(values.format ?? '')) {
    throw new UsageError(`--format must be text, json or sarif (got "${values.format}")`);
  }
  if (positionals.length === 0) throw new UsageError('no PATH given (use "-" for standard input)');

  const eff = loadEffectivePolicy({
    preset: values.preset,
    policyFile: values.policy,
    cwd: values.preset ? undefined : process.cwd(),
  });
  const errors = eff.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    io.err(`sandbox-guard: the policy has errors; fix them and run again:\n${problemsText(errors)}\n`);
    return 2;
  }
  if (eff.problems.length > 0) io.err(`${problemsText(eff.problems)}\n`);

  const files = collectFiles(positionals, values.language, io.readStdin);
  const results: FileResult[] = await checkFiles(files, eff.policy);
  const blocked = results.some((r) => r.result.blocked);

  if (values.format === 'json') {
    const json = {
      files: results.map((r) => ({
        path: r.path,
        language: r.result.language,
        findings: r.findings.map((f) => f.reported),
      })),
      blocked,
    };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
  } else if (values.format === 'sarif') {
    io.out(`${JSON.stringify(toSarif(results, eff.policy), null, 2)}\n`);
  } else {
    let count = 0;
    for (const r of results) {
      for (const { reported: f } of r.findings) {
        count++;
        const mark = f.blocking ? 'BLOCKS' : 'report';
        io.out(`${r.path}:${f.line}:${f.column}: ${f.severity} [${f.ruleId}] ${mark}: ${f.message}\n`);
      }
      for (const note of r.result.notes) io.err(`${r.path}: note: ${note}\n`);
    }
    const threshold = severityName(eff.policy.severityThreshold);
    io.out(
      `${count} finding(s) in ${results.length} file(s); policy ${eff.policy.name} (${eff.source}), threshold ${threshold}: ${blocked ? 'BLOCKED' : 'allowed'}\n`,
    );
  }
  return blocked ? 1 : 0;
}
