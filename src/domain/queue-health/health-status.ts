/** How well a component is doing; `unhealthy` is the worst. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

const rank: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The worst of the given statuses; `healthy` when there are none. */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'healthy';
  for (const status of statuses) {
    if (rank[status] > rank[worst]) worst = status;
  }
  return worst;
}
