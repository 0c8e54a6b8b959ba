/**
 * Where the server mounted the dashboard, and where it serves the socket. Queuewatch writes both
 * into the page it serves (`src/adapters/http/dashboard.ts`): `''` and `/socket.io` on its own
 * port, `/queues` and `/queues/socket.io` in an application that mounted it under `/queues`. A
 * page without them (the Vite dev server) is at the root.
 */
export interface ServedAt {
  /** The mount path without a trailing slash (`''` at the root). */
  readonly mountPath: string;
  /** The Socket.IO path (`/socket.io`). */
  readonly socketPath: string;
}

/** Read the page's `<meta name="queuewatch-mount-path">` and `<meta name="queuewatch-socket-path">`. */
export function servedAtOf(page: Pick<Document, 'querySelector'>): ServedAt {
  const meta = (name: string): string | null =>
    page.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
  const mountPath = (meta('queuewatch-mount-path') ?? '').replace(/\/+$/, '');
  return { mountPath, socketPath: meta('queuewatch-socket-path') ?? `${mountPath}/socket.io` };
}

/** Where this page was served. */
export const servedAt: ServedAt = servedAtOf(document);
