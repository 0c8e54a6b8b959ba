import { once } from 'node:events';
import type { Logger } from '../../application/ports/logger.port.js';
import { reasonOf } from '../../domain/wording/reason.js';
import type { RedisClient } from './redis-topology.js';

/** What a read tried again needs: its connection, when to give up, and how long to pause. */
export interface RetryContext {
  readonly connection: RedisClient;
  /** Aborted when the reader stops: the read is then given up. */
  readonly stopping: AbortSignal;
  readonly logger: Logger;
  /** The pause between tries while Redis answers (and refuses the read). */
  readonly pause: () => Promise<void>;
}

/**
 * Run a read until it succeeds, waiting for Redis between tries (the caller reads nothing else
 * meanwhile); warns once, with the first failure's reason. Rejects only when `stopping` aborts.
 */
export async function readUntilDone<T>(
  read: () => Promise<T>,
  warning: string,
  { connection, stopping, logger, pause }: RetryContext,
): Promise<T> {
  let warned = false;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (stopping.aborted) throw error;
      if (!warned) {
        warned = true;
        logger.warn(warning, { reason: reasonOf(error) });
      }
      if (connection.status === 'ready') await pause();
      else await once(connection, 'ready', { signal: stopping });
    }
  }
}
