import { Redis } from 'ioredis';

/** A command to the node on a port, over a connection opened on first use. */
export type Ask = <T>(port: number, ...args: string[]) => Promise<T>;

/**
 * Run `use` with an `ask` whose connections (one per port) are all closed after; over TLS,
 * trusting `tls.ca`, when the nodes serve TLS only.
 */
export async function withAdmin<T>(
  use: (ask: Ask) => Promise<T>,
  tls?: { readonly ca: string },
): Promise<T> {
  const clients = new Map<number, Redis>();
  const ask: Ask = async <R>(port: number, ...args: string[]): Promise<R> => {
    let client = clients.get(port);
    if (!client || client.status === 'end') {
      // None yet, or the last one closed (its node went away): a new connection.
      client?.disconnect();
      client = new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
        ...(tls ? { tls: { ca: tls.ca } } : {}),
      });
      client.on('error', () => undefined);
      clients.set(port, client);
    }
    if (client.status === 'wait') await client.connect();
    const [command = '', ...rest] = args;
    return (await client.call(command, ...rest)) as R;
  };
  try {
    return await use(ask);
  } finally {
    for (const client of clients.values()) client.disconnect();
  }
}

/** One line of `CLUSTER NODES`. */
export interface ClusterNodesEntry {
  readonly id: string;
  readonly port: number;
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, … */
  readonly flags: readonly string[];
  /** For a replica, its master's id; `-` for a master. */
  readonly masterId: string;
  readonly linkState: string;
  /** Slot numbers and ranges (`0-5460`), as listed. */
  readonly slots: readonly string[];
}

/** `<id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <epoch> <link> <slot>…` */
export function parseClusterNodes(text: string): ClusterNodesEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , linkState = '', ...slots] =
        line.split(' ');
      const hostPort = address.split('@')[0] ?? '';
      return {
        id,
        port: Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)),
        flags: flags.split(','),
        masterId,
        linkState,
        slots,
      };
    });
}

export function isFailing(entry: ClusterNodesEntry): boolean {
  return entry.flags.includes('fail') || entry.flags.includes('fail?');
}

/** `key:value` lines of `INFO` and `CLUSTER INFO`. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const separator = line.indexOf(':');
    if (separator > 0 && !line.startsWith('#')) {
      fields.set(line.slice(0, separator), line.slice(separator + 1).trim());
    }
  }
  return fields;
}
