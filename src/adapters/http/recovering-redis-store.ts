import type { IncrementResponse, Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { reasonOf } from '../../domain/wording/reason.js';

/** One raw Redis command, as ioredis's `call` sends it. */
export type SendRedisCommand = (command: string, ...args: string[]) => Promise<unknown>;

/** Told of each failed and each successful count, so an outage can be logged once. */
export interface StoreOutage {
  failed(reason: string): void;
  succeeded(): void;
}

/** The counter store could not count (Redis did not answer); the request may pass uncounted. */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`rate-limit store unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A sha that names no script: EVALSHA answers NOSCRIPT, and rate-limit-redis then loads its
 * script and tries again. Starting from it means no SCRIPT LOAD is needed before Redis answers.
 */
const unloadedScript = Promise.resolve('0'.repeat(40));

/**
 * rate-limit-redis's store, made to survive Redis being away. The library loads its scripts
 * once, when the limiter is built (before Queuewatch's connection is ready, whose commands fail
 * at once while it is not), and keeps a failed load for good: every later count would fail. Here
 * the scripts are loaded on first use instead, and again after any failure, so counting resumes
 * as soon as Redis answers.
 */
export class RecoveringRedisStore extends RedisStore {
  constructor(
    options: { readonly sendCommand: SendRedisCommand; readonly prefix: string },
    private readonly outage: StoreOutage,
  ) {
    super({
      prefix: options.prefix,
      sendCommand: (command: string, ...args: string[]) =>
        options.sendCommand(command, ...args) as Promise<RedisReply>,
    });
  }

  override init(options: Options): Promise<void> {
    this.windowMs = options.windowMs;
    this.incrementScriptSha = unloadedScript;
    this.getScriptSha = unloadedScript;
    return Promise.resolve();
  }

  override async increment(key: string): Promise<IncrementResponse> {
    try {
      const counted = await super.increment(key);
      this.outage.succeeded();
      return counted;
    } catch (error) {
      this.incrementScriptSha = unloadedScript;
      const reason = reasonOf(error);
      this.outage.failed(reason);
      throw new StoreUnavailableError(reason);
    }
  }
}
