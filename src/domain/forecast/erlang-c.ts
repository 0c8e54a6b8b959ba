/**
 * The Erlang C model of a queue served by `servers` identical servers (M/M/c): jobs arrive at
 * random (Poisson, `arrivalRate` per second) and each takes an exponentially distributed time
 * (mean `serviceTime` seconds). A BullMQ worker with concurrency k counts as k servers.
 */
export interface ServedQueue {
  readonly arrivalRate: number;
  readonly serviceTime: number;
  readonly servers: number;
}

/** The offered load in erlangs: arrival rate × mean service time. */
export function offeredLoad(queue: Pick<ServedQueue, 'arrivalRate' | 'serviceTime'>): number {
  return queue.arrivalRate * queue.serviceTime;
}

/**
 * The probability that a job has to wait (all servers busy): Erlang's C formula. 1 when the load
 * reaches the servers (the queue grows without bound), 0 with no load. Computed with the stable
 * recurrence of Erlang B, so it holds for hundreds of servers.
 */
export function erlangC(load: number, servers: number): number {
  if (servers <= 0) return 1;
  if (load <= 0) return 0;
  if (load >= servers) return 1;
  // Erlang B by recurrence: B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)).
  let blocking = 1;
  for (let k = 1; k <= servers; k += 1) blocking = (load * blocking) / (k + load * blocking);
  const utilisation = load / servers;
  return blocking / (1 - utilisation * (1 - blocking));
}

/** The mean wait before service (s); `Infinity` when the servers cannot keep up. */
export function meanWait(queue: ServedQueue): number {
  const capacity = queue.servers / queue.serviceTime;
  if (queue.arrivalRate <= 0) return 0;
  if (queue.arrivalRate >= capacity) return Number.POSITIVE_INFINITY;
  return erlangC(offeredLoad(queue), queue.servers) / (capacity - queue.arrivalRate);
}

/** The probability that a job waits longer than `seconds` before service. */
export function waitExceeds(queue: ServedQueue, seconds: number): number {
  const capacity = queue.servers / queue.serviceTime;
  if (queue.arrivalRate <= 0) return 0;
  if (queue.arrivalRate >= capacity) return 1;
  const waiting = erlangC(offeredLoad(queue), queue.servers);
  return waiting * Math.exp(-(capacity - queue.arrivalRate) * seconds);
}

/** What servers are needed for. */
export interface WaitTarget {
  /** The wait most jobs must stay under (s). */
  readonly seconds: number;
  /** The share of jobs that must stay under it, e.g. 0.95. */
  readonly quantile: number;
}

/**
 * The fewest servers that keep `target.quantile` of jobs waiting at most `target.seconds`; at
 * least one, and `null` when even `maxServers` cannot.
 */
export function serversFor(
  queue: Pick<ServedQueue, 'arrivalRate' | 'serviceTime'>,
  target: WaitTarget,
  maxServers = 100_000,
): number | null {
  if (queue.arrivalRate <= 0) return 1;
  const first = Math.max(1, Math.floor(offeredLoad(queue)) + 1);
  for (let servers = first; servers <= maxServers; servers += 1) {
    if (waitExceeds({ ...queue, servers }, target.seconds) <= 1 - target.quantile) return servers;
  }
  return null;
}
