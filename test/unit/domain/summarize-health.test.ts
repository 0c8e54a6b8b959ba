import { expect } from 'chai';
import {
  defaultHealthThresholds,
  evaluateQueueHealth,
  evaluateRedisHealth,
  formatBytes,
  summarizeHealth,
  unreadableQueueHealth,
  worstStatus,
} from '../../../src/domain/queue-health/index.js';
import { healthyRedis } from '../../support/fake-ports.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';

const now = 1_700_000_000_000;
const redisOk = evaluateRedisHealth(healthyRedis(), defaultHealthThresholds.redis);

describe('summarizeHealth', () => {
  it('should add up the jobs of the readable queues and count queues by status', () => {
    const verdict = summarizeHealth(redisOk, [
      evaluateQueueHealth(
        queueSnapshot({ name: 'a', counts: { waiting: 3, active: 1, completed: 10, failed: 2 } }),
        defaultHealthThresholds.queue,
        now,
      ),
      evaluateQueueHealth(
        queueSnapshot({ name: 'b', isPaused: true, counts: { waiting: 1, completed: 5 } }),
        defaultHealthThresholds.queue,
        now,
      ),
      unreadableQueueHealth('c', 'timeout'),
    ]);
    expect(verdict.summary).to.deep.equal({
      totalQueues: 3,
      healthyQueues: 1,
      degradedQueues: 0,
      unhealthyQueues: 2,
      totalJobs: { waiting: 4, active: 1, completed: 15, failed: 2 },
    });
    expect(verdict.status).to.equal('unhealthy');
    expect(verdict.issues.map((issue) => `${issue.source}:${issue.code}`)).to.deep.equal([
      'b:QUEUE_PAUSED',
      'c:QUEUE_UNREADABLE',
    ]);
  });

  it('should let an unhealthy Redis make the whole report unhealthy', () => {
    const redis = evaluateRedisHealth(
      { reachable: false, connectionStatus: 'disconnected', reason: 'gone' },
      defaultHealthThresholds.redis,
    );
    expect(summarizeHealth(redis, []).status).to.equal('unhealthy');
  });

  it('should be healthy with a healthy Redis and no queues', () => {
    expect(summarizeHealth(redisOk, []).status).to.equal('healthy');
  });
});

describe('worstStatus', () => {
  it('should pick the worst and default to healthy', () => {
    expect(worstStatus([])).to.equal('healthy');
    expect(worstStatus(['healthy', 'degraded', 'healthy'])).to.equal('degraded');
    expect(worstStatus(['degraded', 'unhealthy', 'healthy'])).to.equal('unhealthy');
  });
});

describe('formatBytes', () => {
  it('should use binary units with one decimal', () => {
    expect(formatBytes(512)).to.equal('512B');
    expect(formatBytes(1536)).to.equal('1.5KB');
    expect(formatBytes(45.2 * 1024 * 1024)).to.equal('45.2MB');
    expect(formatBytes(3 * 1024 ** 3)).to.equal('3.0GB');
  });
});
