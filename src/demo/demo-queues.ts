/** One of the demo's four queues, with how its jobs behave. */
export interface DemoQueue {
  readonly name: string;
  /** Mean pause between two new jobs (ms). */
  readonly addEveryMs: number;
  /** Shortest and longest processing time of a job (ms). */
  readonly durationMs: readonly [number, number];
  /** Progress reports per job. */
  readonly steps: number;
  readonly concurrency: number;
  /** Share of jobs that fail in normal times. */
  readonly failureRate: number;
}

/** The demo's queues, busy enough to watch, small enough for a laptop. */
export const demoQueues: readonly DemoQueue[] = [
  {
    name: 'wallet-operations',
    addEveryMs: 400,
    durationMs: [200, 1_500],
    steps: 4,
    concurrency: 4,
    failureRate: 0.02,
  },
  {
    name: 'analysis-operations',
    addEveryMs: 1_200,
    durationMs: [1_000, 6_000],
    steps: 10,
    concurrency: 3,
    failureRate: 0.04,
  },
  {
    name: 'similarity-operations',
    addEveryMs: 2_000,
    durationMs: [2_000, 9_000],
    steps: 10,
    concurrency: 2,
    failureRate: 0.05,
  },
  {
    name: 'enrichment-operations',
    addEveryMs: 700,
    durationMs: [300, 2_500],
    steps: 5,
    concurrency: 5,
    failureRate: 0.03,
  },
];

/** Every so often one queue fails much more for a while, so alerts have something to see. */
export const burst = { everyMs: 90_000, lastsMs: 20_000, failureRate: 0.6 } as const;
