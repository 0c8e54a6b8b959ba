import type { Namespace, Socket } from 'socket.io';
import type { BatchedEvent } from '../../application/contract/socket-events.js';
import type { DeliverySink, GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { SocketReadings, SocketStats } from '../../application/ports/socket-stats.port.js';
import { AudienceGroups, type AudienceGroup } from '../../domain/subscriptions/audience-groups.js';
import { CoalescingOutbox } from '../../domain/subscriptions/coalescing-outbox.js';

/** When a client counts as slow, and when it is cut off. */
export interface BackpressureLimits {
  /** Packets waiting to be written to one client before it counts as slow. */
  readonly slowAfterPackets: number;
  /** Deliveries held for one slow client before it is disconnected (it reconnects and resumes). */
  readonly disconnectAfterDeliveries: number;
}

/** How often write buffers are looked at, at most: a slow client is found within this time. */
const slowScanIntervalMs = 10;

interface SlowClient {
  readonly socket: Socket;
  readonly held: CoalescingOutbox<GatewayDelivery>;
}

/**
 * Sends deliveries once per event loop tick. A per-event client is in the rooms of its
 * subscriptions, and each event is encoded once and written to every socket in its rooms
 * (Socket.IO's room broadcast). A batched client is only in the room of its audience group (the
 * clients with exactly its subscriptions): each group gets one `events` packet with its share of
 * the deliveries, encoded once for all the group's members, at most once every `batchIntervalMs`
 * (the first deliveries after a quiet interval go out at once, later ones wait for the interval
 * to end). Packets, not bytes, are what a server and its clients can write and read only so many
 * of per second; without the interval a group would get one packet per tick, and ticks come
 * hundreds of times a second under load.
 *
 * A client whose connection stops taking data (more than `slowAfterPackets` packets waiting when
 * deliveries are sent, or a second's worth of batches for a batched client; write buffers are
 * looked at every `slowScanIntervalMs` at most) is left out of broadcasts; its deliveries are
 * held in an outbox of its own where progress coalesces (latest wins) and completions and
 * failures are kept in order, and are sent when its connection drains (as one batch to a batched
 * client). A client that falls `disconnectAfterDeliveries` behind is disconnected, so no client
 * can grow memory without bound.
 */
export class TickBroadcaster implements DeliverySink, SocketStats {
  private readonly outbox = new CoalescingOutbox<GatewayDelivery>();
  private scheduled = false;
  private readonly slow = new Map<string, SlowClient>();
  private readonly groups = new AudienceGroups();
  /** Every batched socket, by id, with its group (`null` while it has no subscription). */
  private readonly batched = new Map<string, AudienceGroup | null>();
  private lastSlowScanAt = -Infinity;
  /** Deliveries of past ticks that batched clients have not been sent yet, in order. */
  private batchPending: GatewayDelivery[] = [];
  private lastBatchAt = -Infinity;
  private batchTimer: NodeJS.Timeout | null = null;
  /** One listener shared by every batched socket (`this` is the socket). */
  private readonly forgetBatched: (this: Socket) => void;
  /** A batch may hold many events: a batched client is slow once a second of batches waits. */
  private readonly slowAfterBatches: number;
  /** What was sent since start (see {@link SocketReadings}). */
  private readonly sent = { perEvent: 0, batched: 0, batches: 0, slowDisconnects: 0 };

  constructor(
    private readonly namespace: Namespace,
    private readonly limits: BackpressureLimits,
    private readonly logger: Logger,
    /** The shortest time between two batches to the same group. */
    private readonly batchIntervalMs: number,
  ) {
    this.slowAfterBatches = Math.min(
      limits.slowAfterPackets,
      Math.ceil(1_000 / Math.max(1, batchIntervalMs)),
    );
    const groupOf = this.batched;
    const groups = this.groups;
    this.forgetBatched = function (this: Socket) {
      const group = groupOf.get(this.id);
      groupOf.delete(this.id);
      if (group) groups.leave(group);
    };
  }

  deliver(delivery: GatewayDelivery): void {
    this.outbox.push(delivery);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Serve this newly connected socket batches rather than one packet per event. */
  batch(socket: Socket): void {
    this.batched.set(socket.id, null);
    socket.on('disconnect', this.forgetBatched);
  }

  /** Move a batched socket to the group of these subscription rooms (none when empty). */
  regroup(socket: Socket, rooms: readonly string[]): void {
    const previous = this.batched.get(socket.id);
    if (previous === undefined || !socket.connected) return;
    const next = this.groups.join(rooms);
    if (previous) {
      this.groups.leave(previous);
      if (previous.name !== next?.name) void socket.leave(previous.name);
    }
    if (next && next.name !== previous?.name) void socket.join(next.name);
    this.batched.set(socket.id, next);
  }

  /** Send these to one socket alone, as it takes its events: one batch, or one packet each. */
  sendTo(socket: Socket, deliveries: readonly GatewayDelivery[]): void {
    if (!socket.connected || deliveries.length === 0) return;
    if (this.batched.has(socket.id)) {
      socket.emit('events', toBatch(deliveries));
      this.sent.batched += deliveries.length;
      this.sent.batches += 1;
      return;
    }
    for (const delivery of deliveries) socket.emit(delivery.name, delivery.payload);
    this.sent.perEvent += deliveries.length;
  }

  readings(): SocketReadings {
    const batched = this.batched.size;
    return {
      clients: { perEvent: Math.max(0, this.namespace.sockets.size - batched), batched },
      slowClients: this.slow.size,
      deliveries: { perEvent: this.sent.perEvent, batched: this.sent.batched },
      batches: this.sent.batches,
      slowDisconnects: this.sent.slowDisconnects,
    };
  }

  /** Clients currently held back (for tests and metrics). */
  get slowClients(): number {
    return this.slow.size;
  }

  /** Audience groups of batched clients (for tests and metrics). */
  get batchGroups(): number {
    return this.groups.size;
  }

  private flush(): void {
    const deliveries = this.outbox.drain();
    this.findSlowClients();
    const slowIds = this.slow.size > 0 ? [...this.slow.keys()] : null;
    const rooms = this.namespace.adapter.rooms;
    for (const delivery of deliveries) {
      if (slowIds) this.hold(delivery, false);
      // Skipped when no per-event client listens: Socket.IO would encode it for nobody.
      if (!delivery.rooms.some((room) => rooms.has(room))) continue;
      const target = this.namespace.to(delivery.rooms as string[]);
      (slowIds ? target.except(slowIds) : target).emit(delivery.name, delivery.payload);
      this.sent.perEvent += 1;
    }
    if (this.groups.size > 0) this.queueForBatches(deliveries);
  }

  private queueForBatches(deliveries: readonly GatewayDelivery[]): void {
    for (const delivery of deliveries) this.batchPending.push(delivery);
    if (this.batchTimer) return;
    const wait = this.lastBatchAt + this.batchIntervalMs - performance.now();
    if (wait <= 0) {
      this.sendBatches();
      return;
    }
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      this.sendBatches();
    }, wait);
    this.batchTimer.unref();
  }

  private sendBatches(): void {
    this.lastBatchAt = performance.now();
    const deliveries = this.batchPending;
    this.batchPending = [];
    this.findSlowClients();
    const slowIds = this.slow.size > 0 ? [...this.slow.keys()] : null;
    if (slowIds) for (const delivery of deliveries) this.hold(delivery, true);
    for (const [group, share] of this.groups.batches(deliveries)) {
      const target = this.namespace.to(group.name);
      (slowIds ? target.except(slowIds) : target).emit('events', toBatch(share));
      this.sent.batched += share.length;
      this.sent.batches += 1;
    }
  }

  /**
   * A client is slow when packets pile up in its write buffer: the transport is still busy with
   * an earlier write, for long only when the connection stopped taking data. Reading the
   * buffers now and then costs less than listening to every packet of every socket.
   */
  private findSlowClients(): void {
    const now = performance.now();
    if (now - this.lastSlowScanAt < slowScanIntervalMs) return;
    this.lastSlowScanAt = now;
    for (const [id, client] of this.slow) if (!client.socket.connected) this.slow.delete(id);
    // The buffer's length first: the one read that every socket needs.
    for (const socket of this.namespace.sockets.values()) {
      const waiting = waitingPackets(socket);
      if (waiting <= this.slowAfterBatches) continue;
      const id = socket.id;
      const limit = this.batched.has(id) ? this.slowAfterBatches : this.limits.slowAfterPackets;
      if (waiting <= limit || this.slow.has(id)) continue;
      this.slow.set(id, { socket, held: new CoalescingOutbox() });
      socket.conn.once('drain', () => {
        this.catchUp(id);
      });
    }
  }

  private catchUp(id: string): void {
    const client = this.slow.get(id);
    if (!client) return;
    this.slow.delete(id);
    this.sendTo(client.socket, client.held.drain());
  }

  /** Hold a delivery for the slow clients it reaches, per-event ones or batched ones. */
  private hold(delivery: GatewayDelivery, batched: boolean): void {
    for (const [id, client] of this.slow) {
      if (!client.socket.connected) {
        this.slow.delete(id);
        continue;
      }
      if (this.batched.has(id) !== batched) continue;
      if (!this.reaches(delivery, client.socket)) continue;
      client.held.push(delivery);
      if (client.held.size > this.limits.disconnectAfterDeliveries) {
        this.logger.warn('disconnecting a client that stopped reading events', {
          socket: id,
          held: client.held.size,
        });
        this.slow.delete(id);
        this.sent.slowDisconnects += 1;
        client.socket.disconnect(true);
      }
    }
  }

  private reaches(delivery: GatewayDelivery, socket: Socket): boolean {
    const group = this.batched.get(socket.id);
    if (group === undefined) return delivery.rooms.some((room) => socket.rooms.has(room));
    return group !== null && delivery.rooms.some((room) => group.rooms.has(room));
  }
}

function toBatch(deliveries: readonly GatewayDelivery[]): BatchedEvent[] {
  return deliveries.map((delivery) => [delivery.name, delivery.payload] as BatchedEvent);
}

/**
 * Packets waiting in the engine.io socket's write buffer. `writeBuffer` is private in engine.io's
 * typings; it is the buffer engine.io's `flush` hands to the transport once the transport is
 * writable again, and it is emptied there.
 */
function waitingPackets(socket: Socket): number {
  return (socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
}
