import { z } from 'zod';

/** The `history` section of the config file. */
export const historySection = z
  .object({
    enabled: z.boolean().optional(),
    minuteRetentionHours: z.number().int().min(1).max(168).optional(),
    hourRetentionDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

/** How each queue's history is kept (docs/history.md). */
export interface HistoryConfig {
  readonly enabled: boolean;
  /** Minute points are kept this long (s); the `24h` range reads the last day of them. */
  readonly minuteTtlSeconds: number;
  readonly hourTtlSeconds: number;
  /** Count new events this often (ms). */
  readonly intervalMs: number;
}

const hourSeconds = 3_600;

export function historyConfig(input: z.infer<typeof historySection> | undefined): HistoryConfig {
  return {
    enabled: input?.enabled ?? true,
    // An hour more than asked, so the oldest point of a full range is whole.
    minuteTtlSeconds: ((input?.minuteRetentionHours ?? 24) + 1) * hourSeconds,
    hourTtlSeconds: ((input?.hourRetentionDays ?? 30) * 24 + 1) * hourSeconds,
    intervalMs: 1_000,
  };
}
