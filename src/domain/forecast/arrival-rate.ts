/** Jobs counted over a stretch of time. */
export interface Count {
  readonly jobs: number;
  readonly ms: number;
}

/** How many standard errors apart two rates must be to be told apart from Poisson noise. */
const zLimit = 3;

/** …and how far apart in proportion, so that ordinary burstiness does not cut the window. */
const relativeLimit = 0.2;

/**
 * The arrival rate now (jobs per second) from counts over consecutive stretches, oldest first:
 * the pooled rate of the newest stretches that agree with each other. Walking back from the
 * newest, an older stretch joins while its rate cannot be told apart from the rate pooled so far
 * (a two-sample Poisson test, and at least a fifth apart); the first one that differs marks a step
 * in arrivals, and it and everything older are left out. Steady arrivals are thus averaged over
 * the whole window, and a step is followed as soon as a stretch after it is counted, rather than
 * fading in as a moving average would. `null` without any time counted.
 */
export function recentRate(counts: readonly Count[]): number | null {
  let jobs = 0;
  let ms = 0;
  for (let index = counts.length - 1; index >= 0; index -= 1) {
    const count = counts[index];
    if (count === undefined || !(count.ms > 0) || !Number.isFinite(count.jobs)) continue;
    const older = Math.max(0, count.jobs);
    if (ms > 0 && differ({ jobs, ms }, { jobs: older, ms: count.ms })) break;
    jobs += older;
    ms += count.ms;
  }
  return ms > 0 ? (jobs * 1000) / ms : null;
}

function differ(a: Count, b: Count): boolean {
  const rateA = a.jobs / a.ms;
  const rateB = b.jobs / b.ms;
  const gap = Math.abs(rateA - rateB);
  // Var(jobs / ms) = jobs / ms² for a Poisson count; an empty count still has a variance of one job.
  const error = Math.sqrt(Math.max(a.jobs, 1) / a.ms ** 2 + Math.max(b.jobs, 1) / b.ms ** 2);
  return gap > zLimit * error && gap > relativeLimit * Math.max(rateA, rateB);
}
