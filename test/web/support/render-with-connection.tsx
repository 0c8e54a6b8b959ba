import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ProgressConnection } from '../../../web/src/socket/progress-connection.js';
import { ProgressConnectionProvider } from '../../../web/src/socket/progress-connection-context.js';
import { fakeSockets, type FakeSocket } from './fake-socket.js';

/** A connection on fake sockets, and a wrapper that gives it (and a fresh SWR cache) to a tree. */
export function connectionOnFakeSockets() {
  const sockets = fakeSockets();
  const connection = new ProgressConnection(sockets.factory);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <SWRConfig value={{ provider: () => new Map() }}>
      <ProgressConnectionProvider connection={connection}>{children}</ProgressConnectionProvider>
    </SWRConfig>
  );
  const socket = (): FakeSocket => {
    const last = sockets.opened.at(-1);
    if (!last) throw new Error('no socket was opened');
    return last;
  };
  return { connection, wrapper, socket, opened: sockets.opened };
}
