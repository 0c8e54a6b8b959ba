import type { Namespace, Socket } from 'socket.io';
import type { GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { AudienceGroup } from '../../domain/subscriptions/audience-groups.js';
import { CoalescingOutbox } from '../../domain/subscriptions/coalescing-outbox.js';

/** When a client counts as slow, and when it is cut off. */
export interface BackpressureLimits {
  /** Packets waiting to be written to one client before it counts as slow. */
  readonly slowAfterPackets: number;
  /** Deliveries held for one slow client before it is disconnected (it reconnects and resumes). */
  readonly disconnectAfterDeliveries: number;
}

/** How often write buffers are looked at, at most: a slow client is found within this time. */
const scanIntervalMs = 10;

interface SlowClient {
  readonly socket: Socket;
  readonly held: CoalescingOutbox<GatewayDelivery>;
}

/** What the slow clients need to know of the broadcaster that holds them. */
export interface SlowClientsHost {
  /** The audience group of a batched socket (`null` without one); `undefined` for a per-event one. */
  groupOf(id: string): AudienceGroup | null | undefined;
  /** Send what was held for a client once its connection drains, as it takes its events. */
  catchUp(socket: Socket, held: readonly GatewayDelivery[]): void;
}

/**
 * The clients whose connection stopped taking data: left out of broadcasts, each with an outbox
 * of its own where its deliveries are held (progress coalesced, completions and failures kept in
 * order) until its connection drains. A client is slow when more than its limit of packets wait
 * in its write buffer (`slowAfterPackets` for a per-event client, `slowAfterBatches` for a batched
 * one); one that falls `disconnectAfterDeliveries` behind is disconnected, so no client can grow
 * memory without bound.
 */
export class SlowClients {
  private readonly slow = new Map<string, SlowClient>();
  private lastScanAt = -Infinity;
  /** Clients disconnected for falling too far behind, since start. */
  disconnects = 0;

  constructor(
    private readonly namespace: Namespace,
    private readonly limits: BackpressureLimits,
    /** Packets waiting before a batched client counts as slow. */
    private readonly slowAfterBatches: number,
    private readonly host: SlowClientsHost,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.slow.size;
  }

  /** The slow clients' ids, to leave out of a broadcast; `null` when there are none. */
  ids(): string[] | null {
    return this.slow.size > 0 ? [...this.slow.keys()] : null;
  }

  /**
   * Look for clients that became slow, at most every 10 ms: packets pile up in a write buffer
   * while the transport is still busy with an earlier write, for long only when the connection
   * stopped taking data. Reading the buffers now and then costs less than listening to every
   * packet of every socket.
   */
  scan(): void {
    const now = performance.now();
    if (now - this.lastScanAt < scanIntervalMs) return;
    this.lastScanAt = now;
    for (const [id, client] of this.slow) if (!client.socket.connected) this.slow.delete(id);
    const lowest = Math.min(this.slowAfterBatches, this.limits.slowAfterPackets);
    // The buffer's length first: the one read that every socket needs.
    for (const socket of this.namespace.sockets.values()) {
      const waiting = waitingPackets(socket);
      if (waiting <= lowest) continue;
      const id = socket.id;
      const limit =
        this.host.groupOf(id) === undefined ? this.limits.slowAfterPackets : this.slowAfterBatches;
      if (waiting <= limit || this.slow.has(id)) continue;
      this.slow.set(id, { socket, held: new CoalescingOutbox() });
      socket.conn.once('drain', () => {
        this.drained(id);
      });
    }
  }

  /** Hold a delivery for the slow per-event clients in any of its rooms. */
  holdPerEvent(delivery: GatewayDelivery): void {
    for (const [id, client] of this.slow) {
      if (!client.socket.connected) {
        this.slow.delete(id);
        continue;
      }
      if (this.host.groupOf(id) !== undefined) continue;
      if (!delivery.rooms.some((room) => client.socket.rooms.has(room))) continue;
      this.hold(id, client, delivery);
    }
  }

  /** Hold a group's share for its slow members. */
  holdForGroup(group: AudienceGroup, share: readonly GatewayDelivery[]): void {
    for (const [id, client] of this.slow) {
      if (!client.socket.connected) {
        this.slow.delete(id);
        continue;
      }
      if (this.host.groupOf(id) !== group) continue;
      for (const delivery of share) this.hold(id, client, delivery);
    }
  }

  /** Hold these for one client when it is slow (then `true`); `false` leaves them to the caller. */
  holdForSocket(id: string, deliveries: readonly GatewayDelivery[]): boolean {
    const client = this.slow.get(id);
    if (!client) return false;
    for (const delivery of deliveries) this.hold(id, client, delivery);
    return true;
  }

  private drained(id: string): void {
    const client = this.slow.get(id);
    if (!client) return;
    this.slow.delete(id);
    this.host.catchUp(client.socket, client.held.drain());
  }

  /** Hold one delivery for one slow client, disconnecting it once it has fallen too far behind. */
  private hold(id: string, client: SlowClient, delivery: GatewayDelivery): void {
    if (!this.slow.has(id)) return;
    client.held.push(delivery);
    if (client.held.size <= this.limits.disconnectAfterDeliveries) return;
    this.logger.warn('disconnecting a client that stopped reading events', {
      socket: id,
      held: client.held.size,
    });
    this.slow.delete(id);
    this.disconnects += 1;
    client.socket.disconnect(true);
  }
}

/**
 * Packets waiting in the engine.io socket's write buffer. `writeBuffer` is private in engine.io's
 * typings; it is the buffer engine.io's `flush` hands to the transport once the transport is
 * writable again, and it is emptied there.
 */
function waitingPackets(socket: Socket): number {
  return (socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
}
