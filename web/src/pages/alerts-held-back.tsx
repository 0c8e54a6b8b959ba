import { StatusPill } from '../components/status-pill.js';

/** How to name what holds an alert back: a silence by its comment, an alert by its rule and queue. */
export interface HoldNames {
  readonly silence: (id: string) => string;
  readonly alert: (id: string) => string;
}

/** Names ids as themselves, until the silences and firing alerts are read. */
export const idsAsNames: HoldNames = { silence: (id) => id, alert: (id) => id };

/**
 * "silenced by …" and "inhibited by …" pills for an alert that is recorded but not sent; nothing
 * for one that goes out.
 */
export function HeldBack(props: {
  silencedBy: readonly string[];
  inhibitedBy: readonly string[];
  names: HoldNames;
}) {
  if (props.silencedBy.length === 0 && props.inhibitedBy.length === 0) return null;
  const silences = props.silencedBy.map(props.names.silence).join(', ');
  const alerts = props.inhibitedBy.map(props.names.alert).join(', ');
  return (
    <span className="held-back">
      {props.silencedBy.length > 0 && (
        <span data-testid="silenced-by">
          <StatusPill
            tone="info"
            label="silenced"
            title={`Silence ${props.silencedBy.join(', ')}`}
          />
          <span className="muted"> by {silences}</span>
        </span>
      )}
      {props.inhibitedBy.length > 0 && (
        <span data-testid="inhibited-by">
          <StatusPill
            tone="neutral"
            label="inhibited"
            title={`Inhibited by ${props.inhibitedBy.join(', ')}`}
          />
          <span className="muted"> by {alerts}</span>
        </span>
      )}
    </span>
  );
}
