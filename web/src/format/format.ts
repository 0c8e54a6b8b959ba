/** A duration in ms, in the unit a person reads best: `850 ms`, `2.4 s`, `3 min 5 s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${String(Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${String(minutes)} min ${String(seconds)} s`;
}

/** An uptime in seconds: `3 d 4 h`, `2 h 5 min`, `42 s`. */
export function formatUptime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${String(days)} d ${String(hours)} h`;
  if (hours > 0) return `${String(hours)} h ${String(minutes)} min`;
  if (minutes > 0) return `${String(minutes)} min`;
  return `${String(Math.floor(seconds))} s`;
}

/** A ratio as a percentage with one decimal: `0.0123` → `1.2 %`. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(1)} %`;
}

/** A count with thousands separators. */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined) return '—';
  return count.toLocaleString('en-US');
}

/** An ISO-8601 time or ms epoch as the local date and time. */
export function formatTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toLocaleString();
}

/** A latency in ms with two significant decimals under 10 ms. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${String(Math.round(ms))} ms`;
}
