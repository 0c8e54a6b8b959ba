import useSWR, { type SWRConfiguration } from 'swr';
import type {
  AlertsBody,
  FailedJobStatsBody,
  HealthReportBody,
  QueueListBody,
  RecentFailedJobsBody,
} from '../../../src/application/contract/index.js';
import { apiPaths } from './api-paths.js';
import { isHealthReport } from './health-report.js';
import type { HttpError } from './http-error.js';
import { getJson, requestJson } from './request-json.js';

/** How often the overview's health report is read again (socket events refresh it sooner). */
export const healthRefreshMs = 2_000;

/** How often the other pages read their data again. */
export const pageRefreshMs = 5_000;

const every = (refreshInterval: number): SWRConfiguration => ({ refreshInterval });

// The health endpoint answers 503 with the full report when something is unhealthy: that report
// is data to show. A 503 without one (from a proxy on the way, say) is an error.
const getHealth = (url: string) =>
  requestJson<HealthReportBody>(url, { accept: { status: 503, is: isHealthReport } });

/** The health report of Redis and every queue. */
export const useHealth = () =>
  useSWR<HealthReportBody, HttpError>(apiPaths.health, getHealth, every(healthRefreshMs));

/** The watched queues with their counts. */
export const useQueueList = () =>
  useSWR<QueueListBody, HttpError>(apiPaths.queues, getJson, every(pageRefreshMs));

/** Dead-letter size and each queue's failure window. */
export const useFailedStats = () =>
  useSWR<FailedJobStatsBody, HttpError>(apiPaths.failedStats, getJson, every(pageRefreshMs));

/** The newest failed jobs kept in the dead-letter queue. */
export const useRecentFailures = (limit: number) =>
  useSWR<RecentFailedJobsBody, HttpError>(
    apiPaths.recentFailures(limit),
    getJson,
    every(pageRefreshMs),
  );

/** Recent alerts with their deliveries, and the configured destinations. */
export const useAlerts = () =>
  useSWR<AlertsBody, HttpError>(apiPaths.alerts, getJson, every(pageRefreshMs));
