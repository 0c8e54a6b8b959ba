/** Every service identifier of the container, in one place. */
export const TOKENS = {
  Config: Symbol.for('queuewatch.Config'),
  Logger: Symbol.for('queuewatch.Logger'),
  Clock: Symbol.for('queuewatch.Clock'),
  RedisConnection: Symbol.for('queuewatch.RedisConnection'),
  RedisProbe: Symbol.for('queuewatch.RedisProbe'),
  QueuePort: Symbol.for('queuewatch.QueuePort'),
  QueueDiscovery: Symbol.for('queuewatch.QueueDiscovery'),
  MonitoredQueues: Symbol.for('queuewatch.MonitoredQueues'),
  HealthService: Symbol.for('queuewatch.HealthService'),
  QueueListService: Symbol.for('queuewatch.QueueListService'),
  HttpApp: Symbol.for('queuewatch.HttpApp'),
} as const;
