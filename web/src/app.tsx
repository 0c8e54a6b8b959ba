import useSWR from 'swr';
import type { HealthReportBody } from '../../src/application/contract/index.js';

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  // The health endpoint answers 503 with a full report when something is unhealthy.
  if (!response.ok && response.status !== 503)
    throw new Error(`${url}: HTTP ${String(response.status)}`);
  return (await response.json()) as T;
}

/** A first look at queue health; the full dashboard grows from here. */
export function App() {
  const { data, error } = useSWR<HealthReportBody, Error>('/api/v1/health/queues', fetchJson, {
    refreshInterval: 2_000,
  });
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '1.5rem' }}>
      <h1>Queuewatch</h1>
      {error && <p role="alert">Cannot reach Queuewatch: {error.message}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <>
          <p>
            Overall: <strong>{data.status}</strong> · Redis {data.redis.connectionStatus}
          </p>
          <ul>
            {data.queues.map((queue) => (
              <li key={queue.queueName}>
                {queue.queueName}: <strong>{queue.status}</strong>
                {queue.stats &&
                  ` · ${String(queue.stats.waiting)} waiting, ${String(queue.stats.active)} active`}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
