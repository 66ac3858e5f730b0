import { parseByteSize, type RunLimits } from '../../sandbox/limits';
import { userLevelSetting } from '../configuration';

export interface RunSettings {
  images: Record<string, string>;
  /** argv templates per language key (`{file}` = the code's path in the container). */
  commands: Record<string, string[]>;
  limits: Partial<RunLimits>;
  allowOverride: boolean;
  forwardInput: boolean;
  audit: { enabled: boolean; path?: string };
}

/**
 * Everything that controls execution, read from user-level settings only (these settings are `machine` or
 * `application` scoped, and workspace values are ignored here as well, in case an older VS Code applies
 * them). Throws an Error naming the setting when a value cannot be used.
 */
export function readRunSettings(): RunSettings {
  const size = (key: string): number | undefined => {
    const raw = userLevelSetting<string>(key);
    if (raw === undefined || raw === '') return undefined;
    const n = parseByteSize(String(raw));
    if (n === undefined)
      throw new Error(`the setting sandboxGuard.${key} = "${raw}" is not a size (use 512m, 1g, 64MiB)`);
    return n;
  };
  const num = (key: string): number | undefined => {
    const v = userLevelSetting<number>(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const timeout = num('run.timeoutSeconds');
  const images: Record<string, string> = {};
  const configured = userLevelSetting<Record<string, unknown>>('run.images') ?? {};
  for (const [language, image] of Object.entries(configured)) {
    if (typeof image === 'string' && image.trim() !== '') images[language] = image.trim();
  }
  const commands: Record<string, string[]> = {};
  const configuredCommands = userLevelSetting<Record<string, unknown>>('run.commands') ?? {};
  for (const [language, argv] of Object.entries(configuredCommands)) {
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      throw new Error(
        `the setting sandboxGuard.run.commands.${language} must be a non-empty list of strings`,
      );
    }
    commands[language] = argv as string[];
  }
  const limits: Partial<RunLimits> = {
    timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
    memoryBytes: size('run.memory'),
    cpus: num('run.cpus'),
    pids: num('run.pids'),
    tmpfsBytes: size('run.tmpSize'),
    outputBytes: size('run.outputLimit'),
  };
  for (const k of Object.keys(limits) as (keyof RunLimits)[]) if (limits[k] === undefined) delete limits[k];
  const auditFile = userLevelSetting<string>('audit.file')?.trim();
  return {
    images,
    commands,
    limits,
    allowOverride: userLevelSetting<boolean>('run.allowOverride') === true,
    forwardInput: userLevelSetting<boolean>('run.forwardInput') !== false,
    audit: { enabled: userLevelSetting<boolean>('audit.enable') !== false, path: auditFile || undefined },
  };
}
