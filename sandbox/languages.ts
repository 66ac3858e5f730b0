// How each language runs in the sandbox: image, argv template and file name. Settings override the image
// (and may override the command); the argv is always a list, and `{file}` is the only substitution, so no
// user text ever reaches a shell string.
export interface LanguageRuntime {
  /** Default image for real users (a settings value or `--image` replaces it). */
  image: string;
  /** argv; `{file}` becomes the absolute path of the code inside the container. */
  command: string[];
  /** Extension the delivered file gets (`.py`); some runtimes choose behaviour by it. */
  extension: string;
  /** Other extensions accepted from the original file name (`.mjs` keeps Node's ESM semantics). */
  alsoExtensions?: string[];
  /** Extra environment, on top of the runner's fixed allowlist. */
  env?: Record<string, string>;
  /** Compiled languages execute a binary built in /tmp, so /tmp is mounted without `noexec`. */
  tmpExec?: boolean;
}

/** Keys are VS Code language ids. */
export const LANGUAGES: Readonly<Record<string, LanguageRuntime>> = {
  python: {
    image: 'python:3.12-slim',
    command: ['python3', '-I', '-u', '{file}'],
    extension: '.py',
    env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
  },
  javascript: {
    image: 'node:22-slim',
    command: ['node', '{file}'],
    extension: '.js',
    alsoExtensions: ['.mjs', '.cjs'],
  },
  typescript: {
    image: 'node:22-slim',
    command: ['node', '--experimental-strip-types', '--disable-warning=ExperimentalWarning', '{file}'],
    extension: '.ts',
    alsoExtensions: ['.mts', '.cts'],
  },
  shellscript: { image: 'debian:bookworm-slim', command: ['bash', '{file}'], extension: '.sh' },
  go: {
    image: 'golang:1.23-bookworm',
    command: ['go', 'run', '{file}'],
    extension: '.go',
    env: { GOCACHE: '/tmp/.cache/go-build', GOPATH: '/tmp/go', GOTOOLCHAIN: 'local', GOFLAGS: '-modcacherw' },
    tmpExec: true,
  },
  java: {
    image: 'eclipse-temurin:21-jdk',
    // Serial GC and C1 only: fewer threads under the pids limit, faster start for one-file programs.
    command: ['java', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '{file}'],
    extension: '.java',
  },
  c: {
    image: 'gcc:14',
    command: ['sh', '-c', 'gcc -O2 -o /tmp/prog "$1" -lm && exec /tmp/prog', 'sh', '{file}'],
    extension: '.c',
    tmpExec: true,
  },
  cpp: {
    image: 'gcc:14',
    command: ['sh', '-c', 'g++ -O2 -o /tmp/prog "$1" && exec /tmp/prog', 'sh', '{file}'],
    extension: '.cpp',
    alsoExtensions: ['.cc', '.cxx'],
    tmpExec: true,
  },
  ruby: { image: 'ruby:3.3-slim', command: ['ruby', '{file}'], extension: '.rb' },
};

/** Other spellings of the keys (llm-sandbox names, file extensions, VS Code's React variants). */
const ALIASES: Record<string, string> = {
  py: 'python',
  python3: 'python',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  javascriptreact: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  shell: 'shellscript',
  bash: 'shellscript',
  sh: 'shellscript',
  golang: 'go',
  'c++': 'cpp',
  rb: 'ruby',
};

/** The table key for any language id or alias (`shell`, `bash`, `js`...); undefined if not runnable. */
export function runtimeKey(languageId: string): string | undefined {
  const lower = languageId.toLowerCase();
  const key = Object.hasOwn(LANGUAGES, lower) ? lower : ALIASES[lower];
  return key && Object.hasOwn(LANGUAGES, key) ? key : undefined;
}

export interface LanguageOverrides {
  /** Image per language key (from machine/application-scope settings). */
  images?: Record<string, string>;
}

/** The runtime for a language, with setting overrides applied; undefined when the language cannot run. */
export function resolveRuntime(
  languageId: string,
  overrides: LanguageOverrides = {},
): LanguageRuntime | undefined {
  const key = runtimeKey(languageId);
  if (!key) return undefined;
  const base = LANGUAGES[key];
  const image = overrides.images?.[key];
  return image ? { ...base, image } : base;
}

/** The name the code gets inside the container: `main` plus the original extension when the runtime accepts it. */
export function containerFileName(runtime: LanguageRuntime, originalName?: string): string {
  const ext = originalName ? /\.[A-Za-z0-9]+$/.exec(originalName)?.[0]?.toLowerCase() : undefined;
  const ok = ext && (ext === runtime.extension || runtime.alsoExtensions?.includes(ext));
  return `main${ok ? ext : runtime.extension}`;
}

/** Replaces `{file}` in each argv element; nothing else is interpreted. */
export function expandCommand(template: readonly string[], file: string): string[] {
  return template.map((arg) => arg.split('{file}').join(file));
}

/** Runnable language keys, for settings schemas and `--language` help. */
export const RUNNABLE_LANGUAGES = Object.keys(LANGUAGES);
