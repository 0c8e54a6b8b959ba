/**
 * Queuewatch as a library: `createQueuewatch` mounts its API, dashboard and progress socket in
 * an application of your own (docs/embedding.md). The standalone server is the `queuewatch`
 * command (docs/cli.md); workers publish custom progress through `queuewatch/worker`.
 */
export {
  createQueuewatch,
  type Queuewatch,
  type QueuewatchRouter,
} from './bootstrap/embed/create-queuewatch.js';
export type { QueueOption, QueuewatchOptions } from './bootstrap/embed/embed-options.js';
export { EmbedError, isEmbedError } from './bootstrap/embed/embed-error.js';
export { ConfigError, isConfigError } from './bootstrap/config/config-error.js';
