import { type HistoryConfig, historyConfig } from './history-config.js';
import { type ScalingConfig, scalingConfig } from './scaling-config.js';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { HealthThresholds } from '../../domain/queue-health/health-thresholds.js';
import type {
  MonitoredQueue,
  MonitoredQueuesOptions,
} from '../../application/queues/monitored-queues.js';
import type { LogLevel } from '../../adapters/logging/pino-logger.js';
import type { HostPort, RedisSentinels, RedisTls } from '../../adapters/redis/redis-endpoint.js';
import { defaultFailureThreshold } from '../../domain/alerting/failure-rule.js';
import type { RedisConditionRule } from '../../domain/alerting/condition-rules.js';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../package-root.js';
import { alertsConfig, mergeFailureThreshold, type AlertsConfig } from './alerts-config.js';

export type { AlertsConfig, DestinationConfig } from './alerts-config.js';
import type { ConsoleToken } from '../../domain/console/caller.js';
import { consoleTokens, isLoopback, requireTokenOffLoopback } from './auth-config.js';
import { ConfigError } from './config-error.js';
import type { EnvConfig } from './env-schema.js';
import type { FileConfig } from './file-schema.js';
import { parseEnv, readConfigFile, type Env, type ReadText } from './config-sources.js';
import { mergeHealth, mergeQueueThresholds } from './health-config.js';
import { rulesConfig } from './rules-config.js';
import { readRedisCluster, readRedisSentinels, readRedisTls } from './redis-connection-config.js';
import { queuewatchKeyRoot } from '../../adapters/redis/cluster-keys.js';

/** Everything Queuewatch is started with, validated and with defaults filled in. */
export interface QueuewatchConfig {
  readonly redisUrl: string;
  /** `null`: what the URL says (docs/redis-setup.md). */
  readonly redisTls: RedisTls | null;
  /** A master found through Sentinels, or `null` for the URL's host (docs/redis-setup.md). */
  readonly redisSentinels: RedisSentinels | null;
  /** Nodes of a Redis Cluster to start from, or `null` (docs/redis-setup.md). */
  readonly redisCluster: readonly HostPort[] | null;
  readonly redisCommandTimeoutMs: number;
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  /** Where Queuewatch's own keys start: `queuewatch`, or `queuewatch:{tag}` on a cluster. */
  readonly keyRoot: string;
  /** `null` leaves the API open; only allowed on loopback or with QUEUEWATCH_ALLOW_ANONYMOUS. */
  readonly apiToken: string | null;
  /** Who may call the API and the gateway (docs/console-actions.md). */
  readonly auth: {
    /** `QUEUEWATCH_API_TOKEN` (as `admin`) and `auth.tokens`; none: everyone is an admin. */
    readonly tokens: readonly ConsoleToken[];
    /** `QUEUEWATCH_READ_ONLY`: every change is refused, whatever the role. */
    readonly readOnly: boolean;
  };
  /** Entries the audit stream keeps (about: Redis trims whole stream nodes). */
  readonly auditMaxEntries: number;
  readonly logLevel: LogLevel;
  readonly queues: MonitoredQueuesOptions & { readonly discoveryIntervalMs: number };
  readonly health: HealthThresholds;
  readonly gateway: {
    /** Subscriptions one socket may hold. */
    readonly subscriptionLimit: number;
  };
  readonly alerts: AlertsConfig;
  /** The condition rules' settings that are not per queue (docs/alert-rules.md). */
  readonly conditionRules: {
    /** The enabled Redis rules. */
    readonly redis: readonly RedisConditionRule[];
    /** Any rule written at all; without one only the failure-rate rule runs. */
    readonly anyConfigured: boolean;
  };
  readonly history: HistoryConfig;
  readonly scaling: ScalingConfig;
  /** Names this instance's event-stream checkpoint; stable across restarts. */
  readonly instanceId: string;
  /** Who may reach the API and the gateway from a browser (docs/security.md). */
  readonly http: {
    /** Origins besides Queuewatch's own whose pages may use the API and the socket. */
    readonly allowedOrigins: readonly string[];
    /** Answer only to loopback names (and allowed origins' hosts): set when listening on loopback. */
    readonly loopbackHostsOnly: boolean;
    /** Requests per client per window, counted in Redis; `limit: 0` is no limit. */
    readonly rateLimits: {
      readonly testAlerts: RateLimitSetting;
      readonly jobSubmissions: RateLimitSetting;
    };
  };
  /** The built dashboard (`web/dist`) served at `/`. */
  readonly webRoot: string;
  /** How long a health report is served again before Redis is read anew (ms). */
  readonly healthCacheMs: number;
  /**
   * How old a quiet queue's counts may get before a health check reads them again (ms); `0`
   * reads every queue in full on every check.
   */
  readonly healthQuietRefreshMs: number;
  readonly healthKeepFreshMs: number;
}

/** How many requests one client may make per window (`limit: 0`: no limit). */
export interface RateLimitSetting {
  readonly limit: number;
  readonly windowMs: number;
}

/** Read and check the environment and the optional config file; throws ConfigError. */
export async function loadConfig(
  env: Env,
  readText: ReadText = (path) => readFile(path, 'utf8'),
): Promise<QueuewatchConfig> {
  const parsedEnv = parseEnv(env);
  const file = parsedEnv.QUEUEWATCH_CONFIG
    ? await readConfigFile(parsedEnv.QUEUEWATCH_CONFIG, env, readText)
    : {};
  const config = {
    ...configFrom(
      parsedEnv,
      file,
      parsedEnv.QUEUEWATCH_CONFIG ? dirname(resolve(parsedEnv.QUEUEWATCH_CONFIG)) : process.cwd(),
      env,
    ),
    redisTls: await readRedisTls(parsedEnv, readText),
  };
  requireTokenOffLoopback(config, parsedEnv.QUEUEWATCH_ALLOW_ANONYMOUS);
  return config;
}

