/** What one client subscribes to once connected. */
export type Subscription =
  | { readonly kind: 'job'; readonly jobId: string; readonly queueName: string }
  | { readonly kind: 'queue'; readonly queueName: string }
  | { readonly kind: 'all' }
  | { readonly kind: 'none' };

/** The bench's job ids, as the progress worker names them. */
export function jobIdOf(index: number): string {
  return `job-${String(index)}`;
}

/**
 * The progress-latency plan: client i follows job i mod `jobs`. A lone client follows the whole
 * queue instead (a dashboard), so it sees every event rather than 1 in `jobs`.
 */
export function latencyPlan(clients: number, jobs: number, queueName: string): Subscription[] {
  if (clients === 1) return [{ kind: 'queue', queueName }];
  return Array.from({ length: clients }, (_, index) => ({
    kind: 'job',
    jobId: jobIdOf(index % jobs),
    queueName,
  }));
}

/** Shares of a mixed audience: job followers, queue followers, the rest follow everything. */
export interface Mix {
  readonly job: number;
  readonly queue: number;
}

/** The fan-out plan: a mix of job, queue and all subscriptions. */
export function mixPlan(
  clients: number,
  jobs: number,
  queueName: string,
  mix: Mix,
): Subscription[] {
  const jobFollowers = Math.round(clients * mix.job);
  const queueFollowers = Math.round(clients * mix.queue);
  return Array.from({ length: clients }, (_, index): Subscription => {
    if (index < jobFollowers) return { kind: 'job', jobId: jobIdOf(index % jobs), queueName };
    if (index < jobFollowers + queueFollowers) return { kind: 'queue', queueName };
    return { kind: 'all' };
  });
}

/** Idle clients: connected, subscribed to nothing. */
export function idlePlan(clients: number): Subscription[] {
  return Array.from({ length: clients }, () => ({ kind: 'none' }));
}

/** Deliveries a run of `jobs` jobs × `steps` reports should produce for this plan. */
export function expectedDeliveries(
  plan: readonly Subscription[],
  jobs: number,
  steps: number,
): { progress: number; completions: number } {
  let perJobEvent = 0;
  for (const subscription of plan) {
    if (subscription.kind === 'queue' || subscription.kind === 'all') perJobEvent += jobs;
    else if (subscription.kind === 'job') perJobEvent += 1;
  }
  return { progress: perJobEvent * steps, completions: perJobEvent };
}

/** Split a plan over client processes of at most `size` clients each. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}
