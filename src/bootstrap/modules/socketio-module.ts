import { ContainerModule } from 'inversify';
import { tokenDirectory } from '../../adapters/http/caller-auth.js';
import { createProgressGateway } from '../../adapters/socketio/progress-gateway.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';
import type { ConsoleToken } from '../../domain/console/caller.js';

/** When a client counts as slow, and when it is cut off (docs/gateway.md, "Slow clients"). */
const backpressure = { slowAfterPackets: 1_000, disconnectAfterDeliveries: 10_000 } as const;

/** The `/job-progress` Socket.IO gateway; bootstrap serves it on an HTTP server (`attach`). */
export const socketioModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.ProgressGateway,
    [TOKENS.Config, TOKENS.Logger, TOKENS.OriginPolicy],
    (config, logger, origins) =>
      createProgressGateway({
        admitRequest: (headers) => origins.checkHandshake(headers.origin, headers.host),
        corsOrigins: config.http.allowedOrigins,
        authenticate: authenticator(config.auth.tokens),
        subscriptionLimit: config.gateway.subscriptionLimit,
        backpressure,
        logger,
      }),
  );
});

/** Any configured token may read, so may open the socket; without tokens everyone may. */
function authenticator(tokens: readonly ConsoleToken[]): ((candidate: string) => boolean) | null {
  if (tokens.length === 0) return null;
  const holderOf = tokenDirectory(tokens);
  return (candidate) => holderOf(candidate) !== null;
}
