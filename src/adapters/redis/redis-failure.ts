/** How a Redis command failed, as an HTTP client is told: no answer, no connection, or refused. */
export type RedisFailure = 'timeout' | 'unavailable' | 'refused';

/** Errors Redis answers with when it cannot take a command now (not a mistake in the command). */
const refusals =
  /^(OOM|READONLY|LOADING|BUSY|MASTERDOWN|NOREPLICAS|CLUSTERDOWN|TRYAGAIN|MISCONF)\b/;

/**
 * Errors ioredis raises when there is no connection to send a command on, or it was lost (on a
 * cluster: no node answered for the slots).
 */
const connectionLost =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request|Connection lost|Failed to refresh slots cache|None of startup nodes is available|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH/i;

/**
 * Say whether an error is Redis failing to serve a command — timed out, away, or refusing
 * writes — rather than a fault of Queuewatch's; `null` for anything else. BullMQ passes ioredis's
 * errors on, so this covers its queues too.
 */
export function redisFailureOf(error: unknown): RedisFailure | null {
  if (!(error instanceof Error)) return null;
  if (error.message === 'Command timed out') return 'timeout';
  if (error.name === 'ReplyError' && refusals.test(error.message)) return 'refused';
  if (error.name === 'MaxRetriesPerRequestError' || connectionLost.test(error.message)) {
    return 'unavailable';
  }
  return null;
}
