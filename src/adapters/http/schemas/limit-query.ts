import { z } from 'zod';

/** A query with `limit`, a whole number from 1 to `max` (`fallback` when absent). */
export function limitQuery(max: number, fallback: number) {
  const message = `expected a whole number from 1 to ${String(max)}`;
  return z.object({
    limit: z.coerce
      .number({ error: message })
      .int(message)
      .min(1, message)
      .max(max, message)
      .default(fallback)
      .meta({ description: `How many, newest first: 1 to ${String(max)}.` }),
  });
}
