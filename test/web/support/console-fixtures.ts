import type {
  ConsoleAction,
  JobDetailBody,
  JobSummary,
  MeBody,
  Role,
} from '../../../src/application/contract/index.js';
import { allowedActions } from '../../../src/domain/console/permissions.js';

/** `/me` for a token of this role. */
export function meAs(role: Role, readOnly = false): MeBody {
  return { name: `${role}-token`, role, readOnly, may: allowedActions(role, readOnly) };
}

/** Every action, for a test to check that none shows. */
export const everyAction: readonly ConsoleAction[] = allowedActions('admin', false);

/** A row of a job list. */
export function summary(id: string, overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id,
    queueName: 'payments',
    name: `charge-${id}`,
    state: 'failed',
    progress: 30,
    attemptsMade: 3,
    attemptsAllowed: 3,
    createdAt: Date.UTC(2026, 10, 30, 9, 0, 0),
    processedOn: Date.UTC(2026, 10, 30, 9, 0, 1),
    finishedOn: Date.UTC(2026, 10, 30, 9, 0, 2),
    waitTime: 1_000,
    processingTime: 1_000,
    failedReason: 'card declined',
    ...overrides,
  };
}

/** Everything about a failed job with a parent, a child and a dead-letter record. */
export function detail(id: string, overrides: Partial<JobDetailBody> = {}): JobDetailBody {
  return {
    ...summary(id),
    data: { text: '{"customer":{"id":"c-9"},"amount":12}', bytes: 37, truncated: false },
    options: { text: '{"attempts":3}', bytes: 14, truncated: false },
    returnValue: null,
    stacktraces: [
      'Error: card declined\n    at charge (worker.js:10:5)',
      'Error: timeout\n    at charge (worker.js:12:7)',
    ],
    delay: 0,
    priority: 0,
    logCount: 2,
    parent: {
      queueName: 'orders',
      id: 'o-1',
      name: 'order',
      state: 'waiting-children',
      children: [],
    },
    children: [
      { queueName: 'payments', id: 'c-1', name: 'receipt', state: 'completed', children: [] },
    ],
    deadLetters: [
      {
        id: 'payments:7:3',
        queueName: 'payments',
        jobId: id,
        jobName: `charge-${id}`,
        failedReason: 'card declined',
        stacktrace: ['Error: card declined'],
        attemptsMade: 3,
        willRetry: false,
        failedAt: '2026-11-30T09:00:02.000Z',
        priority: 'normal',
        dataPreview: '{"customer":{"id":"c-9"}}',
      },
    ],
    ...overrides,
  };
}
