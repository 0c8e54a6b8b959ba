import type { Namespace, Socket } from 'socket.io';
import type { BatchedEvent } from '../../application/contract/socket-events.js';
import type { DeliverySink, GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { SocketReadings, SocketStats } from '../../application/ports/socket-stats.port.js';
import { AudienceGroups, type AudienceGroup } from '../../domain/subscriptions/audience-groups.js';
import { BatchPacer } from '../../domain/subscriptions/batch-pacer.js';
import { CoalescingOutbox } from '../../domain/subscriptions/coalescing-outbox.js';
import { SlowClients, type BackpressureLimits } from './slow-clients.js';

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
 * deliveries are sent, or a second's worth of batches for a batched client) is left out of
 * broadcasts, and its deliveries are held until its connection drains (SlowClients); they are
 * then sent as it takes its events (as one batch to a batched client).
 */
export class TickBroadcaster implements DeliverySink, SocketStats {
  private readonly outbox = new CoalescingOutbox<GatewayDelivery>();
  private scheduled = false;
  private readonly slow: SlowClients;
  private readonly groups = new AudienceGroups();
  /** Every batched socket, by id, with its group (`null` while it has no subscription). */
  private readonly batched = new Map<string, AudienceGroup | null>();
  /** Each group's deliveries that wait for its interval to end. */
  private readonly pacer: BatchPacer<AudienceGroup, GatewayDelivery>;
  private batchTimer: NodeJS.Timeout | null = null;
  /** When `batchTimer` fires. */
  private batchTimerAt = Infinity;
  /** One listener shared by every batched socket (`this` is the socket). */
  private readonly forgetBatched: (this: Socket) => void;
  /** What was sent since start (see {@link SocketReadings}). */
  private readonly sent = { perEvent: 0, batched: 0, batches: 0 };

  constructor(
    private readonly namespace: Namespace,
    limits: BackpressureLimits,
    logger: Logger,
    /** The shortest time between two batches to the same group. */
    batchIntervalMs: number,
  ) {
    this.pacer = new BatchPacer(batchIntervalMs);
    // A batch may hold many events: a batched client is slow once a second of batches waits.
    const slowAfterBatches = Math.min(
      limits.slowAfterPackets,
      Math.ceil(1_000 / Math.max(1, batchIntervalMs)),
    );
    this.slow = new SlowClients(
      namespace,
      limits,
      slowAfterBatches,
      {
        groupOf: (id) => this.batched.get(id),
        catchUp: (socket, held) => {
          this.sendTo(socket, held);
        },
      },
      logger,
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
      slowDisconnects: this.slow.disconnects,
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
    this.slow.scan();
    const slowIds = this.slow.ids();
    const rooms = this.namespace.adapter.rooms;
    for (const delivery of deliveries) {
      if (slowIds) this.slow.holdPerEvent(delivery);
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
    this.slow.scan();
    const slowIds = this.slow.ids();
    for (const [group, share] of batches) {
      if (slowIds) this.slow.holdForGroup(group, share);
      const target = this.namespace.to(group.name);
      (slowIds ? target.except(slowIds) : target).emit('events', toBatch(share));
      this.sent.batched += share.length;
      this.sent.batches += 1;
    }
  }

  /** Send these to one batched socket apart from its group, or hold them when it is slow. */
  private sendAlone(socket: Socket, deliveries: readonly GatewayDelivery[]): void {
    if (deliveries.length === 0) return;
    if (!this.slow.holdForSocket(socket.id, deliveries)) this.sendTo(socket, deliveries);
  }
}

function toBatch(deliveries: readonly GatewayDelivery[]): BatchedEvent[] {
  return deliveries.map((delivery) => [delivery.name, delivery.payload] as BatchedEvent);
}
