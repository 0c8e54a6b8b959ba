import { useState } from 'react';
import { Card } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { StatusPill, type Tone } from '../components/status-pill.js';
import { WebSocketStatus } from '../components/web-socket-status.js';
import { useQueueEvents } from '../hooks/use-queue-events.js';
import { formatDuration } from '../format/format.js';
import type { ProgressEvent } from '../socket/progress-event.js';

/** Events kept on screen. */
const feedLength = 50;

interface FeedEntry {
  readonly key: number;
  readonly event: ProgressEvent;
}

/** The queue's events as they are pushed, newest first (subscribe-to-queue). */
export function QueueEventFeed(props: { queueName: string; onFinished?: () => void }) {
  const [entries, setEntries] = useState<readonly FeedEntry[]>([]);
  const connection = useQueueEvents(props.queueName, (event) => {
    setEntries((previous) => {
      // Progress of one job replaces its previous progress line, so a busy job does not flood.
      const rest =
        event.type === 'job-progress'
          ? previous.filter(
              (entry) =>
                !(
                  entry.event.type === 'job-progress' &&
                  entry.event.payload.jobId === event.payload.jobId
                ),
            )
          : previous;
      return [{ key: (previous[0]?.key ?? 0) + 1, event }, ...rest].slice(0, feedLength);
    });
    if (event.type === 'job-completed' || event.type === 'job-failed') props.onFinished?.();
  });
  return (
    <Card
      title="Live events"
      actions={<WebSocketStatus isConnected={connection.connected} error={connection.error} />}
      testId="event-feed"
    >
      {entries.length === 0 ? (
        <EmptyState title="No events yet">
          Progress, completions and failures of this queue's jobs appear here as they happen.
        </EmptyState>
      ) : (
        <ol className="feed" aria-live="polite" aria-label="Live events" tabIndex={0}>
          {entries.map(({ key, event }) => (
            <li key={key} className="feed__item" data-testid="feed-item">
              <StatusPill tone={toneOf(event)} label={event.type.replace('job-', '')} />
              <code>{event.payload.jobId}</code>
              <span>{describe(event)}</span>
              <time className="muted">
                {new Date(event.payload.timestamp).toLocaleTimeString()}
              </time>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function toneOf(event: ProgressEvent): Tone {
  switch (event.type) {
    case 'job-completed':
      return 'ok';
    case 'job-failed':
      return event.payload.willRetry ? 'warn' : 'bad';
    case 'job-progress':
    case 'custom-progress':
      return 'info';
  }
}

function describe(event: ProgressEvent): string {
  switch (event.type) {
    case 'job-progress':
      return typeof event.payload.progress === 'number'
        ? `${String(event.payload.progress)} %`
        : JSON.stringify(event.payload.progress);
    case 'job-completed':
      return `in ${formatDuration(event.payload.processingTime)}`;
    case 'job-failed':
      return `${event.payload.failedReason}${event.payload.willRetry ? ' (will retry)' : ''}`;
    case 'custom-progress':
      return JSON.stringify(event.payload.data);
  }
}
