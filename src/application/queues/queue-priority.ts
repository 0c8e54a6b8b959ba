import type { AlertSeverity } from '../../domain/alerting/alert.js';

/** How much a queue matters; it is the severity of the queue's alerts. */
export type QueuePriority = AlertSeverity;

/** Every priority, most important first. */
export const queuePriorities: readonly QueuePriority[] = ['critical', 'high', 'medium', 'low'];
