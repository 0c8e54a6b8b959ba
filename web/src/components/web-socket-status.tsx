import { jobPollIntervalMs } from '../hooks/use-job-progress.js';
import { WifiIcon } from './wifi-icon.js';

/** How much room the status takes: a pill, the icon alone, or a sentence with the error. */
export type WebSocketStatusVariant = 'badge' | 'icon' | 'full';

/**
 * The connection indicator: a green Wi‑Fi mark and "Live" while events are pushed, an
 * orange struck-through one and "Polling" while the dashboard falls back to polling. The error
 * is written out in `full` and is the tooltip otherwise.
 */
export function WebSocketStatus(props: {
  isConnected: boolean;
  error?: string | null | undefined;
  variant?: WebSocketStatusVariant;
}) {
  const { isConnected, error } = props;
  const variant = props.variant ?? 'badge';
  const state = isConnected ? 'live' : 'polling';
  const label = isConnected ? 'Live' : 'Polling';
  const description = isConnected
    ? 'Live updates over WebSocket'
    : `Socket down: polling every ${String(jobPollIntervalMs / 1_000)} s`;
  const title = error ? `${description} (${error})` : description;
  const common = {
    className: `ws-status ws-status--${variant} ws-status--${state}`,
    'data-testid': 'ws-status',
    'data-state': state,
  };
  if (variant === 'icon') {
    return (
      <span {...common} role="img" aria-label={`${label}: ${title}`} title={title}>
        <WifiIcon connected={isConnected} />
      </span>
    );
  }
  if (variant === 'badge') {
    return (
      <span {...common} role="status" title={title}>
        <WifiIcon connected={isConnected} />
        <span className="ws-status__label">{label}</span>
      </span>
    );
  }
  return (
    <div {...common} role="status">
      <WifiIcon connected={isConnected} />
      <div className="ws-status__text">
        <strong className="ws-status__label">{label}</strong> <span>{description}</span>
        {error && (
          <p className="ws-status__error" data-testid="ws-status-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
