/**
 * Durations kept as counts per bucket, so a minute of samples costs a few numbers and minutes add
 * up exactly. Bucket 0 holds 0 ms; from 1 ms on, each power of two is cut into four, so a bucket is
 * at most a quarter of its lower bound wide (a percentile is off by at most 12.5 % from its midpoint).
 * The same arithmetic runs in the history script in Redis (Lua): keep them equal.
 */
export const subBuckets = 4;

/** The last bucket: durations from 2^40 ms (about 35 years) on all land here. */
export const lastBucket = 40 * subBuckets;

/** The bucket of a duration in ms (negative and fractional parts are dropped). */
export function bucketOf(durationMs: number): number {
  const ms = Math.floor(durationMs);
  if (!(ms >= 1)) return 0;
  let exponent = 0;
  let power = 1;
  while (power * 2 <= ms && exponent < 40) {
    power *= 2;
    exponent += 1;
  }
  const sub = Math.min(subBuckets - 1, Math.floor(((ms - power) * subBuckets) / power));
  return Math.min(lastBucket, exponent * subBuckets + sub + 1);
}

/** The durations a bucket holds: `[from, to)` in ms. */
export function bucketRange(bucket: number): { from: number; to: number } {
  if (bucket <= 0) return { from: 0, to: 1 };
  const exponent = Math.floor((bucket - 1) / subBuckets);
  const sub = (bucket - 1) % subBuckets;
  const power = 2 ** exponent;
  const width = power / subBuckets;
  return { from: power + sub * width, to: power + (sub + 1) * width };
}

/** Counts per bucket. */
export type Histogram = ReadonlyMap<number, number>;

/** Add histograms bucket by bucket. */
export function mergeHistograms(histograms: readonly Histogram[]): Map<number, number> {
  const merged = new Map<number, number>();
  for (const histogram of histograms) {
    for (const [bucket, count] of histogram) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
  }
  return merged;
}

/**
 * The `quantile` (0–1) of the durations, as the midpoint of the bucket that holds it (ms, rounded
 * to 0.1 ms); `null` without samples.
 */
export function quantileOf(histogram: Histogram, quantile: number): number | null {
  let total = 0;
  for (const count of histogram.values()) total += Math.max(0, count);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += Math.max(0, histogram.get(bucket) ?? 0);
    if (seen >= rank) {
      const { from, to } = bucketRange(bucket);
      return bucket === 0 ? 0 : Math.round(((from + to) / 2) * 10) / 10;
    }
  }
  return null;
}

/** The mean of the durations, from bucket midpoints (ms); `null` without samples. */
export function meanOf(histogram: Histogram): number | null {
  let total = 0;
  let sum = 0;
  for (const [bucket, count] of histogram) {
    if (count <= 0) continue;
    const { from, to } = bucketRange(bucket);
    total += count;
    sum += count * (bucket === 0 ? 0 : (from + to) / 2);
  }
  return total === 0 ? null : sum / total;
}
