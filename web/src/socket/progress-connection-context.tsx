import { createContext, useContext, type ReactNode } from 'react';
import { tokenStore } from '../api/token-store.js';
import { ProgressConnection } from './progress-connection.js';
import { openProgressSocket } from './progress-socket.js';

/** The page's one connection to the progress gateway, with the API token when there is one. */
export const sharedProgressConnection = new ProgressConnection(openProgressSocket, {
  token: tokenStore.token,
  onUnauthorized: (message) => {
    tokenStore.require(message);
  },
});
tokenStore.subscribe(() => {
  sharedProgressConnection.setToken(tokenStore.token);
});

const ConnectionContext = createContext<ProgressConnection>(sharedProgressConnection);

/** Puts another connection under a tree (tests give one built on a fake socket). */
export function ProgressConnectionProvider(props: {
  connection: ProgressConnection;
  children: ReactNode;
}) {
  return (
    <ConnectionContext.Provider value={props.connection}>
      {props.children}
    </ConnectionContext.Provider>
  );
}

/** The connection of the surrounding tree: the shared one unless a provider says otherwise. */
export function useProgressConnection(): ProgressConnection {
  return useContext(ConnectionContext);
}
