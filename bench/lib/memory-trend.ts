/** One memory reading, seconds after the load started. */
export interface MemoryPoint {
  readonly atS: number;
  readonly bytes: number;
}

/** Whether a memory series grew after the warm-up, and by how much. */
export interface MemoryTrend {
  /** Readings after the warm-up. */
  readonly readings: number;
  /** Means of the first and the last third of those readings. */
  readonly firstThird: number | null;
  readonly lastThird: number | null;
  readonly growth: number | null;
  /** Least-squares slope over the readings after the warm-up, bytes per hour. */
  readonly slopePerHour: number | null;
  readonly verdict: 'no growth' | 'grows' | 'too few readings';
}

/** Growth allowed between the thirds: 5 % of the first third, at least 2 MiB (noise). */
export const growthAllowance = { share: 0.05, floorBytes: 2 * 2 ** 20 } as const;

/**
 * The rule: leave out readings before `warmUpS`; split the rest in three by order; the series
 * grows when the mean of the last third exceeds the mean of the first third by more than 5 %
 * (and more than 2 MiB). Thirds rather than first and last readings, so one GC-timing outlier
 * does not decide; the slope is reported beside it, not judged.
 */
export function memoryTrend(points: readonly MemoryPoint[], warmUpS: number): MemoryTrend {
  const after = points.filter((point) => point.atS >= warmUpS);
  if (after.length < 3) {
    return {
      readings: after.length,
      firstThird: null,
      lastThird: null,
      growth: null,
      slopePerHour: null,
      verdict: 'too few readings',
    };
  }
  const third = Math.floor(after.length / 3);
  const mean = (list: readonly MemoryPoint[]): number =>
    list.reduce((sum, point) => sum + point.bytes, 0) / list.length;
  const firstThird = mean(after.slice(0, third));
  const lastThird = mean(after.slice(-third));
  const growth = lastThird - firstThird;
  const allowed = Math.max(firstThird * growthAllowance.share, growthAllowance.floorBytes);
  return {
    readings: after.length,
    firstThird,
    lastThird,
    growth,
    slopePerHour: slope(after) * 3_600,
    verdict: growth > allowed ? 'grows' : 'no growth',
  };
}

/** Least-squares slope of bytes over seconds. */
function slope(points: readonly MemoryPoint[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.atS, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.bytes, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const point of points) {
    numerator += (point.atS - meanX) * (point.bytes - meanY);
    denominator += (point.atS - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}
