// JSON Schemas of the tools' inputs and structured results: the single source for the MCP tool list, the
// server's own argument validation, and the VS Code language-model tools (which contribute the same input
// schemas in package.json). Plain data, no imports beyond constants, so the extension can bundle it.
import { MAX_CODE_CHARS, MAX_LIBRARIES, MAX_STDIN_CHARS } from './limits';

/** The JSON Schema subset these schemas use (and mcp/validate.ts checks). */
export interface JsonSchema {
  type?:
    | 'object'
    | 'string'
    | 'number'
    | 'integer'
    | 'boolean'
    | 'array'
    | 'null'
    | ('string' | 'integer' | 'number' | 'null')[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly (string | number)[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  default?: unknown;
}

const RUN_LANGUAGES = 'python, javascript, typescript, shell (bash), go, java, c, cpp, ruby';
const CHECK_LANGUAGES = `${RUN_LANGUAGES}, r`;

const code: JsonSchema = {
  type: 'string',
  description: 'The complete source text of the program.',
  maxLength: MAX_CODE_CHARS,
};

export const CHECK_CODE_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    code,
    language: {
      type: 'string',
      description: `Language of the code: ${CHECK_LANGUAGES} (VS Code language ids and common aliases such as py, js, ts, sh are accepted).`,
      minLength: 1,
      maxLength: 64,
    },
  },
  required: ['code', 'language'],
  additionalProperties: false,
};

const timeoutDescription =
  "Wall-clock limit in seconds. Optional: the server's configured timeout applies when omitted, and a longer request is clamped to it (the result says so).";

export const RUN_CODE_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    code,
    language: {
      type: 'string',
      description: `Language to run: ${RUN_LANGUAGES}.`,
      minLength: 1,
      maxLength: 64,
    },
    stdin: {
      type: 'string',
      description:
        'Text given to the program on standard input; without it the program reads end-of-file at once.',
      maxLength: MAX_STDIN_CHARS,
    },
    timeout_seconds: { type: 'number', exclusiveMinimum: 0, description: timeoutDescription },
  },
  required: ['code', 'language'],
  additionalProperties: false,
};

export const EXECUTE_CODE_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    code: { ...code, description: 'The code to execute.' },
    language: {
      type: 'string',
      description: `Programming language (${RUN_LANGUAGES}). Default: python.`,
      minLength: 1,
      maxLength: 64,
      default: 'python',
    },
    libraries: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 214 },
      maxItems: MAX_LIBRARIES,
      description:
        'Packages the code needs. The sandbox has no network, so nothing is installed: the call is refused unless the configured image already provides every one (checked with a probe for python and javascript/typescript; refused for other languages).',
    },
    timeout: { type: 'number', exclusiveMinimum: 0, description: timeoutDescription },
  },
  required: ['code'],
  additionalProperties: false,
};

export const LIST_POLICIES_INPUT: JsonSchema = {
  type: 'object',
  properties: {},
  additionalProperties: false,
};

const SEVERITY_NAMES = ['SAFE', 'LOW', 'MEDIUM', 'HIGH'] as const;

export const FINDING_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    rule: { type: 'string', description: 'Rule id in the policy.' },
    kind: { type: 'string', enum: ['pattern', 'module', 'call', 'dynamic-import', 'encoding'] },
    severity: { type: 'string', enum: SEVERITY_NAMES },
    severity_level: { type: 'integer', minimum: 0, maximum: 3, description: 'SAFE=0 LOW=1 MEDIUM=2 HIGH=3.' },
    line: { type: 'integer', minimum: 1, description: '1-based line of the start.' },
    column: { type: 'integer', minimum: 1, description: '1-based column (UTF-16 units) of the start.' },
    end_line: { type: 'integer', minimum: 1 },
    end_column: { type: 'integer', minimum: 1 },
    message: { type: 'string' },
    blocking: { type: 'boolean', description: 'The finding stops the code from running under this policy.' },
    suppressed: {
      type: 'boolean',
      description: 'A suppression comment covers it (suppression never unblocks a run).',
    },
  },
  required: [
    'rule',
    'kind',
    'severity',
    'severity_level',
    'line',
    'column',
    'end_line',
    'end_column',
    'message',
    'blocking',
    'suppressed',
  ],
  additionalProperties: false,
};

const POLICY_REF: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    source: { type: 'string', description: '`preset:NAME` or the policy file the server was started with.' },
    threshold: { type: 'string', enum: SEVERITY_NAMES },
  },
  required: ['name', 'source', 'threshold'],
  additionalProperties: false,
};

const findings: JsonSchema = { type: 'array', items: FINDING_SCHEMA };
const notes: JsonSchema = { type: 'array', items: { type: 'string' } };

export const CHECK_CODE_OUTPUT: JsonSchema = {
  type: 'object',
  properties: {
    verdict: {
      type: 'string',
      enum: ['allowed', 'blocked'],
      description: 'Whether run_code would run this code.',
    },
    blocked: { type: 'boolean' },
    language: {
      type: 'string',
      description: 'The language the code was checked as (`unknown` if not recognised).',
    },
    policy: POLICY_REF,
    findings,
    truncated: { type: 'boolean', description: 'More findings exist than are listed.' },
    timed_out: {
      type: 'boolean',
      description: 'The check ran out of time; findings are partial and the code counts as blocked.',
    },
    notes,
  },
  required: ['verdict', 'blocked', 'language', 'policy', 'findings', 'truncated', 'timed_out', 'notes'],
  additionalProperties: false,
};

