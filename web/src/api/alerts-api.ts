import useSWR from 'swr';
import type {
  CreateSilenceRequest,
  FiringAlertsBody,
  SilenceBody,
  SilencesBody,
  TestAlertBody,
} from '../../../src/application/contract/index.js';
import { apiPaths } from './api-paths.js';
import type { HttpError } from './http-error.js';
import { getJson, requestJson } from './request-json.js';
import { pageRefreshMs } from './use-api.js';

/** The alerts firing now, each with the silences and alerts that hold it back. */
export const useFiringAlerts = () =>
  useSWR<FiringAlertsBody, HttpError>(apiPaths.firingAlerts, getJson, {
    refreshInterval: pageRefreshMs,
  });

/** Active and pending silences, then the recently expired ones. */
export const useSilences = () =>
  useSWR<SilencesBody, HttpError>(apiPaths.silences, getJson, { refreshInterval: pageRefreshMs });

/** Create a silence; a refused one fails with the server's reason (400 `QW_BAD_REQUEST`). */
export const createSilence = (request: CreateSilenceRequest): Promise<SilenceBody> =>
  requestJson<SilenceBody>(apiPaths.silences, { method: 'POST', body: request });

/** End a silence now; answers it with status `expired`. */
export const expireSilence = (id: string): Promise<SilenceBody> =>
  requestJson<SilenceBody>(apiPaths.silence(id), { method: 'DELETE' });

/**
 * Send a test alert. With labels it goes through the routing tree and reaches only the
 * destinations of the routes it matches; without, every destination.
 */
export const sendTestAlert = (labels?: Readonly<Record<string, string>>): Promise<TestAlertBody> =>
  requestJson<TestAlertBody>(apiPaths.testAlert, {
    method: 'POST',
    ...(labels === undefined ? {} : { body: { labels } }),
  });
