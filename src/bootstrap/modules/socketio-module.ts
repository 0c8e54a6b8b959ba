import type { Server } from 'node:http';
import { ContainerModule } from 'inversify';
import type { Logger } from '../../application/ports/logger.port.js';
import { tokenMatcher } from '../../adapters/http/bearer-auth.js';
import type { OriginPolicy } from '../../adapters/http/origin-policy.js';
import { attachProgressGateway } from '../../adapters/socketio/progress-gateway.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** When a client counts as slow, and when it is cut off (README, "Slow clients"). */
const backpressure = { slowAfterPackets: 1_000, disconnectAfterDeliveries: 10_000 } as const;

/** The `/job-progress` Socket.IO gateway, on the HTTP server of the API. */
export const socketioModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.ProgressGateway)
    .toResolvedValue(
      (server: Server, config: QueuewatchConfig, logger: Logger, origins: OriginPolicy) =>
        attachProgressGateway(server, {
          admitRequest: (headers) => origins.checkHandshake(headers.origin, headers.host),
          corsOrigins: config.http.allowedOrigins,
          authenticate: config.apiToken === null ? null : tokenMatcher(config.apiToken),
          subscriptionLimit: config.gateway.subscriptionLimit,
          backpressure,
          logger,
        }),
      [TOKENS.HttpServer, TOKENS.Config, TOKENS.Logger, TOKENS.OriginPolicy],
    )
    .inSingletonScope();
});
