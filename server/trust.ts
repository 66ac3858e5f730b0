import type { Policy } from '../core/policy';
import { tightenOnly } from '../core/tightenOnly';

/**
 * The policy for an untrusted workspace: the preset from the user's settings, which the workspace's own
 * policy file may only tighten (add rules, raise severities, lower the threshold), never loosen.
 */
export function policyForUntrustedWorkspace(
  base: Policy,
  workspace: Policy,
): { policy: Policy; note: string } {
  return {
    policy: tightenOnly(base, workspace),
    note: 'untrusted workspace: the workspace policy file can only add restrictions to the preset',
  };
}
