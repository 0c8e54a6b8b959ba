import type { Namespace, Socket } from 'socket.io';
import type { BatchedEvent } from '../../application/contract/socket-events.js';
import type { DeliverySink, GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { SocketReadings, SocketStats } from '../../application/ports/socket-stats.port.js';
import { AudienceGroups, type AudienceGroup } from '../../domain/subscriptions/audience-groups.js';
import { BatchPacer } from '../../domain/subscriptions/batch-pacer.js';
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
 * (the group's first deliveries after a quiet interval go out at once, later ones wait for its
 * interval to end; each group keeps its own pace, see BatchPacer). Packets, not bytes, are what a
 * server and its clients can write and read only so many of per second; without the interval a
 * group would get one packet per tick, and ticks come hundreds of times a second under load.
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
  /** Each group's deliveries that wait for its interval to end. */
  private readonly pacer: BatchPacer<AudienceGroup, GatewayDelivery>;
  private batchTimer: NodeJS.Timeout | null = null;
  /** When `batchTimer` fires. */
  private batchTimerAt = Infinity;
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
    batchIntervalMs: number,
  ) {
    this.pacer = new BatchPacer(batchIntervalMs);
    this.slowAfterBatches = Math.min(
      limits.slowAfterPackets,
      Math.ceil(1_000 / Math.max(1, batchIntervalMs)),
    );
    const groupOf = this.batched;
    const groups = this.groups;
    const pacer = this.pacer;
    this.forgetBatched = function (this: Socket) {
      const group = groupOf.get(this.id);
      groupOf.delete(this.id);
      if (group && groups.leave(group)) pacer.forget(group);
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
    if (previous && previous.name !== next?.name) {
      // What waits for the group it leaves was sent before the change: it gets that now, but
      // what also waits for its new group, which it gets from there.
      const later = new Set(next ? this.pacer.waitingFor(next) : []);
      this.sendAlone(
        socket,
        this.pacer.waitingFor(previous).filter((delivery) => !later.has(delivery)),
      );
      void socket.leave(previous.name);
    }
    if (previous && this.groups.leave(previous)) this.pacer.forget(previous);
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
      if (slowIds) this.hold(delivery);
      // Skipped when no per-event client listens: Socket.IO would encode it for nobody.
      if (!delivery.rooms.some((room) => rooms.has(room))) continue;
      const target = this.namespace.to(delivery.rooms as string[]);
      (slowIds ? target.except(slowIds) : target).emit(delivery.name, delivery.payload);
      this.sent.perEvent += 1;
    }
    if (this.groups.size > 0) this.queueForBatches(deliveries);
  }

  /** Each group's share goes out now, or waits for the group's interval to end. */
  private queueForBatches(deliveries: readonly GatewayDelivery[]): void {
    const now = performance.now();
    const ready: [AudienceGroup, readonly GatewayDelivery[]][] = [];
    for (const [group, share] of this.groups.batches(deliveries)) {
      const sendNow = this.pacer.offer(group, share, now);
      if (sendNow) ready.push([group, sendNow]);
    }
    this.sendBatches(ready);
    this.scheduleBatches();
  }

  /** A timer for the next group whose wait ends (moved earlier when a sooner one starts waiting). */
  private scheduleBatches(): void {
    const dueAt = this.pacer.nextDueAt();
    if (dueAt === null || dueAt >= this.batchTimerAt) return;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimerAt = dueAt;
    this.batchTimer = setTimeout(
      () => {
        this.batchTimer = null;
        this.batchTimerAt = Infinity;
        this.sendBatches(this.pacer.due(performance.now()));
        this.scheduleBatches();
      },
      Math.max(0, dueAt - performance.now()),
    );
    this.batchTimer.unref();
  }

  /** One packet to each of these groups, but to their slow members: held for them instead. */
  private sendBatches(batches: readonly [AudienceGroup, readonly GatewayDelivery[]][]): void {
    if (batches.length === 0) return;
    this.findSlowClients();
    const slowIds = this.slow.size > 0 ? [...this.slow.keys()] : null;
    for (const [group, share] of batches) {
      if (slowIds) this.holdForGroup(group, share);
      const target = this.namespace.to(group.name);
      (slowIds ? target.except(slowIds) : target).emit('events', toBatch(share));
      this.sent.batched += share.length;
      this.sent.batches += 1;
    }
  }

  /** Send these to one batched socket apart from its group, or hold them when it is slow. */
  private sendAlone(socket: Socket, deliveries: readonly GatewayDelivery[]): void {
    if (deliveries.length === 0) return;
    const slow = this.slow.get(socket.id);
    if (!slow) {
      this.sendTo(socket, deliveries);
      return;
    }
    for (const delivery of deliveries) this.holdFor(socket.id, slow, delivery);
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

  /** Hold a delivery for the slow per-event clients in any of its rooms. */
  private hold(delivery: GatewayDelivery): void {
    for (const [id, client] of this.slow) {
      if (!client.socket.connected) {
        this.slow.delete(id);
        continue;
      }
      if (this.batched.has(id)) continue;
      if (!delivery.rooms.some((room) => client.socket.rooms.has(room))) continue;
      this.holdFor(id, client, delivery);
    }
  }

  /** Hold a group's share for its slow members. */
  private holdForGroup(group: AudienceGroup, share: readonly GatewayDelivery[]): void {
    for (const [id, client] of this.slow) {
      if (!client.socket.connected) {
        this.slow.delete(id);
        continue;
      }
      if (this.batched.get(id) !== group) continue;
      for (const delivery of share) this.holdFor(id, client, delivery);
    }
  }

  /** Hold one delivery for one slow client, disconnecting it once it has fallen too far behind. */
  private holdFor(id: string, client: SlowClient, delivery: GatewayDelivery): void {
    if (!this.slow.has(id)) return;
    client.held.push(delivery);
    if (client.held.size <= this.limits.disconnectAfterDeliveries) return;
    this.logger.warn('disconnecting a client that stopped reading events', {
      socket: id,
      held: client.held.size,
    });
    this.slow.delete(id);
    this.sent.slowDisconnects += 1;
    client.socket.disconnect(true);
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
