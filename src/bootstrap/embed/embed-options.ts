import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import type { EnvConfig } from '../config/env-schema.js';
import { embeddedTokens } from '../config/auth-config.js';
import { tokenName, tokenRole, type AlertsInput, type FileConfig } from '../config/file-schema.js';
import { parseConfigDocument, parseEnv } from '../config/config-sources.js';
import { configFrom, type QueuewatchConfig } from '../config/load-config.js';
import { dottedPath } from '../config/zod-issues.js';
import { connectionOf, source } from './embed-connection.js';

/** One queue to watch, with its own settings (as in the config file's `queues`). */
export type QueueOption = string | NonNullable<FileConfig['queues']>[number];

/** What `createQueuewatch` takes. Only `connection` is required. */
export interface QueuewatchOptions {
  /**
   * The Redis that holds your queues: `'redis://host:6379'` or `{ url: 'redis://host:6379' }`
   * (`rediss://` for TLS; user, password and db in the URL), with `tls` for a private certificate
   * authority or a client certificate: PEM texts, as REDIS_TLS_CA_FILE and its kin hold them;
   * with `sentinels`, the master is found through them (REDIS_SENTINELS and its kin; the URL's
   * user, password and db are used, its host is not); with `cluster`, the queues are on a Redis
   * Cluster (REDIS_CLUSTER_NODES; `prefix` then needs a hash tag such as `{bull}`; the URL's user,
   * password and scheme are used, its host is not). Queuewatch opens its own connections.
   */
  readonly connection:
    | string
    | {
        readonly url: string;
        readonly tls?: {
          readonly ca?: string;
          readonly cert?: string;
          readonly key?: string;
          readonly servername?: string;
        };
        readonly sentinels?: {
          /** `host:port` of each Sentinel. */
          readonly nodes: readonly string[];
          /** The master's name among the Sentinels. */
          readonly name: string;
          /** The Sentinels' own password, if they have one. */
          readonly password?: string;
          /** The Sentinels serve TLS too, trusted and presented with `tls`. */
          readonly tls?: boolean;
        };
        readonly cluster?: {
          /** `host:port` of some nodes of the cluster (the others are learnt from them). */
          readonly nodes: readonly string[];
        };
      };
  /** The queues to watch, by name or with their settings; left out, they are discovered. */
  readonly queues?: readonly QueueOption[];
  /** BullMQ key prefix of your queues (`bull`). */
  readonly prefix?: string;
  /** How often discovery looks for new queues (ms; `0` turns it off). */
  readonly discoveryIntervalMs?: number;
  /**
   * Bearer tokens, 16 characters or more: with any, every `/api` request and every socket must
   * carry one. `token` is an admin's (named `admin`); `tokens` gives each its name (shown in the
   * audit trail) and role: a `viewer` reads, an `operator` also acts on jobs, an `admin` also on
   * alerts (as the config file's `auth.tokens`, with the token itself in place of `tokenEnv`).
   */
  readonly auth?: {
    readonly token?: string;
    readonly tokens?: readonly {
      readonly name: string;
      readonly role: 'viewer' | 'operator' | 'admin';
      readonly token: string;
    }[];
  };
  /** Refuse every change to jobs, queues and alerts, whatever the caller's role. */
  readonly readOnly?: boolean;
  /** Origins of other pages that may use the API and the socket (`https://ops.example.com`). */
  readonly allowedOrigins?: readonly string[];
  /** Test alerts and job submissions one client may make per window; `0` is no limit. */
  readonly rateLimits?: {
    readonly testAlerts?: number;
    readonly jobSubmissions?: number;
    readonly windowMs?: number;
  };
  /** A Redis command without an answer in this time fails (ms). */
  readonly redisTimeoutMs?: number;
  /** Subscriptions one socket may hold. */
  readonly maxSubscriptions?: number;
  /** How long a health report is served again (ms). */
  readonly healthCacheMs?: number;
  /** How old a quiet queue's counts may get before a health check reads them again (ms). */
  readonly healthQuietRefreshMs?: number;
  readonly healthKeepFreshMs?: number;
  /** Health thresholds, as the config file's `health`. */
  readonly health?: FileConfig['health'];
  /** Dead letters and alerting, as the config file's `alerts`. */
  readonly alerts?: AlertsInput;
  /** Names this instance's checkpoint; give two instances on one host different ids. */
  readonly instanceId?: string;
  /** `fatal`, `error`, `warn`, `info` (the default), `debug`, `trace` or `silent`. */
  readonly logLevel?: string;
  /** Folder of the dashboard's built files (the package's own by default). */
  readonly webRoot?: string;
  /**
   * The full path `router` is mounted at. Needed only when Express cannot say it: when the router
   * is mounted through an `express.Router()` rather than directly on an app.
   */
  readonly mountPath?: string;
}