/** Why a run ended (or never started). */
export const RUN_REASONS = [
  'exit',
  'timeout',
  'oom',
  'output_limit',
  'stopped',
  'blocked',
  'busy',
  'unavailable',
  'error',
] as const;
export type RunReason = (typeof RUN_REASONS)[number];

const runCore: Record<string, JsonSchema> = {
  exit_code: {
    type: ['integer', 'null'],
    description: "The program's exit status; null when it did not run or was killed.",
  },
  stdout: { type: 'string' },
  stderr: { type: 'string' },
  truncated: {
    type: 'boolean',
    description: 'Output passed the output limit; the run was stopped and output cut.',
  },
  reason: {
    type: 'string',
    enum: RUN_REASONS,
    description:
      'exit: the program ended by itself; timeout: killed at the time limit; oom: killed out of memory; output_limit: killed at the output cap; stopped: cancelled by the caller; blocked: refused by the policy, nothing ran; busy: the server was at its concurrency limit, nothing ran; unavailable: the requested libraries are not in the image, nothing ran; error: the sandbox could not run it (for example Docker is not running).',
  },
  duration_ms: { type: 'integer', minimum: 0 },
  findings,
  language: { type: 'string' },
  image: { type: ['string', 'null'], description: 'Container image used (null when nothing ran).' },
  timeout_seconds: { type: 'number', description: 'The time limit the run got.' },
  timeout_clamped: {
    type: 'boolean',
    description: 'The requested timeout was longer than the server allows and was cut.',
  },
  requested_timeout_seconds: { type: ['number', 'null'] },
  policy: POLICY_REF,
  message: { type: 'string', description: 'One-paragraph summary: why it ended, refusals, clamping.' },
  notes,
};
const runRequired = [
  'exit_code',
  'stdout',
  'stderr',
  'truncated',
  'reason',
  'duration_ms',
  'findings',
  'language',
  'image',
  'timeout_seconds',
  'timeout_clamped',
  'requested_timeout_seconds',
  'policy',
  'message',
  'notes',
];

export const RUN_CODE_OUTPUT: JsonSchema = {
  type: 'object',
  properties: runCore,
  required: runRequired,
  additionalProperties: false,
};

export const EXECUTE_CODE_OUTPUT: JsonSchema = {
  type: 'object',
  properties: {
    success: { type: 'boolean', description: 'exit_code is 0 (llm-sandbox compatible).' },
    ...runCore,
    libraries: { type: 'array', items: { type: 'string' } },
  },
  required: ['success', ...runRequired, 'libraries'],
  additionalProperties: false,
};

const LIMITS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    timeout_seconds: { type: 'number' },
    memory_bytes: { type: 'integer' },
    cpus: { type: 'number' },
    pids: { type: 'integer' },
    tmp_bytes: { type: 'integer' },
    output_bytes: { type: 'integer' },
    network: { type: 'string', enum: ['none'] },
  },
  required: ['timeout_seconds', 'memory_bytes', 'cpus', 'pids', 'tmp_bytes', 'output_bytes', 'network'],
  additionalProperties: false,
};

export const LIST_POLICIES_OUTPUT: JsonSchema = {
  type: 'object',
  properties: {
    presets: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          threshold: { type: 'string', enum: SEVERITY_NAMES },
          active: { type: 'boolean' },
        },
        required: ['name', 'description', 'threshold', 'active'],
        additionalProperties: false,
      },
    },
    active: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        source: { type: 'string' },
        threshold: { type: 'string', enum: SEVERITY_NAMES },
        threshold_level: { type: 'integer', minimum: 0, maximum: 3 },
        blocks_from: {
          type: 'string',
          description: 'Plain words: which severities block a run under this threshold.',
        },
        restricted_modules: { type: 'array', items: { type: 'string' } },
        restricted_calls: { type: 'array', items: { type: 'string' } },
        patterns: { type: 'integer', description: 'Number of pattern rules.' },
        allow_suppressions: { type: 'boolean' },
      },
      required: [
        'name',
        'source',
        'threshold',
        'threshold_level',
        'blocks_from',
        'restricted_modules',
        'restricted_calls',
        'patterns',
        'allow_suppressions',
      ],
      additionalProperties: false,
    },
    sandbox: {
      type: 'object',
      description:
        "The runner's fixed settings (from the server's configuration; tool arguments cannot change them).",
      properties: {
        limits: LIMITS_SCHEMA,
        images: { type: 'object', additionalProperties: { type: 'string' } },
        max_concurrent: { type: 'integer' },
        queue: { type: 'string', enum: ['wait', 'refuse'] },
      },
      required: ['limits', 'images', 'max_concurrent', 'queue'],
      additionalProperties: false,
    },
  },
  required: ['presets', 'active', 'sandbox'],
  additionalProperties: false,
};
