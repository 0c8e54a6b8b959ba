/** What the socket gateway of this instance has served, for `/metrics`. */
export interface SocketReadings {
  /** Sockets connected now, by protocol: one packet per event, or `events` batches. */
  readonly clients: { readonly perEvent: number; readonly batched: number };
  /** Clients held back now because their connection stopped taking data. */
  readonly slowClients: number;
  /**
   * Events handed to Socket.IO since start: a per-event broadcast counts once whatever the
   * number of its recipients; an event sent in batches counts once per audience group it went to.
   */
  readonly deliveries: { readonly perEvent: number; readonly batched: number };
  /** `events` packets sent to audience groups since start. */
  readonly batches: number;
  /** Clients disconnected since start for falling too far behind. */
  readonly slowDisconnects: number;
}

/** Reads what the socket gateway has served. */
export interface SocketStats {
  readings(): SocketReadings;
}
