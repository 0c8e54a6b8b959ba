import { useQueueEvents } from '../hooks/use-queue-events.js';
import { WebSocketStatus } from './web-socket-status.js';

/** The shared socket's state in the top bar (holding the socket open while the app runs). */
export function ConnectionBadge() {
  const state = useQueueEvents(null);
  return <WebSocketStatus isConnected={state.connected} error={state.error} variant="badge" />;
}
