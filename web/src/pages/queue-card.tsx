import { Link } from 'react-router-dom';
import type { QueueHealthBody } from '../../../src/application/contract/index.js';
import { Card } from '../components/card.js';
import { HealthPill } from '../components/health-pill.js';
import { IssueList } from '../components/issue-list.js';
import { Stat, StatGrid } from '../components/stat.js';
import { ThroughputSparkline } from './throughput-sparkline.js';
import { formatCount, formatDuration, formatPercent } from '../format/format.js';

/** One queue on the overview: counts, status, issues, and a link to its page. */
export function QueueCard(props: { queue: QueueHealthBody }) {
  const { queue } = props;
  const { stats, details } = queue;
  return (
    <Card
      title={
        <Link to={`/queues/${encodeURIComponent(queue.queueName)}`} data-testid="queue-link">
          {queue.queueName}
        </Link>
      }
      testId={`queue-card-${queue.queueName}`}
      className="queue-card"
      actions={<HealthPill status={queue.status} testId="queue-status" />}
    >
      {stats ? (
        <StatGrid compact>
          <Stat label="Waiting" value={formatCount(stats.waiting)} testId="count-waiting" />
          <Stat label="Active" value={formatCount(stats.active)} testId="count-active" />
          <Stat label="Completed" value={formatCount(stats.completed)} testId="count-completed" />
          <Stat label="Failed" value={formatCount(stats.failed)} testId="count-failed" />
          <Stat label="Delayed" value={formatCount(stats.delayed)} />
          <Stat
            label="Workers"
            value={details?.workerCount === null ? 'unknown' : formatCount(details?.workerCount)}
          />
          <Stat label="Avg time" value={formatDuration(details?.avgProcessingTime)} />
          <Stat label="Error rate" value={formatPercent(details?.errorRate)} />
        </StatGrid>
      ) : (
        <p className="muted">Counts unavailable: the queue could not be read.</p>
      )}
      <ThroughputSparkline queue={queue.queueName} />
      {details?.isPaused && <p className="muted">Paused</p>}
      <IssueList issues={queue.issues} testId="queue-issues" />
    </Card>
  );
}
