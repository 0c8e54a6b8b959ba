import useSWR from 'swr';
import type {
  AuditBody,
  ConsoleAction,
  JobDetailBody,
  JobLogsBody,
  JobPageBody,
  ListableState,
  ListOrder,
  MeBody,
  SchedulersBody,
} from '../../../src/application/contract/index.js';
import { apiPaths } from './api-paths.js';
import type { HttpError } from './http-error.js';
import { getJson } from './request-json.js';
import { pageRefreshMs } from './use-api.js';

/** Every state a job list can show, in the order a job goes through them. */
export const listableStates: readonly ListableState[] = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'paused',
  'completed',
  'failed',
];

/** Who the token is and what it may do; read once, and again when the token changes. */
export const useMe = () =>
  useSWR<MeBody, HttpError>(apiPaths.me, getJson, { revalidateOnFocus: false });

/**
 * May the current token do this? `false` while `/me` is unread or unreadable, so no button shows
 * that the server would refuse.
 */
export function useMay(): (action: ConsoleAction) => boolean {
  const { data } = useMe();
  return (action) => data?.may.includes(action) ?? false;
}

/** One page of a state's jobs. */
export interface JobPageQuery {
  readonly state: ListableState;
  readonly limit: number;
  readonly order: ListOrder;
  readonly cursor: string | null;
}

/** A page of jobs, read again every few seconds. */
export const useJobPage = (queueName: string, query: JobPageQuery) =>
  useSWR<JobPageBody, HttpError>(apiPaths.jobPage(queueName, { ...query }), getJson, {
    refreshInterval: pageRefreshMs,
    keepPreviousData: true,
  });

/** Everything about a job; read again when its events say it changed (no timer). */
export const useJobDetail = (queueName: string, jobId: string) =>
  useSWR<JobDetailBody, HttpError>(apiPaths.jobDetails(queueName, jobId), getJson, {
    revalidateOnFocus: false,
  });

/** A page of a job's log lines; `refreshMs` 0 reads it once (the socket brings the rest). */
export const useJobLogPage = (
  queueName: string,
  jobId: string,
  offset: number,
  limit: number,
  refreshMs: number,
) =>
  useSWR<JobLogsBody, HttpError>(apiPaths.jobLogs(queueName, jobId, offset, limit), getJson, {
    refreshInterval: refreshMs,
    revalidateOnFocus: false,
    keepPreviousData: true,
  });

/** The queue's job schedulers and repeatable jobs. */
export const useSchedulers = (queueName: string) =>
  useSWR<SchedulersBody, HttpError>(apiPaths.schedulers(queueName), getJson, {
    refreshInterval: pageRefreshMs,
  });

/** The newest entries of the audit trail. */
export const useAudit = (limit: number) =>
  useSWR<AuditBody, HttpError>(apiPaths.audit(limit), getJson, { refreshInterval: pageRefreshMs });
