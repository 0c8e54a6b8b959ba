import fc from 'fast-check';
import { envSchema } from '../../../src/bootstrap/config/env-schema.js';
import { injectedValues, referenceNames } from './config-documents.js';
import { hostileStrings } from './hostile-values.js';

/** A variable's values: valid ones, near misses; anything at all is added to both. */
interface Values {
  readonly valid: fc.Arbitrary<string>;
  readonly near: fc.Arbitrary<string>;
}

const integers = (min: number, max: number): Values => ({
  valid: fc.oneof(fc.integer({ min, max }).map(String), fc.constantFrom(` ${String(max)} `)),
  near: fc.constantFrom(String(min - 1), String(max + 1), '1.5', '1e3', '0x10', 'abc', '1_000'),
});

const texts = (valid: string[], near: string[]): Values => ({
  valid: fc.constantFrom(...valid),
  near: fc.constantFrom(...near),
});

/** Values for each variable Queuewatch reads. */
const variableValues: Record<string, Values> = {
  REDIS_URL: texts(
    ['redis://127.0.0.1:6379', 'rediss://user:hunter2@cache:6380/0'],
    ['http://user:hunter2@host', 'redis://', 'redis:host'],
  ),
  PORT: integers(0, 65_535),
  HOST: texts(
    ['127.0.0.1', 'localhost', '::1', '127.8.8.8', '0.0.0.0', '10.1.2.3', 'example.com'],
    ['a\nb', '0.0.0.0 ', '127.0.0.1\u2028'],
  ),
  QUEUEWATCH_PREFIX: texts(['bull', 'my-prefix'], ['my prefix', 'a*', 'q[1]']),
  QUEUEWATCH_QUEUES: texts(
    ['payments,emails', ' a, b ,,c ', 'payments,payments'],
    ['ok,not:ok', ',', ' ', 'tab\tbed'],
  ),
  QUEUEWATCH_DISCOVERY_INTERVAL_MS: integers(0, 86_400_000),
  QUEUEWATCH_API_TOKEN: texts(['0123456789abcdef0123', '${SECRET}-long-enough'], ['short-secret']),
  QUEUEWATCH_ALLOW_ANONYMOUS: texts(['true', 'false'], ['yes', 'TRUE', '1']),
  QUEUEWATCH_REDIS_TIMEOUT_MS: integers(50, 60_000),
  QUEUEWATCH_MAX_SUBSCRIPTIONS: integers(1, 100_000),
  QUEUEWATCH_HEALTH_CACHE_MS: integers(0, 60_000),
  QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: integers(0, 3_600_000),
  QUEUEWATCH_HEALTH_KEEP_FRESH_MS: integers(0, 3_600_000),
  QUEUEWATCH_WEB_ROOT: texts(['/srv/queuewatch/web'], ['']),
  QUEUEWATCH_INSTANCE_ID: texts(['qw-1', 'qw.eu-west_1'], ['bad id', 'x'.repeat(65)]),
  LOG_LEVEL: texts(['info', 'debug', 'silent'], ['loud', 'INFO']),
};

const valuesOf = (key: string): fc.Arbitrary<string> => {
  const values = variableValues[key];
  if (!values) return hostileStrings;
  return fc.oneof(
    { arbitrary: values.valid, weight: 20 },
    { arbitrary: values.near, weight: 2 },
    { arbitrary: hostileStrings, weight: 1 },
  );
};

/** Every variable Queuewatch reads. */
export const schemaKeys = Object.keys(envSchema.shape);
/** Variables whose values an error must never echo. */
export const secretKeys = new Set(['QUEUEWATCH_API_TOKEN', 'REDIS_URL', 'REDIS_SENTINEL_PASSWORD']);

/** Where QUEUEWATCH_CONFIG points: the generated file mostly; or nowhere, or a folder. */
export type ConfigPlace = 'file' | 'missing' | 'folder' | 'unset';

/** A few variables set as a deployment sets them, the variables files refer to, the file's place. */
export const environments: fc.Arbitrary<Environment> = fc.record({
  // A few variables at a time, as a deployment sets them.
  variables: fc
    .uniqueArray(fc.constantFrom(...schemaKeys.filter((key) => key !== 'QUEUEWATCH_CONFIG')), {
      maxLength: 3,
    })
    .chain((keys) =>
      fc.tuple(...keys.map((key) => valuesOf(key).map((value) => [key, value] as const))),
    )
    .map((entries) => Object.fromEntries(entries) as Partial<Record<string, string>>),
  references: fc.record(
    Object.fromEntries(
      referenceNames.map((name) => [
        name,
        // The three the files mostly refer to are set nearly always; MISSING and the names
        // every object has never are.
        ['HOOK', 'SECRET', 'QNAME'].includes(name)
          ? fc.option(injectedValues, { nil: undefined, freq: 50 })
          : fc.constant(undefined),
      ]),
    ),
  ),
  place: fc.oneof(
    { arbitrary: fc.constant<ConfigPlace>('file'), weight: 12 },
    { arbitrary: fc.constantFrom<ConfigPlace>('missing', 'folder', 'unset'), weight: 1 },
  ),
});

/** What one run starts Queuewatch with. */
export interface Environment {
  readonly variables: Partial<Record<string, string>>;
  readonly references: Partial<Record<string, string>>;
  readonly place: ConfigPlace;
}
