import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  DEFAULT_PRESET,
  presetPolicy,
  resolvePolicyText,
  type PolicyProblem,
  type PolicyReader,
} from '../core/policyLoader';
import type { Policy } from '../core/policy';

export interface PolicySelection {
  /** A bundled preset name; default `recommended`. Ignored when a policy file is used. */
  preset?: string;
  /** An explicit policy file (absolute or relative to cwd). */
  policyFile?: string;
  /** Where to look for a `sandbox-guard.json` when no file is given; omitted = do not look. */
  cwd?: string;
}

export interface EffectivePolicy {
  policy: Policy;
  problems: PolicyProblem[];
  /** `preset:NAME` or the policy file's absolute path. */
  source: string;
}

export const WORKSPACE_POLICY_FILE = 'sandbox-guard.json';

/** Files referenced by `extends` resolve relative to the file that names them. */
export const readPolicyFromDisk: PolicyReader = (ref, from) => {
  const base = from.startsWith('preset:') ? process.cwd() : dirname(from);
  const path = isAbsolute(ref) ? ref : resolve(base, ref);
  try {
    return { source: path, text: readFileSync(path, 'utf8') };
  } catch {
    return undefined;
  }
};

/**
 * The policy the CLI, the runner and the MCP server apply: an explicit file, else `sandbox-guard.json` in cwd
 * (when cwd is given), else the preset. A missing explicit file is a problem, not a silent fallback to a preset.
 */
export function loadEffectivePolicy(sel: PolicySelection): EffectivePolicy {
  let file = sel.policyFile ? resolve(sel.cwd ?? process.cwd(), sel.policyFile) : undefined;
  if (!file && sel.cwd && existsSync(resolve(sel.cwd, WORKSPACE_POLICY_FILE))) {
    file = resolve(sel.cwd, WORKSPACE_POLICY_FILE);
  }
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(e);
      return {
        policy: presetPolicy(DEFAULT_PRESET),
        problems: [
          {
            source: file,
            message: `cannot read policy file: ${why}`,
            offset: 0,
            length: 0,
            severity: 'error',
          },
        ],
        source: file,
      };
    }
    const r = resolvePolicyText(file, text, readPolicyFromDisk);
    return { ...r, source: file };
  }
  const name = sel.preset ?? DEFAULT_PRESET;
  try {
    return { policy: presetPolicy(name), problems: [], source: `preset:${name}` };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      policy: presetPolicy(DEFAULT_PRESET),
      problems: [{ source: `preset:${name}`, message, offset: 0, length: 0, severity: 'error' }],
      source: `preset:${name}`,
    };
  }
}
