import type { Namespace, Socket } from 'socket.io';
import type { DeliverySink, GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { CoalescingOutbox } from '../../domain/subscriptions/coalescing-outbox.js';

/** When a client counts as slow, and when it is cut off. */
export interface BackpressureLimits {
  /** Packets waiting to be written to one client before it counts as slow. */
  readonly slowAfterPackets: number;
  /** Deliveries held for one slow client before it is disconnected (it reconnects and resumes). */
  readonly disconnectAfterDeliveries: number;
}

interface SlowClient {
  readonly socket: Socket;
  readonly held: CoalescingOutbox<GatewayDelivery>;
}

/**
 * Sends deliveries to rooms once per event loop tick: each event is encoded once and written to
 * every subscribed socket (Socket.IO's room broadcast). A client whose connection stops taking
 * data (more than `slowAfterPackets` packets waiting) is left out of broadcasts; its deliveries
 * are held in an outbox of its own where progress coalesces (latest wins) and completions and
 * failures are kept in order, and are sent when its connection drains. A client that falls
 * `disconnectAfterDeliveries` behind is disconnected, so no client can grow memory without bound.
 */
export class TickBroadcaster implements DeliverySink {
  private readonly outbox = new CoalescingOutbox<GatewayDelivery>();
  private scheduled = false;
  private readonly slow = new Map<string, SlowClient>();

  constructor(
    private readonly namespace: Namespace,
    private readonly limits: BackpressureLimits,
    private readonly logger: Logger,
  ) {}

  deliver(delivery: GatewayDelivery): void {
    this.outbox.push(delivery);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Watch a newly connected socket's write buffer. */
  watch(socket: Socket): void {
    let waiting = 0;
    socket.conn.on('packetCreate', () => {
      waiting += 1;
      if (waiting > this.limits.slowAfterPackets && !this.slow.has(socket.id)) {
        this.slow.set(socket.id, { socket, held: new CoalescingOutbox() });
      }
    });
    socket.conn.on('flush', () => {
      waiting = 0;
    });
    socket.conn.on('drain', () => {
      const client = this.slow.get(socket.id);
      if (!client) return;
      this.slow.delete(socket.id);
      for (const delivery of client.held.drain()) {
        socket.emit(delivery.name, delivery.payload);
      }
    });
    socket.on('disconnect', () => {
      this.slow.delete(socket.id);
    });
  }

  /** Clients currently held back (for tests and metrics). */
  get slowClients(): number {
    return this.slow.size;
  }

  private flush(): void {
    for (const delivery of this.outbox.drain()) {
      if (this.slow.size > 0) this.hold(delivery);
      const target =
        this.slow.size > 0
          ? this.namespace.to(delivery.rooms as string[]).except([...this.slow.keys()])
          : this.namespace.to(delivery.rooms as string[]);
      target.emit(delivery.name, delivery.payload);
    }
  }

  private hold(delivery: GatewayDelivery): void {
    for (const client of this.slow.values()) {
      if (!delivery.rooms.some((room) => client.socket.rooms.has(room))) continue;
      client.held.push(delivery);
      if (client.held.size > this.limits.disconnectAfterDeliveries) {
        this.logger.warn('disconnecting a client that stopped reading events', {
          socket: client.socket.id,
          held: client.held.size,
        });
        this.slow.delete(client.socket.id);
        client.socket.disconnect(true);
      }
    }
  }
}
