import type { OperationBody } from '../contract/console.js';

/** Where the progress of bulk operations goes (every connected client that may read). */
export interface OperationProgressSink {
  publish(operation: OperationBody): void;
}
