import type { RedisHealth } from '../../../src/application/contract/index.js';
import { Card } from '../components/card.js';
import { HealthPill } from '../components/health-pill.js';
import { IssueList } from '../components/issue-list.js';
import { Stat, StatGrid } from '../components/stat.js';
import { formatCount, formatLatency, formatUptime } from '../format/format.js';

/** Redis at a glance: latency, memory, clients, uptime. */
export function RedisCard(props: { redis: RedisHealth }) {
  const { redis } = props;
  return (
    <Card
      title="Redis"
      testId="redis-card"
      actions={<HealthPill status={redis.status} testId="redis-status" />}
    >
      <StatGrid>
        <Stat label="Connection" value={redis.connectionStatus} />
        <Stat label="Latency" value={formatLatency(redis.responseTime)} testId="redis-latency" />
        <Stat
          label="Memory"
          value={redis.memory.used ?? '—'}
          hint={redis.memory.peak === null ? undefined : `peak ${redis.memory.peak}`}
          testId="redis-memory"
        />
        <Stat label="Clients" value={formatCount(redis.clients)} testId="redis-clients" />
        <Stat label="Uptime" value={formatUptime(redis.uptime)} testId="redis-uptime" />
      </StatGrid>
      <IssueList issues={redis.issues} />
    </Card>
  );
}
