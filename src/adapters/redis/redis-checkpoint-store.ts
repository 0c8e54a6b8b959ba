import type { RedisClient } from './redis-connection.js';
import type { CheckpointStore } from '../../application/ports/checkpoint-store.port.js';

/** The last event id read per queue, in a Redis hash of this instance's own. */
export class RedisCheckpointStore implements CheckpointStore {
  private readonly key: string;

  constructor(
    private readonly connection: RedisClient,
    instanceId: string,
    keyRoot = 'queuewatch',
  ) {
    this.key = `${keyRoot}:checkpoints:${instanceId}`;
  }

  async load(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.connection.hgetall(this.key)));
  }

  async save(checkpoints: ReadonlyMap<string, string>): Promise<void> {
    if (checkpoints.size === 0) return;
    await this.connection.hset(this.key, Object.fromEntries(checkpoints));
  }
}
