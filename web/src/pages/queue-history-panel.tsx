import { useState } from 'react';
import type { HistoryRange, QueueForecastBody } from '../../../src/application/contract/index.js';
import { useQueueForecast, useQueueHistory } from '../api/use-history.js';
import { historyCharts, totalOf } from '../charts/history-series.js';
import { LineChart } from '../charts/line-chart.js';
import { Card } from '../components/card.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatCount } from '../format/format.js';

const ranges: readonly { value: HistoryRange; label: string }[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

/** A duration in seconds, said briefly. */
export function saySeconds(seconds: number): string {
  if (seconds < 60) return `${String(Math.round(seconds))} s`;
  if (seconds < 3_600) return `${String(Math.round(seconds / 60))} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

/** What the drain forecast says, in words. */
export function drainText(forecast: QueueForecastBody): string {
  const { drain } = forecast;
  switch (drain.status) {
    case 'empty':
      return 'No backlog.';
    case 'draining':
      return `Backlog of ${formatCount(forecast.backlog)} drains in about ${saySeconds(drain.seconds)}.`;
    case 'growing':
      return `Backlog of ${formatCount(forecast.backlog)} is growing by ${String(drain.perMinute)}/min: it will not drain at this rate.`;
    case 'no-workers':
      return `Backlog of ${formatCount(forecast.backlog)} and no worker connected: nothing drains.`;
    case 'unknown':
      return `Backlog of ${formatCount(forecast.backlog)}; no service measured yet.`;
  }
}

/** The queue page's history: throughput, backlog with its forecast, wait and processing times. */
export function QueueHistoryPanel(props: { queue: string }) {
  const { queue } = props;
  const [range, setRange] = useState<HistoryRange>('1h');
  const history = useQueueHistory(queue, range);
  const forecast = useQueueForecast(queue);
  const step = range === '1h' || range === '24h' ? 'minute' : 'hour';
  const charts = history.data ? historyCharts(history.data) : null;
  const rangeLabel = ranges.find((option) => option.value === range)?.label.toLowerCase();
  return (
    <Card
      title="History"
      testId="queue-history"
      actions={
        <label className="inline-field">
          <span>Range</span>
          <select
            value={range}
            onChange={(event) => {
              setRange(event.target.value as HistoryRange);
            }}
            data-testid="history-range"
          >
            {ranges.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {history.error && <ErrorNotice title="Cannot read the history" error={history.error} />}
      {forecast.data && (
        <p className="forecast" data-testid="queue-forecast">
          {drainText(forecast.data)}{' '}
          {forecast.data.predictedWaitSeconds !== null &&
            `A job added now waits about ${saySeconds(forecast.data.predictedWaitSeconds)}. `}
          Recommended workers: {formatCount(forecast.data.recommendation.workers)}
          {forecast.data.workers !== null && ` (connected: ${formatCount(forecast.data.workers)})`}.
        </p>
      )}
      {charts && (
        <div className="chart-grid">
          <section aria-label={`Throughput per ${step}`}>
            <h3>Throughput per {step}</h3>
            <LineChart
              data={charts.throughput}
              height={160}
              testId="chart-throughput"
              summary={`Over the ${rangeLabel ?? range}: ${formatCount(totalOf(charts.throughput.lines[0]?.values ?? []))} completed, ${formatCount(totalOf(charts.throughput.lines[1]?.values ?? []))} failed.`}
            />
          </section>
          <section aria-label="Backlog">
            <h3>Backlog</h3>
            <LineChart
              data={charts.backlog}
              height={160}
              testId="chart-backlog"
              summary={`Backlog now: ${formatCount(history.data?.points.at(-1)?.backlog ?? 0)}.`}
            />
          </section>
          <section aria-label="Wait time">
            <h3>Wait time</h3>
            <LineChart
              data={charts.wait}
              height={160}
              unit=" ms"
              testId="chart-wait"
              summary="Wait from enqueue to start, p50 and p95, in ms."
            />
          </section>
          <section aria-label="Processing time">
            <h3>Processing time</h3>
            <LineChart
              data={charts.processing}
              height={160}
              unit=" ms"
              testId="chart-processing"
              summary="Processing time, p50 and p95, in ms."
            />
          </section>
        </div>
      )}
    </Card>
  );
}
