import type { Registry } from 'prom-client';

/** A metric's labels. */
export type Labels = Readonly<Record<string, string>>;

/** One sample of a metric; `metricName` for a histogram's `_bucket`, `_sum` and `_count`. */
export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

/** The metric types Queuewatch serves. */
export type Kind = 'gauge' | 'counter' | 'histogram';

/**
 * Register a metric whose samples are computed at each scrape. prom-client's own classes keep
 * values set beforehand; these read what the scrape needs when it happens.
 */
export function registerCustomMetric(
  registry: Registry,
  name: string,
  help: string,
  type: Kind,
  samples: () => Sample[] | Promise<Sample[]>,
): void {
  const get = async () => ({
    name,
    help,
    type,
    aggregator: 'sum' as const,
    values: await samples(),
  });
  registry.registerMetric({
    name,
    help,
    type,
    aggregator: 'sum',
    get,
    reset: () => undefined,
  } as never);
}