/** The checked configuration, and where the embedding application says it mounts the router. */
export interface EmbeddedSettings {
  readonly config: QueuewatchConfig;
  readonly mountPath: string | null;
}

const nonEmpty = z.string().min(1, 'expected a non-empty string');

/** The shape of the options; their values are checked by the config's own schemas after. */
const optionsShape = z.strictObject({
  connection: z.unknown().optional(),
  queues: z
    .array(z.unknown())
    .min(1, 'name at least one queue, or leave queues out to discover them')
    .optional(),
  prefix: nonEmpty.optional(),
  discoveryIntervalMs: z.number().optional(),
  auth: z
    .strictObject({
      token: z.string().optional(),
      tokens: z
        .array(z.strictObject({ name: tokenName, role: tokenRole, token: z.string() }))
        .optional(),
    })
    .optional(),
  readOnly: z.boolean().optional(),
  allowedOrigins: z.array(z.string()).optional(),
  rateLimits: z
    .strictObject({
      testAlerts: z.number().optional(),
      jobSubmissions: z.number().optional(),
      windowMs: z.number().optional(),
    })
    .optional(),
  redisTimeoutMs: z.number().optional(),
  maxSubscriptions: z.number().optional(),
  healthCacheMs: z.number().optional(),
  healthQuietRefreshMs: z.number().optional(),
  healthKeepFreshMs: z.number().optional(),
  health: z.unknown().optional(),
  alerts: z.unknown().optional(),
  instanceId: nonEmpty.optional(),
  logLevel: nonEmpty.optional(),
  webRoot: nonEmpty.optional(),
  mountPath: nonEmpty
    .regex(
      /^\/[^:*?(){}+!\\[\]]*$/,
      'expected a plain path like /queues (no parameters or patterns)',
    )
    .optional(),
});

type OptionsShape = z.infer<typeof optionsShape>;

/** The option that stands for each environment variable, as messages name it. */
const optionOf: Partial<Record<keyof EnvConfig, string>> = {
  REDIS_URL: 'connection',
  REDIS_SENTINELS: 'connection.sentinels.nodes',
  REDIS_SENTINEL_NAME: 'connection.sentinels.name',
  REDIS_SENTINEL_PASSWORD: 'connection.sentinels.password',
  REDIS_SENTINEL_TLS: 'connection.sentinels.tls',
  REDIS_CLUSTER_NODES: 'connection.cluster.nodes',
  QUEUEWATCH_QUEUES: 'queues',
  QUEUEWATCH_PREFIX: 'prefix',
  QUEUEWATCH_DISCOVERY_INTERVAL_MS: 'discoveryIntervalMs',
  QUEUEWATCH_API_TOKEN: 'auth.token',
  QUEUEWATCH_READ_ONLY: 'readOnly',
  QUEUEWATCH_ALLOWED_ORIGINS: 'allowedOrigins',
  QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: 'rateLimits.testAlerts',
  QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: 'rateLimits.jobSubmissions',
  QUEUEWATCH_RATE_LIMIT_WINDOW_MS: 'rateLimits.windowMs',
  QUEUEWATCH_REDIS_TIMEOUT_MS: 'redisTimeoutMs',
  QUEUEWATCH_MAX_SUBSCRIPTIONS: 'maxSubscriptions',
  QUEUEWATCH_HEALTH_CACHE_MS: 'healthCacheMs',
  QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: 'healthQuietRefreshMs',
  QUEUEWATCH_HEALTH_KEEP_FRESH_MS: 'healthKeepFreshMs',
  QUEUEWATCH_INSTANCE_ID: 'instanceId',
  LOG_LEVEL: 'logLevel',
  QUEUEWATCH_WEB_ROOT: 'webRoot',
};

/**
 * Check `createQueuewatch`'s options and build the configuration through the standalone server's
 * own path: each option stands for the environment variable (or config file section) it mirrors,
 * checked by the same schemas, so a value refused there is refused here with the same words,
 * naming the option. Throws ConfigError before anything is built.
 */
