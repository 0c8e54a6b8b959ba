import type { HistoryBody, HistoryPointBody } from '../../../src/application/contract/index.js';

/** One line of a chart: its name, its colour (a CSS variable) and its values. */
export interface ChartLine {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** What a chart draws: the x values (seconds since the epoch) and its lines. */
export interface ChartData {
  readonly times: readonly number[];
  readonly lines: readonly ChartLine[];
}

const seconds = (point: HistoryPointBody): number => Date.parse(point.at) / 1000;

const line = (
  body: HistoryBody,
  label: string,
  color: string,
  pick: (point: HistoryPointBody) => number | null,
): ChartLine => ({ label, color, values: body.points.map(pick) });

/** The charts of a queue's history, per minute or per hour as the range has it. */
export function historyCharts(body: HistoryBody): {
  throughput: ChartData;
  backlog: ChartData;
  wait: ChartData;
  processing: ChartData;
} {
  const times = body.points.map(seconds);
  return {
    throughput: {
      times,
      lines: [
        line(body, 'Completed', '--ok', (point) => point.completed),
        line(body, 'Failed', '--bad', (point) => point.failed),
      ],
    },
    backlog: {
      times,
      lines: [
        line(body, 'Backlog', '--info', (point) => point.backlog),
        line(body, 'Active', '--warn', (point) => point.active),
      ],
    },
    wait: {
      times,
      lines: [
        line(body, 'p50', '--info', (point) => point.waitP50Ms),
        line(body, 'p95', '--warn', (point) => point.waitP95Ms),
      ],
    },
    processing: {
      times,
      lines: [
        line(body, 'p50', '--info', (point) => point.processingP50Ms),
        line(body, 'p95', '--warn', (point) => point.processingP95Ms),
      ],
    },
  };
}

/** Jobs finished (completed + failed) per point: the overview's sparkline. */
export function throughputLine(body: HistoryBody): ChartData {
  return {
    times: body.points.map(seconds),
    lines: [line(body, 'Finished', '--info', (point) => point.completed + point.failed)],
  };
}

/** The sum of a line's values (what a chart's text alternative says). */
export function totalOf(values: readonly (number | null)[]): number {
  return values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}
