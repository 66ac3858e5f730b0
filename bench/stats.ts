/** p-th percentile (nearest rank) of a sample; the benchmarks report p50 and p95. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}
