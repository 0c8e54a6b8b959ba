import { z } from 'zod';
import type { RedisTls } from '../../adapters/redis/redis-endpoint.js';
import { ConfigError } from '../config/config-error.js';
import { describeIssues, dottedPath } from '../config/zod-issues.js';

/** How `createQueuewatch`'s messages name what they check. */
export const source = 'createQueuewatch options';

const connectionExample = `"redis://host:6379" or { url: "redis://host:6379" }`;

const pemText = z.string().refine((text) => text.includes('-----BEGIN '), 'expected PEM text');
const tlsShape = z.strictObject({
  ca: pemText.optional(),
  cert: pemText.optional(),
  key: pemText.optional(),
  servername: z.string().min(1).optional(),
});

/** The Redis URL and TLS of `connection`; anything else is a ConfigError saying what to pass. */
export function connectionOf(connection: unknown): { url: string; tls: RedisTls | null } {
  const record =
    typeof connection === 'object' && connection !== null && !Array.isArray(connection)
      ? (connection as Record<string, unknown>)
      : null;
  if (record?.tls === undefined) {
    return { url: connectionUrl(connection), tls: null };
  }
  const { tls: given, ...rest } = record;
  const url = connectionUrl(rest);
  const refuse = (problem: string): never => {
    throw new ConfigError(`invalid ${source}: connection.tls: ${problem}`);
  };
  const parsed = tlsShape.safeParse(given);
  if (!parsed.success) {
    return refuse(
      describeIssues(parsed.error, (path) => (path.length === 0 ? 'tls' : dottedPath(path))),
    );
  }
  const tls = parsed.data;
  if (!url.startsWith('rediss://')) return refuse('given for a url that is not rediss://');
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    return refuse('a client certificate needs its key: give cert and key, or neither');
  }
  return {
    url,
    tls: {
      ca: tls.ca ?? null,
      cert: tls.cert ?? null,
      key: tls.key ?? null,
      servername: tls.servername ?? null,
    },
  };
}

/** The Redis URL of `connection`; anything else is a ConfigError saying what to pass. */
function connectionUrl(connection: unknown): string {
  const refuse = (problem: string): never => {
    throw new ConfigError(`invalid ${source}: connection: ${problem}`);
  };
  if (connection === undefined) {
    return refuse(`required: the Redis that holds your queues, as ${connectionExample}`);
  }
  if (typeof connection === 'string') {
    return connection === '' ? refuse(`expected ${connectionExample}, not ""`) : connection;
  }
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection)) {
    return refuse(`expected ${connectionExample}, not ${kindOf(connection)}`);
  }
  const record = connection as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.url === 'string' && record.url !== '') return record.url;
  // Queuewatch opens connections of its own (blocking reads, pub/sub): a client cannot be shared.
  const opensItsOwn =
    'Queuewatch opens its own connections, so it takes a URL rather than a client or its options';
  if (typeof record.sendCommand === 'function') {
    return refuse(`expected ${connectionExample}, not a Redis client: ${opensItsOwn}`);
  }
  const extra = keys.filter((key) => key !== 'url');
  if (extra.length > 0) {
    return refuse(
      `expected { url } (and tls) alone, not ${extra.map((key) => JSON.stringify(key)).join(', ')}: ${opensItsOwn}`,
    );
  }
  return refuse(`url: expected a non-empty string like "redis://host:6379"`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
