import type { Alert } from '../../../src/application/contract/index.js';
import { formatDuration, formatPercent } from '../format/format.js';

type AlertValue = Alert['values'][string];

/** `windowMs` → `window`; other names as they are. */
function nameOf(key: string): string {
  return key.endsWith('Ms') && key.length > 2 ? key.slice(0, -2) : key;
}

/**
 * One value as a person reads it: `…Ms` as a duration, a rate or ratio as a percentage, other
 * numbers with at most three decimals, a missing value as a dash.
 */
export function formatAlertValue(key: string, value: AlertValue): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (key.endsWith('Ms')) return formatDuration(value);
  if (/(rate|ratio)$/i.test(key) && value >= 0 && value <= 1) return formatPercent(value);
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** What tripped an alert, as compact `name: value` pairs. */
export function AlertValues(props: { values: Alert['values'] }) {
  const entries = Object.entries(props.values);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="alert-values" data-testid="alert-values">
      {entries.map(([key, value]) => (
        <div key={key} className="alert-values__pair">
          <dt>{nameOf(key)}:</dt>
          <dd>{formatAlertValue(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}
