import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import type { ChartData } from './history-series.js';

/** The value of a CSS variable on the page (the theme's colour), with a fallback. */
function cssColor(variable: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
  return value || '#1f5fbf';
}

/**
 * A line chart drawn by uPlot on a canvas, sized to its container and redrawn when the data or
 * the theme changes. `summary` is its text alternative for assistive technology (the canvas is
 * hidden from it). `sparkline` leaves out axes and legend.
 */
export function LineChart(props: {
  data: ChartData;
  summary: string;
  height: number;
  sparkline?: boolean;
  unit?: string;
  testId?: string;
}) {
  const { data, summary, height, sparkline = false, unit = '', testId } = props;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    let chart: uPlot | null = null;
    let gone = false;
    let Plot: typeof uPlot | null = null;
    const draw = () => {
      chart?.destroy();
      chart = null;
      if (!Plot || gone) return;
      const width = Math.max(element.clientWidth, 120);
      try {
        chart = new Plot(
          {
            width,
            height,
            legend: { show: !sparkline },
            cursor: { show: !sparkline },
            axes: sparkline
              ? [{ show: false }, { show: false }]
              : [
                  { stroke: cssColor('--text-muted'), grid: { stroke: cssColor('--border') } },
                  {
                    stroke: cssColor('--text-muted'),
                    grid: { stroke: cssColor('--border') },
                    values: (_, ticks) => ticks.map((tick) => `${String(tick)}${unit}`),
                    size: 60,
                  },
                ],
            series: [
              {},
              ...data.lines.map((line) => ({
                label: line.label,
                stroke: cssColor(line.color),
                width: sparkline ? 1.5 : 2,
                spanGaps: false,
                // A lone value draws no line: show the values as dots while they are few.
                points: {
                  show: !sparkline && line.values.filter((value) => value !== null).length <= 120,
                  size: 5,
                },
              })),
            ],
          },
          [data.times as number[], ...data.lines.map((line) => line.values as (number | null)[])],
          element,
        );
      } catch {
        // No canvas here (a test DOM): the text alternative stands alone.
        chart = null;
      }
    };
    // Loaded on first use (its own chunk); where it cannot load (a test DOM without
    // matchMedia) the text alternative stands alone.
    import('uplot').then(
      (module) => {
        Plot = module.default;
        draw();
      },
      () => undefined,
    );
    let width = element.clientWidth;
    const resized = new ResizeObserverOrNothing(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      chart?.setSize({ width: Math.max(width, 120), height });
    });
    resized.observe(element);
    const theme =
      typeof window.matchMedia === 'function'
        ? window.matchMedia('(prefers-color-scheme: dark)')
        : null;
    theme?.addEventListener('change', draw);
    return () => {
      gone = true;
      resized.disconnect();
      theme?.removeEventListener('change', draw);
      chart?.destroy();
    };
  }, [data, height, sparkline, unit]);
  return (
    <figure className={sparkline ? 'chart chart-sparkline' : 'chart'} data-testid={testId}>
      <div ref={box} aria-hidden="true" className="chart-canvas" />
      <figcaption className={sparkline ? 'visually-hidden' : 'chart-summary'}>{summary}</figcaption>
    </figure>
  );
}

/** A ResizeObserver where there is one (not in every test DOM). */
class ResizeObserverOrNothing {
  private readonly observer: ResizeObserver | null;

  constructor(callback: () => void) {
    this.observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            callback();
          })
        : null;
  }

  observe(element: Element): void {
    this.observer?.observe(element);
  }

  disconnect(): void {
    this.observer?.disconnect();
  }
}
