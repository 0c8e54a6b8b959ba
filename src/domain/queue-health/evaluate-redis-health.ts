import type { HealthIssue } from './health-issue.js';
import { levelReached } from './health-issue.js';
import { worstStatus, type HealthStatus } from './health-status.js';
import type { RedisThresholds } from './health-thresholds.js';
import type { ConnectionStatus, RedisSnapshot } from './redis-snapshot.js';
import { formatBytes } from './format-bytes.js';
import { plural } from '../wording/wording.js';

/** Redis memory figures: `used`/`peak` as readable text, the rest in bytes. */
export interface RedisMemory {
  readonly used: string | null;
  readonly peak: string | null;
  readonly usedBytes: number | null;
  readonly peakBytes: number | null;
  /** `null` when Redis has no `maxmemory` (or is unreachable). */
  readonly maxBytes: number | null;
}

/** The verdict on Redis. */
export interface RedisHealth {
  readonly status: HealthStatus;
  readonly connectionStatus: ConnectionStatus;
  readonly responseTime: number | null;
  readonly memory: RedisMemory;
  readonly clients: number | null;
  readonly uptime: number | null;
  readonly issues: readonly HealthIssue[];
}

/** Writes Redis refused, kept in memory and retried until it accepts them. */
export interface RefusedWrites {
  readonly deadLetters: number;
  readonly alerts: number;
  /** When the oldest was first refused (ms). */
  readonly since: number;
  readonly lastError: string | null;
}

/** What Queuewatch itself knows of Redis besides the snapshot. */
export interface RedisObservations {
  /** Writes waiting for Redis to accept them; `null` when none waits. */
  readonly refusedWrites?: RefusedWrites | null;
  /** When Redis was last found to have lost its data (restarted empty, flushed), or `null`. */
  readonly dataLostAt?: number | null;
  /** How long a data loss is reported after it was found (ms). */
  readonly dataLossReportMs?: number;
}

/** Judge a Redis snapshot against its thresholds, and what Queuewatch saw of it, at `now`. */
export function evaluateRedisHealth(
  snapshot: RedisSnapshot,
  thresholds: RedisThresholds,
  observations: RedisObservations = {},
  now = 0,
): RedisHealth {
  const observed = observedIssues(observations, now);
  if (!snapshot.reachable) {
    return {
      status: 'unhealthy',
      connectionStatus: snapshot.connectionStatus,
      responseTime: null,
      memory: { used: null, peak: null, usedBytes: null, peakBytes: null, maxBytes: null },
      clients: null,
      uptime: null,
      issues: [
        {
          code: 'REDIS_UNREACHABLE',
          severity: 'unhealthy',
          source: 'redis',
          message: `Redis is unreachable (${snapshot.connectionStatus}): ${snapshot.reason}`,
          measured: snapshot.connectionStatus,
          threshold: 'connected',
        },
        ...observed,
      ],
    };
  }

  const issues: HealthIssue[] = [...observed];
  const latencyLevel = levelReached(snapshot.responseTimeMs, thresholds.latencyMs);
  if (latencyLevel) {
    issues.push({
      code: 'REDIS_SLOW',
      severity: latencyLevel.severity,
      source: 'redis',
      message: `PING took ${String(snapshot.responseTimeMs)} ms (limit ${String(latencyLevel.threshold)} ms)`,
      measured: snapshot.responseTimeMs,
      threshold: latencyLevel.threshold,
    });
  }
  if (snapshot.maxMemoryBytes > 0) {
    const ratio = snapshot.usedMemoryBytes / snapshot.maxMemoryBytes;
    const memoryLevel = levelReached(ratio, thresholds.memoryRatio);
    if (memoryLevel) {
      issues.push({
        code: 'REDIS_MEMORY_HIGH',
        severity: memoryLevel.severity,
        source: 'redis',
        message: `Redis uses ${formatBytes(snapshot.usedMemoryBytes)} of its ${formatBytes(snapshot.maxMemoryBytes)} maxmemory (${(ratio * 100).toFixed(1)}%, limit ${(memoryLevel.threshold * 100).toFixed(0)}%)`,
        measured: Number(ratio.toFixed(4)),
        threshold: memoryLevel.threshold,
      });
    }
  }

  return {
    status: worstStatus(issues.map((issue) => issue.severity)),
    connectionStatus: snapshot.connectionStatus,
    responseTime: snapshot.responseTimeMs,
    memory: {
      used: formatBytes(snapshot.usedMemoryBytes),
      peak: formatBytes(snapshot.peakMemoryBytes),
      usedBytes: snapshot.usedMemoryBytes,
      peakBytes: snapshot.peakMemoryBytes,
      maxBytes: snapshot.maxMemoryBytes > 0 ? snapshot.maxMemoryBytes : null,
    },
    clients: snapshot.connectedClients,
    uptime: snapshot.uptimeSeconds,
    issues,
  };
}

/** Issues from what Queuewatch saw: refused writes, lost data. */
function observedIssues(observations: RedisObservations, now: number): HealthIssue[] {
  const issues: HealthIssue[] = [];
  const refused = observations.refusedWrites;
  if (refused && refused.deadLetters + refused.alerts > 0) {
    const waiting = [
      refused.deadLetters > 0 ? plural(refused.deadLetters, 'dead-letter record') : null,
      refused.alerts > 0 ? plural(refused.alerts, 'alert notice') : null,
    ]
      .filter((part) => part !== null)
      .join(' and ');
    const seconds = Math.max(0, Math.round((now - refused.since) / 1_000));
    issues.push({
      code: 'REDIS_WRITES_REFUSED',
      severity: 'unhealthy',
      source: 'redis',
      message: `Redis has refused Queuewatch's writes for ${String(seconds)} s: ${waiting} kept in memory and retried until it accepts them${refused.lastError === null ? '' : ` (${refused.lastError})`}`,
      measured: refused.deadLetters + refused.alerts,
      threshold: 0,
    });
  }
  const lostAt = observations.dataLostAt ?? null;
  if (lostAt !== null && now - lostAt < (observations.dataLossReportMs ?? 0)) {
    issues.push({
      code: 'REDIS_DATA_LOST',
      severity: 'degraded',
      source: 'redis',
      message: `Redis lost its data at ${new Date(lostAt).toISOString()} (restarted without persistence, or flushed): job events, dead-letter records and alert state from before are gone`,
      measured: new Date(lostAt).toISOString(),
      threshold: null,
    });
  }
  return issues;
}
