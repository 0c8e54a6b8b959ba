/** Words the health report's and the alerts' messages share. */

/** `1 job`, `2 jobs`, `1,523 jobs`. */
export function plural(count: number, noun: string): string {
  return `${grouped(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** `1523` → `1,523`: a number's whole part in groups of three digits. */
export function grouped(count: number): string {
  const [whole = '0', fraction] = String(Math.abs(count)).split('.');
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${count < 0 ? '-' : ''}${digits}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A configured span: `300000` → `5 minutes`, `8000` → `8 seconds`, `90500` → `90,500 ms`. */
export function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'hour');
  if (ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms % 1_000 === 0) return plural(ms / 1_000, 'second');
  return `${grouped(ms)} ms`;
}
