import type { Delivery } from '../../domain/subscriptions/coalescing-outbox.js';
import type { ServerEventName, ServerToClientEvents } from '../contract/socket-events.js';

/** A delivery of one of the gateway's events, its payload typed by its name. */
export type GatewayDelivery = {
  [Name in ServerEventName]: Delivery<Name, Parameters<ServerToClientEvents[Name]>[0]>;
}[ServerEventName];

/** Where relayed events go: the clients subscribed to their rooms. */
export interface DeliverySink {
  deliver(delivery: GatewayDelivery): void;
}
