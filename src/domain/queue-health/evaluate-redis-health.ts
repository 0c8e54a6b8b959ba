import type { HealthIssue } from './health-issue.js';
import { levelReached } from './health-issue.js';
import { worstStatus, type HealthStatus } from './health-status.js';
import type { RedisThresholds } from './health-thresholds.js';
import type { ConnectionStatus, RedisSnapshot } from './redis-snapshot.js';
import { formatBytes } from './format-bytes.js';

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

/** Judge a Redis snapshot against its thresholds. */
export function evaluateRedisHealth(
  snapshot: RedisSnapshot,
  thresholds: RedisThresholds,
): RedisHealth {
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
      ],
    };
  }

  const issues: HealthIssue[] = [];
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
