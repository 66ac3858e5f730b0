import { PRESET_NAMES, presetPolicy } from '../../core/policyLoader';
import { PRESETS } from '../../core/presets';
import { SEVERITY_NAMES, severityName, Severity } from '../../core/severity';
import { LANGUAGES } from '../../sandbox/languages';
import { describeLimits } from '../../sandbox/limits';
import type { ToolDefinition } from '../context';
import { LIST_POLICIES_INPUT, LIST_POLICIES_OUTPUT } from '../schemas';

function blocksFrom(threshold: Severity): string {
  if (threshold === Severity.SAFE) return 'nothing blocks (threshold SAFE: findings are reported only)';
  return `${SEVERITY_NAMES.slice(threshold).join(' and ')} findings block a run`;
}

export const listPoliciesTool: ToolDefinition = {
  name: 'list_policies',
  title: 'List policies and sandbox limits',
  description:
    "Lists the bundled policy presets and the policy this server enforces (with its severity threshold and restricted modules and calls), plus the sandbox's fixed limits and images. The server's configuration decides these; tool arguments cannot change them.",
  inputSchema: LIST_POLICIES_INPUT,
  outputSchema: LIST_POLICIES_OUTPUT,
  annotations: { title: 'List policies and sandbox limits', readOnlyHint: true, openWorldHint: false },

  async handle(_args, server, call) {
    const started = Date.now();
    const { policy, options } = server;
    const activePreset = server.policySource.startsWith('preset:')
      ? server.policySource.slice('preset:'.length)
      : undefined;
    const presets = PRESET_NAMES.map((name) => {
      const p = presetPolicy(name);
      const raw = PRESETS[name] as { description?: unknown } | undefined;
      return {
        name,
        description: typeof raw?.description === 'string' ? raw.description : '',
        threshold: severityName(p.severityThreshold),
        active: name === activePreset,
      };
    });
    const images = Object.fromEntries(
      Object.entries(LANGUAGES).map(([lang, rt]) => [lang, options.images[lang] ?? rt.image]),
    );
    const l = options.limits;
    const structured = {
      presets,
      active: {
        name: policy.name,
        source: server.policySource,
        threshold: severityName(policy.severityThreshold),
        threshold_level: policy.severityThreshold as number,
        blocks_from: blocksFrom(policy.severityThreshold),
        restricted_modules: [...new Set(policy.restrictedModules.map((m) => m.name))],
        restricted_calls: [...new Set(policy.restrictedCalls.map((c) => c.name))],
        patterns: policy.patterns.length,
        allow_suppressions: policy.allowSuppressions,
      },
      sandbox: {
        limits: {
          timeout_seconds: l.timeoutMs / 1000,
          memory_bytes: l.memoryBytes,
          cpus: l.cpus,
          pids: l.pids,
          tmp_bytes: l.tmpfsBytes,
          output_bytes: l.outputBytes,
          network: 'none' as const,
        },
        images,
        max_concurrent: options.maxConcurrent,
        queue: options.queue,
      },
    };
    const text = [
      `Active policy: ${policy.name} (${server.policySource}), threshold ${structured.active.threshold}: ${structured.active.blocks_from}.`,
      `Restricted modules: ${structured.active.restricted_modules.join(', ') || 'none'}.`,
      `Restricted calls: ${structured.active.restricted_calls.join(', ') || 'none'}.`,
      `${structured.active.patterns} pattern rules.`,
      `Sandbox: ${describeLimits(l)}; at most ${options.maxConcurrent} run${options.maxConcurrent === 1 ? '' : 's'} at once (${options.queue === 'wait' ? `up to ${options.maxQueue} more wait` : 'extra calls are refused'}).`,
      'Images: ' +
        Object.entries(images)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      'Presets:',
      ...presets.map(
        (p) => `  ${p.name}${p.active ? ' (active)' : ''}: threshold ${p.threshold}. ${p.description}`,
      ),
    ].join('\n');
    await server.audit.record({
      actor: call.actor,
      tool: 'list_policies',
      verdict: 'listed',
      policy: policy.name,
      policySource: server.policySource,
      durationMs: Date.now() - started,
    });
    return { content: [{ type: 'text', text }], structuredContent: structured };
  },
};
