/**
 * Plans that prepareInvocation decided (and, when the policy allows them, the user was asked to confirm),
 * kept until invoke runs them. VS Code passes the same input to both calls and no shared call id, so plans
 * are found by their input; equal inputs queue. Bounded in count and age: a declined call never reaches
 * invoke, and its plan must not stay around.
 */
export class PreparedRuns<T> {
  private readonly entries: { key: string; value: T; at: number }[] = [];

  constructor(
    private readonly maxEntries = 32,
    private readonly maxAgeMs = 2 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A stable key for a flat input object (key order does not matter). */
  static keyOf(input: unknown): string {
    if (input === null || typeof input !== 'object') return JSON.stringify(input ?? null);
    const o = input as Record<string, unknown>;
    return JSON.stringify(
      Object.keys(o)
        .filter((k) => o[k] !== undefined && o[k] !== null)
        .sort()
        .map((k) => [k, o[k]]),
    );
  }

  add(input: unknown, value: T): void {
    this.expire();
    this.entries.push({ key: PreparedRuns.keyOf(input), value, at: this.now() });
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
  }

  /**
   * A plan prepared for this input, removed (each confirmation runs at most once): the oldest that `prefer`
   * accepts, else the oldest.
   */
  take(input: unknown, prefer: (value: T) => boolean = () => true): T | undefined {
    this.expire();
    const key = PreparedRuns.keyOf(input);
    let i = this.entries.findIndex((e) => e.key === key && prefer(e.value));
    if (i < 0) i = this.entries.findIndex((e) => e.key === key);
    return i < 0 ? undefined : this.entries.splice(i, 1)[0].value;
  }

  get size(): number {
    return this.entries.length;
  }

  private expire(): void {
    const cutoff = this.now() - this.maxAgeMs;
    while (this.entries.length > 0 && this.entries[0].at < cutoff) this.entries.shift();
  }
}
