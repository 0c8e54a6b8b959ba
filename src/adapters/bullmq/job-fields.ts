import type { JobRecord } from '../../application/ports/job-browser.port.js';
import { parseJsonValue } from './stream-entries.js';

/** The fields of a job hash a list row is made of, in the order `recordOf` reads them. */
export const rowFields = [
  'name',
  'progress',
  'atm',
  'opts',
  'timestamp',
  'delay',
  'processedOn',
  'finishedOn',
  'failedReason',
] as const;

/** A job's row from its hash fields (in `rowFields` order, then `data` when read). */
export function recordOf(id: string, values: readonly (string | null)[]): JobRecord | null {
  const [name, progress, attempts, opts, timestamp, delay, processedOn, finishedOn, reason, data] =
    values;
  if ((name ?? null) === null && (timestamp ?? null) === null) return null;
  return {
    id,
    name: name ?? null,
    progress: progressOf(progress),
    attemptsMade: numberOr(attempts, 0),
    attemptsAllowed: attemptsAllowedOf(opts ?? null),
    createdAt: numberOr(timestamp, null),
    delay: numberOr(delay, 0),
    processedOn: numberOr(processedOn, null),
    finishedOn: numberOr(finishedOn, null),
    failedReason: reason ?? null,
    data: data ?? null,
  };
}

/** BullMQ's `attempts` option (1 when not set, or when the options cannot be read). */
export function attemptsAllowedOf(opts: string | null): number {
  if (opts === null) return 1;
  try {
    const parsed = JSON.parse(opts) as unknown;
    const attempts =
      parsed !== null && typeof parsed === 'object'
        ? (parsed as Record<string, unknown>).attempts
        : undefined;
    return typeof attempts === 'number' && Number.isInteger(attempts) && attempts > 0
      ? attempts
      : 1;
  } catch {
    return 1;
  }
}

/** A numeric hash field, or the fallback when absent or not a number. */
export function numberOr<T>(text: string | null | undefined, fallback: T): number | T {
  if (text === null || text === undefined || text === '') return fallback;
  const value = Number(text);
  return Number.isFinite(value) ? value : fallback;
}

/** BullMQ's progress field as JSON (text when it is not JSON); 0 when the job has none. */
export function progressOf(text: string | null | undefined): unknown {
  return text === null || text === undefined || text === '' ? 0 : parseJsonValue(text);
}

/** BullMQ's `stacktrace` field (a JSON array of traces); the raw text when it cannot be read. */
export function stacktracesOf(text: string | null): string[] {
  if (text === null || text === '') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((trace): trace is string => typeof trace === 'string')
      : [];
  } catch {
    return [text];
  }
}
