import { useQueueHistory } from '../api/use-history.js';
import { throughputLine, totalOf } from '../charts/history-series.js';
import { LineChart } from '../charts/line-chart.js';
import { formatCount } from '../format/format.js';

/** A queue's jobs finished per minute over the last hour, small, for its overview card. */
export function ThroughputSparkline(props: { queue: string }) {
  const { data } = useQueueHistory(props.queue, '1h');
  if (!data) return null;
  const line = throughputLine(data);
  return (
    <LineChart
      data={line}
      height={36}
      sparkline
      testId="queue-sparkline"
      summary={`${formatCount(totalOf(line.lines[0]?.values ?? []))} jobs finished in the last hour.`}
    />
  );
}
