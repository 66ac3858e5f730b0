import { performance } from 'node:perf_hooks';
import type { Tree } from 'web-tree-sitter';
import { checkText } from '../core/engine';
import type { Finding } from '../core/findings';
import type { ParserHost } from '../core/parsing';
import type { Policy } from '../core/policy';
import { Severity } from '../core/severity';

export interface CheckLimits {
  /** UTF-16 code units; longer texts are not checked. */
  maxFileSize: number;
  /** Longer documents are checked on open, on save and on request, not on every keystroke. */
  onTypeMaxFileSize: number;
  maxFindings: number;
  timeBudgetMs: number;
}

export const DEFAULT_LIMITS: CheckLimits = {
  maxFileSize: 5 * 1024 * 1024,
  onTypeMaxFileSize: 1024 * 1024,
  maxFindings: 1000,
  timeBudgetMs: 1500,
};

/** One check of one text, with the server's verdict for the run gate. */
export interface DocumentCheck {
  language: string;
  findings: Finding[];
  /** A finding blocks, or the check is incomplete under a threshold above SAFE (fail closed). */
  blocked: boolean;
  blockingCount: number;
  truncated: boolean;
  timedOut: boolean;
  /** Why the result is partial or missing, in words; undefined when the check is complete. */
  incomplete?: string;
  /** Set when the text was not checked at all. */
  skipped?: 'too-large' | 'failed';
  notes: string[];
  durationMs: number;
}

export interface CheckInput {
  text: string;
  languageId: string;
  policy: Policy;
  parsers?: ParserHost;
  previousTree?: Tree;
  limits: CheckLimits;
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}

/**
 * Runs the engine within the server's limits. Never throws: an engine failure is reported as a skipped
 * check (and logged by the caller through `onError`), so the editor never keeps stale diagnostics.
 */
export function runCheck(
  input: CheckInput,
  onError: (e: unknown) => void,
): { check: DocumentCheck; tree?: Tree; treeValid: boolean } {
  const { text, policy, limits } = input;
  const gate = policy.severityThreshold > Severity.SAFE;
  const started = performance.now();
  if (text.length > limits.maxFileSize) {
    const incomplete = `the file is larger than ${megabytes(limits.maxFileSize)} and was not checked`;
    return {
      check: {
        language: 'unknown',
        findings: [],
        blocked: gate,
        blockingCount: 0,
        truncated: false,
        timedOut: false,
        incomplete,
        skipped: 'too-large',
        notes: [],
        durationMs: 0,
      },
      treeValid: false,
    };
  }
  try {
    const out = checkText(text, policy, {
      languageId: input.languageId,
      parsers: input.parsers,
      previousTree: input.previousTree,
      maxFindings: limits.maxFindings,
      timeBudgetMs: limits.timeBudgetMs,
    });
    const blockingCount = out.findings.reduce((n, f) => n + (f.blocking ? 1 : 0), 0);
    // Reaching the cap counts as truncated: the engine stops looking once it is full (and already blocked).
    const truncated = out.truncated || out.findings.length >= limits.maxFindings;
    let incomplete: string | undefined;
    if (out.timedOut)
      incomplete = `the check ran past its ${limits.timeBudgetMs} ms budget; findings are partial`;
    else if (truncated && !out.blocked) {
      incomplete = `more than ${limits.maxFindings} findings; only the first ${limits.maxFindings} were kept`;
    }
    return {
      check: {
        language: out.language,
        findings: out.findings,
        blocked: out.blocked || blockingCount > 0 || (incomplete !== undefined && gate),
        blockingCount,
        truncated,
        timedOut: out.timedOut,
        incomplete,
        notes: out.notes,
        durationMs: performance.now() - started,
      },
      tree: out.tree,
      treeValid: true,
    };
  } catch (e) {
    onError(e);
    return {
      check: {
        language: 'unknown',
        findings: [],
        blocked: gate,
        blockingCount: 0,
        truncated: false,
        timedOut: false,
        incomplete: `the check failed: ${e instanceof Error ? e.message : String(e)}`,
        skipped: 'failed',
        notes: [],
        durationMs: performance.now() - started,
      },
      treeValid: false,
    };
  }
}