/**
 * The configuration of checked settings: the environment's (or what stands for it) and the config
 * file's. `baseDir` is where relative plugin paths start; `env` holds the variables that
 * `auth.tokens` names. Throws ConfigError on settings that contradict each other.
 */
export function configFrom(
  parsedEnv: EnvConfig,
  file: FileConfig,
  baseDir: string,
  env: Env = {},
): QueuewatchConfig {
  const health = mergeHealth(file);
  const fileQueues = file.queues ?? [];
  const seen = new Set<string>();
  for (const queue of fileQueues) {
    if (seen.has(queue.name))
      throw new ConfigError(`config file: queue "${queue.name}" is listed twice`);
    seen.add(queue.name);
  }
  const defaultFailure = mergeFailureThreshold(
    defaultFailureThreshold,
    file.alerts?.failureThreshold,
    'alerts.failureThreshold',
  );
  const rules = rulesConfig(
    file.alerts?.rules,
    fileQueues.some((queue) => queue.rules !== undefined),
  );
  const settingsOf = (name: string): MonitoredQueue => {
    const entry = fileQueues.find((queue) => queue.name === name);
    return {
      labels: entry?.labels ?? {},
      rules: rules.rulesOf(entry?.rules, `queues "${name}"`),
      name,
      priority: entry?.priority ?? 'medium',
      thresholds: mergeQueueThresholds(health.queue, entry?.thresholds, `queues "${name}"`),
      failureThreshold: mergeFailureThreshold(
        defaultFailure,
        entry?.failureThreshold,
        `queues "${name}".failureThreshold`,
      ),
    };
  };
  const alerts = alertsConfig(file.alerts, baseDir);
  const named = parsedEnv.QUEUEWATCH_QUEUES;
  const redisCluster = readRedisCluster(parsedEnv);
  return {
    redisUrl: parsedEnv.REDIS_URL,
    redisTls: null,
    redisSentinels: readRedisSentinels(parsedEnv),
    redisCluster,
    redisCommandTimeoutMs: parsedEnv.QUEUEWATCH_REDIS_TIMEOUT_MS,
    host: parsedEnv.HOST,
    port: parsedEnv.PORT,
    prefix: parsedEnv.QUEUEWATCH_PREFIX,
    keyRoot: queuewatchKeyRoot(parsedEnv.QUEUEWATCH_PREFIX, redisCluster !== null),
    apiToken: parsedEnv.QUEUEWATCH_API_TOKEN ?? null,
    auth: {
      tokens: consoleTokens(parsedEnv.QUEUEWATCH_API_TOKEN ?? null, file.auth, env),
      readOnly: parsedEnv.QUEUEWATCH_READ_ONLY,
    },
    auditMaxEntries: parsedEnv.QUEUEWATCH_AUDIT_MAX_ENTRIES,
    logLevel: parsedEnv.LOG_LEVEL,
    queues: {
      configured: (named ?? fileQueues.map((queue) => queue.name)).map(settingsOf),
      discover: named === undefined && parsedEnv.QUEUEWATCH_DISCOVERY_INTERVAL_MS > 0,
      discoveryIntervalMs: parsedEnv.QUEUEWATCH_DISCOVERY_INTERVAL_MS,
      defaults: {
        priority: 'medium',
        thresholds: health.queue,
        failureThreshold: defaultFailure,
        labels: {},
        rules: rules.rulesOf(undefined, 'alerts'),
      },
      excluded: [alerts.deadLetter.queueName, alerts.outboxQueueName, alerts.formerGroupsQueueName],
    },
    health,
    gateway: { subscriptionLimit: parsedEnv.QUEUEWATCH_MAX_SUBSCRIPTIONS },
    alerts,
    conditionRules: { redis: rules.redis, anyConfigured: rules.anyConfigured },
    history: historyConfig(file.history),
    scaling: scalingConfig(file.scaling),
    http: {
      allowedOrigins: parsedEnv.QUEUEWATCH_ALLOWED_ORIGINS ?? [],
      loopbackHostsOnly: isLoopback(parsedEnv.HOST),
      rateLimits: {
        testAlerts: {
          limit: parsedEnv.QUEUEWATCH_RATE_LIMIT_TEST_ALERTS,
          windowMs: parsedEnv.QUEUEWATCH_RATE_LIMIT_WINDOW_MS,
        },
        jobSubmissions: {
          limit: parsedEnv.QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS,
          windowMs: parsedEnv.QUEUEWATCH_RATE_LIMIT_WINDOW_MS,
        },
      },
    },
    healthCacheMs: parsedEnv.QUEUEWATCH_HEALTH_CACHE_MS,
    healthQuietRefreshMs: parsedEnv.QUEUEWATCH_HEALTH_QUIET_REFRESH_MS,
    healthKeepFreshMs: parsedEnv.QUEUEWATCH_HEALTH_KEEP_FRESH_MS,
    webRoot: parsedEnv.QUEUEWATCH_WEB_ROOT ?? join(packageRoot(), 'web', 'dist'),
    instanceId:
      parsedEnv.QUEUEWATCH_INSTANCE_ID ??
      hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 64),
  };
}