export function embeddedSettings(options: unknown): EmbeddedSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `invalid ${source}: expected an object like { connection: 'redis://127.0.0.1:6379' }`,
    );
  }
  const result = optionsShape.safeParse(options);
  if (!result.success) throw new ConfigError(`invalid ${source}: ${shapeIssues(result.error)}`);
  const given = result.data;
  const { url: redisUrl, tls, redisSettings } = connectionOf(given.connection);
  const file = parseConfigDocument(
    withoutUndefined({
      queues: given.queues?.map((entry) => (typeof entry === 'string' ? { name: entry } : entry)),
      health: given.health,
      alerts: given.alerts,
    }),
    `invalid ${source}`,
  );
  const env = { ...environmentOf(given, redisUrl), ...redisSettings };
  const parsedEnv: EnvConfig = {
    ...parseEnv(env, {
      source,
      nameOf: (key) => optionOf[key] ?? key,
      shownValue: (key, text) => JSON.stringify(optionAt(given, optionOf[key]) ?? text),
    }),
    // Checked as the file's queue names; a list in one string could not hold a comma.
    QUEUEWATCH_QUEUES: file.queues?.map((queue) => queue.name),
  };
  const config = configFrom(parsedEnv, file, process.cwd());
  const tokens = embeddedTokens(
    config.apiToken,
    given.auth?.tokens ?? [],
    (index, entry) => `invalid ${source}: auth.tokens[${String(index)}] ("${entry.name}")`,
  );
  return {
    config: {
      ...config,
      auth: { ...config.auth, tokens },
      redisTls: tls,
      // The host application listens where it likes: Queuewatch cannot know whether it is
      // loopback, so it does not guard the Host header (docs/embedding.md, "Security").
      http: { ...config.http, loopbackHostsOnly: false },
    },
    mountPath: given.mountPath === undefined ? null : given.mountPath.replace(/\/+$/, ''),
  };
}

/** The options as the environment variables they stand for. */
function environmentOf(given: OptionsShape, redisUrl: string): Record<string, string | undefined> {
  const number = (value: number | undefined) => (value === undefined ? undefined : String(value));
  return {
    REDIS_URL: redisUrl,
    QUEUEWATCH_PREFIX: given.prefix,
    QUEUEWATCH_DISCOVERY_INTERVAL_MS: number(given.discoveryIntervalMs),
    QUEUEWATCH_API_TOKEN: given.auth?.token,
    QUEUEWATCH_READ_ONLY: given.readOnly === undefined ? undefined : String(given.readOnly),
    QUEUEWATCH_ALLOWED_ORIGINS: given.allowedOrigins?.join(','),
    QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: number(given.rateLimits?.testAlerts),
    QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: number(given.rateLimits?.jobSubmissions),
    QUEUEWATCH_RATE_LIMIT_WINDOW_MS: number(given.rateLimits?.windowMs),
    QUEUEWATCH_REDIS_TIMEOUT_MS: number(given.redisTimeoutMs),
    QUEUEWATCH_MAX_SUBSCRIPTIONS: number(given.maxSubscriptions),
    QUEUEWATCH_HEALTH_CACHE_MS: number(given.healthCacheMs),
    QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: number(given.healthQuietRefreshMs),
    QUEUEWATCH_HEALTH_KEEP_FRESH_MS: number(given.healthKeepFreshMs),
    QUEUEWATCH_INSTANCE_ID: given.instanceId,
    LOG_LEVEL: given.logLevel,
    QUEUEWATCH_WEB_ROOT: given.webRoot,
  };
}

/** The option names, for a message about one that is not among them. */
const knownOptions = Object.keys(optionsShape.shape).join(', ');

function shapeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = dottedPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        const names = issue.keys.map((key) => JSON.stringify(key)).join(', ');
        const problem = `unknown option${issue.keys.length > 1 ? 's' : ''} ${names}`;
        return where === ''
          ? `${problem} (the options are ${knownOptions})`
          : `${where}: ${problem}`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** The value of a dotted option name (`rateLimits.windowMs`) as the application gave it. */
function optionAt(given: OptionsShape, name: string | undefined): unknown {
  let value: unknown = given;
  for (const part of name?.split('.') ?? []) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return value;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
