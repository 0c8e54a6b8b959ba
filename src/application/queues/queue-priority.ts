/** How much a queue matters; later sets the severity of its alerts. */
export type QueuePriority = 'critical' | 'high' | 'medium' | 'low';

/** Every priority, most important first. */
export const queuePriorities: readonly QueuePriority[] = ['critical', 'high', 'medium', 'low'];
