import type { Registry } from 'prom-client';
import type { SocketReadings } from '../../application/ports/socket-stats.port.js';
import { registerCustomMetric } from './custom-metric.js';

/**
 * The socket gateway's metrics of this instance: clients connected, held back and cut off, and
 * the events sent to them. Labels: the protocol only (`per-event` or `batched`).
 */
export function registerSocketMetrics(registry: Registry, read: () => SocketReadings): void {
  const byProtocol =
    (pick: (readings: SocketReadings) => { perEvent: number; batched: number }) => () => {
      const values = pick(read());
      return [
        { value: values.perEvent, labels: { protocol: 'per-event' } },
        { value: values.batched, labels: { protocol: 'batched' } },
      ];
    };
  const single = (pick: (readings: SocketReadings) => number) => () => [
    { value: pick(read()), labels: {} },
  ];
  registerCustomMetric(
    registry,
    'queuewatch_socket_clients',
    'Sockets connected to /job-progress now, by protocol.',
    'gauge',
    byProtocol((readings) => readings.clients),
  );
  registerCustomMetric(
    registry,
    'queuewatch_socket_slow_clients',
    'Clients held back now because their connection stopped taking data.',
    'gauge',
    single((readings) => readings.slowClients),
  );
  registerCustomMetric(
    registry,
    'queuewatch_socket_deliveries_total',
    'Events sent to sockets: a per-event broadcast once, a batched event once per audience group.',
    'counter',
    byProtocol((readings) => readings.deliveries),
  );
  registerCustomMetric(
    registry,
    'queuewatch_socket_batches_total',
    'Batches of events (the events packet) sent to audience groups.',
    'counter',
    single((readings) => readings.batches),
  );
  registerCustomMetric(
    registry,
    'queuewatch_socket_slow_disconnects_total',
    'Clients disconnected for falling too far behind (they reconnect and resume).',
    'counter',
    single((readings) => readings.slowDisconnects),
  );
}
