import type { CustomProgressChannel, CustomProgressMessage } from '../contract/socket-events.js';
import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { PubSubPort } from '../ports/pub-sub.port.js';

/** The channel workers publish custom progress on (see `queuewatch/worker`). */
export const customProgressChannel: CustomProgressChannel = 'queuewatch:custom-progress';

/** Messages larger than this are dropped: custom progress is a status, not a payload store. */
export const maxCustomProgressBytes = 64 * 1024;

/** The longest queue name or job id a message may carry. */
const maxIdLength = 256;

/**
 * Receives the custom progress workers publish (PubSubPort). Malformed messages are dropped and
 * counted; a warning says how many, at most once a minute, so a broken worker cannot flood the log.
 */
export class CustomProgressReceiver {
  private dropped = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pubsub: PubSubPort,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Begin receiving; only well-formed messages reach the listener. */
  start(listener: (message: CustomProgressMessage) => void): Promise<void> {
    return this.pubsub.subscribe(customProgressChannel, (text) => {
      const parsed = parseCustomProgress(text);
      if (typeof parsed !== 'string') listener(parsed);
      else this.drop(parsed);
    });
  }

  stop(): Promise<void> {
    return this.pubsub.close();
  }

  private drop(reason: string): void {
    this.dropped += 1;
    const now = this.clock.now();
    if (now - this.lastWarning < 60_000) return;
    this.logger.warn('dropped malformed custom-progress messages', {
      dropped: this.dropped,
      reason,
    });
    this.lastWarning = now;
    this.dropped = 0;
  }
}

/** A message as published, checked; or what is wrong with it, in one line. */
export function parseCustomProgress(text: string): CustomProgressMessage | string {
  if (text.length > maxCustomProgressBytes) {
    return `message of ${String(text.length)} bytes exceeds ${String(maxCustomProgressBytes)}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not an object like { queueName, jobId, data, timestamp? }';
  }
  const { queueName, jobId, data, timestamp } = value as Record<string, unknown>;
  if (!isId(queueName) || queueName.includes(':')) {
    return `queueName: a text of 1 to ${String(maxIdLength)} characters without a colon`;
  }
  if (!isId(jobId)) return `jobId: a text of 1 to ${String(maxIdLength)} characters`;
  if (timestamp === undefined) return { queueName, jobId, data };
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) {
    return 'timestamp: a whole number of ms since the epoch';
  }
  return { queueName, jobId, data, timestamp };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxIdLength;
}
