/** llm-sandbox's SecurityIssueSeverity: SAFE=0, LOW=1, MEDIUM=2, HIGH=3. */
export enum Severity {
  SAFE = 0,
  LOW = 1,
  MEDIUM = 2,
  HIGH = 3,
}

export const SEVERITY_NAMES = ['SAFE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** Accepts a name (any case) or an integer 0–3, as llm-sandbox's IntEnum does. */
export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3) return value;
  if (typeof value === 'string') {
    const i = SEVERITY_NAMES.indexOf(value.toUpperCase() as SeverityName);
    if (i >= 0) return i;
  }
  return undefined;
}

export function severityName(s: Severity): SeverityName {
  return SEVERITY_NAMES[s];
}

/**
 * llm-sandbox's `_should_fail_on_violation`: a finding blocks when the threshold is above SAFE and the
 * finding's severity is at least the threshold. A SAFE threshold means report only.
 */
export function blocks(severity: Severity, threshold: Severity): boolean {
  return threshold > Severity.SAFE && severity >= threshold;
}
