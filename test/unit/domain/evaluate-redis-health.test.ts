import { expect } from 'chai';
import {
  defaultHealthThresholds,
  evaluateRedisHealth,
} from '../../../src/domain/queue-health/index.js';
import { healthyRedis } from '../../support/fake-ports.js';

const thresholds = defaultHealthThresholds.redis;
const mb = 1024 * 1024;

describe('evaluateRedisHealth', () => {
  describe('having an unreachable Redis', () => {
    it('should be unhealthy, keep the connection status and report no numbers', () => {
      const health = evaluateRedisHealth(
        { reachable: false, connectionStatus: 'reconnecting', reason: 'connect ECONNREFUSED' },
        thresholds,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.connectionStatus).to.equal('reconnecting');
      expect(health.responseTime).to.equal(null);
      expect(health.memory.used).to.equal(null);
      expect(health.issues[0]).to.include({ code: 'REDIS_UNREACHABLE', measured: 'reconnecting' });
    });
  });

  describe('having a responsive Redis', () => {
    it('should be healthy and format memory as the seed does', () => {
      const health = evaluateRedisHealth(
        healthyRedis({ usedMemoryBytes: 45.2 * mb, peakMemoryBytes: 67.1 * mb }),
        thresholds,
      );
      expect(health.status).to.equal('healthy');
      expect(health.memory).to.deep.include({ used: '45.2MB', peak: '67.1MB', maxBytes: null });
    });
  });

  describe('latency', () => {
    it('should stay healthy just under latencyMs.degraded', () => {
      const health = evaluateRedisHealth(healthyRedis({ responseTimeMs: 99.9 }), thresholds);
      expect(health.status).to.equal('healthy');
    });

    it('should be degraded at latencyMs.degraded', () => {
      const health = evaluateRedisHealth(healthyRedis({ responseTimeMs: 100 }), thresholds);
      expect(health.issues[0]).to.include({
        code: 'REDIS_SLOW',
        severity: 'degraded',
        threshold: 100,
      });
    });

    it('should be unhealthy at latencyMs.unhealthy', () => {
      const health = evaluateRedisHealth(healthyRedis({ responseTimeMs: 1500 }), thresholds);
      expect(health.status).to.equal('unhealthy');
      expect(health.issues[0]).to.include({ measured: 1500, threshold: 1000 });
    });
  });

  describe('memory', () => {
    it('should not judge memory when Redis has no maxmemory', () => {
      const health = evaluateRedisHealth(
        healthyRedis({ usedMemoryBytes: 10_000 * mb, maxMemoryBytes: 0 }),
        thresholds,
      );
      expect(health.status).to.equal('healthy');
    });

    it('should stay healthy under memoryRatio.degraded', () => {
      const health = evaluateRedisHealth(
        healthyRedis({ usedMemoryBytes: 79 * mb, maxMemoryBytes: 100 * mb }),
        thresholds,
      );
      expect(health.status).to.equal('healthy');
      expect(health.memory.maxBytes).to.equal(100 * mb);
    });

    it('should be degraded at memoryRatio.degraded of maxmemory', () => {
      const health = evaluateRedisHealth(
        healthyRedis({ usedMemoryBytes: 80 * mb, maxMemoryBytes: 100 * mb }),
        thresholds,
      );
      expect(health.issues[0]).to.include({
        code: 'REDIS_MEMORY_HIGH',
        severity: 'degraded',
        measured: 0.8,
      });
    });

    it('should be unhealthy at memoryRatio.unhealthy of maxmemory', () => {
      const health = evaluateRedisHealth(
        healthyRedis({ usedMemoryBytes: 96 * mb, maxMemoryBytes: 100 * mb }),
        thresholds,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.issues[0]?.message).to.contain('96.0%');
    });
  });
});
