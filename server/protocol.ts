/**
 * The contract between the Sandbox Guard language server and its clients (the VS Code extension, tests,
 * benchmarks). Pure types and string constants only, so that the client can import it without pulling in
 * any server code.
 */

/** Line/character positions as in LSP (0-based, UTF-16 characters); structurally equal to LSP's Range. */
export interface ProtocolRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type SeverityName = 'SAFE' | 'LOW' | 'MEDIUM' | 'HIGH';

/** The settings the server pulls per resource with `workspace/configuration` (section `sandboxGuard`). */
export interface SandboxGuardSettings {
  policy: {
    /** A bundled preset, used when no policy file applies. */
    preset: string;
    /** A policy file; relative paths resolve against the workspace folder. Empty: `sandbox-guard.json` in the folder, if present. */
    file: string;
  };
  diagnostics: {
    enable: boolean;
    /** `onSave`: a pull for an unsaved version answers "unchanged" (the client keeps what it shows). */
    run: 'onType' | 'onSave';
  };
  /** False in an untrusted workspace: a workspace policy file may then only tighten the preset. */
  workspaceTrusted: boolean;
}

export const DEFAULT_SETTINGS: SandboxGuardSettings = {
  policy: { preset: 'recommended', file: '' },
  diagnostics: { enable: true, run: 'onType' },
  workspaceTrusted: true,
};

/** `initializationOptions` the server understands (all optional). */
export interface SandboxGuardInitializationOptions {
  /** The trust state at start-up; `false` wins over the `sandboxGuard.workspaceTrusted` setting. */
  workspaceTrusted?: boolean;
  /** Documents longer than this (UTF-16 code units) are not checked. Default 5 MiB. */
  maxFileSize?: number;
  /**
   * Documents longer than this are checked on open and save (and by `sandboxGuard/check`), not while
   * typing, as if `diagnostics.run` were `onSave`. Default 1 MiB.
   */
  onTypeMaxFileSize?: number;
  /** Cap on findings per document (default 1000, as VS Code shows at most 1000 problems per file). */
  maxFindings?: number;
  /** Time budget in ms for one check (default 1500). */
  timeBudgetMs?: number;
}

/** Where a policy entry lives: the policy file path or `preset:NAME`, and the entry's offset in it. */
export interface PolicyEntryRef {
  source: string;
  offset?: number;
  /** JSON path of the entry (bundled presets, whose entries have no offset). */
  path?: (string | number)[];
}

/** The policy that applies to a document. */
export interface PolicyInfo {
  /** The policy's `name`. */
  name: string;
  threshold: SeverityName;
  /** The file path of the workspace/configured policy file, or `preset:NAME`. */
  source: string;
  /** A URI that opens the policy: the policy file or the bundled preset JSON (absent if not on disk). */
  uri?: string;
  /** The whole chain, most derived first (file paths or `preset:NAME`). */
  sources: string[];
  /** Errors and warnings in the policy files (shown as diagnostics in those files). */
  problemCount: number;
  /** Set when the configured policy could not be used as configured (file missing, unknown preset...). */
  warning?: string;
  /** Informational notes (for example: an untrusted workspace's policy file can only tighten). */
  notes?: string[];
}

export interface CheckedFinding {
  ruleId: string;
  kind: string;
  severity: SeverityName;
  /** 0–3 (SAFE–HIGH). */
  severityLevel: number;
  message: string;
  description: string;
  range: ProtocolRange;
  blocking: boolean;
  suppressed: boolean;
  subject: string;
  origin: PolicyEntryRef;
}

/**
 * `sandboxGuard/check` (client → server request): the run gate. Checks the open document, the given `text`
 * (what is about to run), or the file on disk.
 */
export const CHECK_REQUEST = 'sandboxGuard/check';

export interface CheckParams {
  uri: string;
  /** Check this text instead of the document's current text. */
  text?: string;
  /** Needed with `text` for a document that is not open; else the open document's language or the file extension. */
  languageId?: string;
}

export interface CheckResponse {
  uri: string;
  /** The open document's version that was checked (absent for `text` or a file read from disk). */
  version?: number;
  language: string;
  /** Every finding, suppressed ones included (they still count for `blocked`). */
  findings: CheckedFinding[];
  /**
   * The run gate's verdict: a finding blocks, or the check could not complete (`incomplete`) while the
   * policy's threshold is above SAFE — an unchecked file is not vouched for.
   */
  blocked: boolean;
  blockingCount: number;
  /** Why the check is partial or missing: too large, timed out, failed, truncated at the findings cap. */
  incomplete?: string;
  truncated: boolean;
  policy: PolicyInfo;
}

/** `sandboxGuard/status` (server → client notification), after every check of an open document. */
export const STATUS_NOTIFICATION = 'sandboxGuard/status';

export interface StatusParams {
  uri: string;
  version: number;
  policy: PolicyInfo;
  /** Unsuppressed findings shown as diagnostics. */
  findingCount: number;
  /** Findings that block Run in Sandbox (suppressed ones included). */
  blockingCount: number;
  blocked: boolean;
  incomplete?: string;
  /** Wall-clock time of the engine run. */
  durationMs: number;
}

/**
 * `sandboxGuard.openPolicyEntry` (a `workspace/executeCommand` command provided by the server, used by the
 * "Open policy entry" code action): argument a PolicyEntryRef; the server answers with `window/showDocument`.
 * The client must not register this command id itself (vscode-languageclient registers it for the server).
 */
export const OPEN_POLICY_ENTRY_COMMAND = 'sandboxGuard.openPolicyEntry';

/** The `source` of every diagnostic, and the pull-diagnostics provider identifier. */
export const DIAGNOSTIC_SOURCE = 'sandbox-guard';
