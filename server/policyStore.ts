import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Policy } from '../core/policy';
import {
  DEFAULT_PRESET,
  presetPolicy,
  resolvePolicyText,
  type PolicyProblem,
  type PolicyReader,
} from '../core/policyLoader';
import { severityName } from '../core/severity';
import type { PolicyInfo, SandboxGuardSettings } from './protocol';
import { policyForUntrustedWorkspace } from './trust';

export const POLICY_FILE_NAME = 'sandbox-guard.json';
const POLICY_FILE_SUFFIX = '.sandbox-guard.json';

/** The names the extension contributes the policy schema for; such files are validated wherever they are. */
export function looksLikePolicyFile(path: string): boolean {
  const name = basename(path);
  return name === POLICY_FILE_NAME || name.endsWith(POLICY_FILE_SUFFIX);
}

export interface EffectivePolicy {
  policy: Policy;
  info: PolicyInfo;
  /** Problems in every file of the chain (each has its own `source`). */
  problems: PolicyProblem[];
  generation: number;
}

/** Reads a policy file's current text: the open editor's (unsaved edits count) or the file on disk. */
export type PolicyTextSource = (path: string) => string | undefined;

/**
 * Resolves which policy applies to a document (settings, workspace folder, trust) and caches the result
 * per distinct (file, preset, trust) until a policy file or the settings change.
 */
export class PolicyStore {
  generation = 0;
  private readonly cache = new Map<string, EffectivePolicy>();
  /** Policy files consulted (found or not): what to watch, and which edits must re-check documents. */
  private readonly consulted = new Set<string>();

  constructor(
    private readonly readText: PolicyTextSource,
    /** The bundled `policies/` folder, so hovers and "Open policy entry" can show preset entries. */
    readonly presetDir: string,
  ) {}

  invalidate(): void {
    this.cache.clear();
    this.generation++;
  }

  /** A path whose contents (or existence) can change some document's policy. */
  isPolicyPath(path: string): boolean {
    return this.consulted.has(path) || looksLikePolicyFile(path);
  }

  consultedPaths(): string[] {
    return [...this.consulted];
  }

  presetPath(name: string): string | undefined {
    const p = join(this.presetDir, `${name}.json`);
    return existsSync(p) ? p : undefined;
  }

  forDocument(settings: SandboxGuardSettings, folder: string | undefined, trusted: boolean): EffectivePolicy {
    const { path: file, warning: fileWarning } = this.policyFile(settings, folder);
    const key = JSON.stringify([file ?? '', settings.policy.preset, trusted, fileWarning ?? '']);
    let found = this.cache.get(key);
    if (!found) {
      found = this.build(settings.policy.preset, file, trusted, fileWarning);
      this.cache.set(key, found);
    }
    return found;
  }

  /** Problems located in the policy file `path`, validating `text` (its current, possibly unsaved, text). */
  validate(path: string, text: string): PolicyProblem[] {
    return resolvePolicyText(path, text, this.reader()).problems.filter((p) => p.source === path);
  }

  private policyFile(
    settings: SandboxGuardSettings,
    folder: string | undefined,
  ): { path?: string; warning?: string } {
    const configured = settings.policy.file;
    if (configured) {
      if (isAbsolute(configured)) return { path: configured };
      if (folder) return { path: resolve(folder, configured) };
      return {
        warning: `the policy file "${configured}" is relative but the document is in no workspace folder`,
      };
    }
    if (!folder) return {};
    const candidate = join(folder, POLICY_FILE_NAME);
    this.consulted.add(candidate);
    return this.readText(candidate) !== undefined ? { path: candidate } : {};
  }

  private reader(): PolicyReader {
    return (ref, from) => {
      if (from.startsWith('preset:')) return undefined;
      const path = isAbsolute(ref) ? ref : resolve(dirname(from), ref);
      this.consulted.add(path);
      const text = this.readText(path);
      return text === undefined ? undefined : { source: path, text };
    };
  }

  private build(
    presetName: string,
    file: string | undefined,
    trusted: boolean,
    fileWarning: string | undefined,
  ): EffectivePolicy {
    const warnings: string[] = fileWarning ? [fileWarning] : [];
    const notes: string[] = [];
    let preset: Policy;
    try {
      preset = presetPolicy(presetName);
    } catch (e) {
      warnings.push(`${e instanceof Error ? e.message : String(e)}; using "${DEFAULT_PRESET}"`);
      preset = presetPolicy(DEFAULT_PRESET);
      presetName = DEFAULT_PRESET;
    }
    let policy = preset;
    let source = `preset:${presetName}`;
    let problems: PolicyProblem[] = [];
    if (file) {
      this.consulted.add(file);
      const text = this.readText(file);
      if (text === undefined) {
        warnings.push(`policy file ${file} not found; using the preset "${presetName}"`);
      } else {
        const resolved = resolvePolicyText(file, text, this.reader());
        problems = resolved.problems;
        for (const s of resolved.policy.sources) if (!s.startsWith('preset:')) this.consulted.add(s);
        if (trusted) {
          policy = resolved.policy;
          source = file;
        } else {
          const untrusted = policyForUntrustedWorkspace(preset, resolved.policy);
          policy = untrusted.policy;
          if (untrusted.note) notes.push(untrusted.note);
          if (policy !== preset) source = file;
        }
      }
    }
    const uri = source.startsWith('preset:') ? this.presetPath(presetName) : source;
    return {
      policy,
      problems,
      generation: this.generation,
      info: {
        name: policy.name,
        threshold: severityName(policy.severityThreshold),
        source,
        uri: uri ? pathToFileURL(uri).toString() : undefined,
        sources: policy.sources,
        problemCount: problems.length,
        warning: warnings.length > 0 ? warnings.join('; ') : undefined,
        notes: notes.length > 0 ? notes : undefined,
      },
    };
  }
}
