import type {
  ConsoleServerToClientEvents,
  JobLogPayload,
  JobLogServerEvents,
  OperationBody,
} from '../../../src/application/contract/index.js';

/** The console's events the gateway pushes besides progress. */
export type ConsoleServerEvents = JobLogServerEvents & ConsoleServerToClientEvents;

/** A console event, tagged with its name. */
export type ConsoleEvent =
  | { readonly type: 'job-log'; readonly payload: JobLogPayload }
  | { readonly type: 'operation-progress'; readonly payload: OperationBody };
