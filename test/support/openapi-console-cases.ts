import { Queue, Worker } from 'bullmq';
import type { OperationKey, ReceivedAnswer } from './openapi-conformance.js';
import { waitFor } from './wait-for.js';

/** One request; the bearer token is sent unless `token` is `false`. */
export interface Call {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly token?: false;
}

/** What the console's cases learn only once Queuewatch runs. */
export interface ConsoleFixtures {
  /** A dead-letter record whose job is gone and whose data preview is cut short. */
  goneRecordId: string;
}

const json = { 'content-type': 'application/json' };

/** A change with a JSON body (none by default). */
function post(path: string, body?: string): Call {
  return { method: 'POST', path, headers: json, ...(body === undefined ? {} : { body }) };
}

/**
 * For every console operation, a request it answers with success while Redis answers (on the
 * `payments` queue of the conformance test, and `held`, whose worker never finishes a job).
 */
export const consoleExamples: Record<string, Call> = {
  'GET /api/v1/me': { path: '/api/v1/me' },
  'GET /api/v1/audit': { path: '/api/v1/audit?limit=20' },
  'POST /api/v1/queues/{queue}/jobs/{id}/retry': post(
    '/api/v1/queues/payments/jobs/declined/retry',
  ),
  'POST /api/v1/queues/{queue}/jobs/{id}/promote': post(
    '/api/v1/queues/payments/jobs/later/promote',
  ),
  'POST /api/v1/queues/{queue}/jobs/{id}/duplicate': post(
    '/api/v1/queues/payments/jobs/paid/duplicate',
  ),
  'DELETE /api/v1/queues/{queue}/jobs/{id}': {
    method: 'DELETE',
    path: '/api/v1/queues/payments/jobs/removable?children=false',
    headers: json,
  },
  'POST /api/v1/queues/{queue}/pause': post('/api/v1/queues/held/pause'),
  'POST /api/v1/queues/{queue}/resume': post('/api/v1/queues/held/resume'),
  'POST /api/v1/queues/{queue}/drain': post('/api/v1/queues/held/drain', '{"delayed":true}'),
  // Its record id is known once the job failed: set by `setUpConsole`.
  'POST /api/v1/dead-letters/{recordId}/reenqueue': post('/api/v1/dead-letters/-/reenqueue'),
  'POST /api/v1/queues/{queue}/retry-all': post('/api/v1/queues/payments/retry-all', '{}'),
  'POST /api/v1/queues/{queue}/promote-all': post('/api/v1/queues/held/promote-all'),
  'POST /api/v1/queues/{queue}/clean': post(
    '/api/v1/queues/payments/clean',
    '{"state":"completed","graceMs":3600000}',
  ),
  // The id of an operation started by `setUpConsole`.
  'GET /api/v1/operations/{id}': { path: '/api/v1/operations/-' },
  'POST /api/v1/operations/{id}/cancel': post('/api/v1/operations/-/cancel'),
};

/** What each operation answers on success, when not 200. */
export const consoleSuccess: Partial<Record<string, number>> = {
  'POST /api/v1/queues/{queue}/jobs': 201,
  'POST /api/v1/dead-letters/{recordId}/reenqueue': 201,
  'POST /api/v1/queues/{queue}/retry-all': 202,
  'POST /api/v1/queues/{queue}/promote-all': 202,
  'POST /api/v1/queues/{queue}/clean': 202,
};

/** The console operations answered 503 while Redis is away. */
export const consoleAway = [
  'GET /api/v1/audit',
  'POST /api/v1/queues/{queue}/jobs/{id}/retry',
  'POST /api/v1/queues/{queue}/jobs/{id}/promote',
  'POST /api/v1/queues/{queue}/jobs/{id}/duplicate',
  'DELETE /api/v1/queues/{queue}/jobs/{id}',
  'POST /api/v1/queues/{queue}/pause',
  'POST /api/v1/queues/{queue}/resume',
  'POST /api/v1/queues/{queue}/drain',
  'POST /api/v1/dead-letters/{recordId}/reenqueue',
  'POST /api/v1/queues/{queue}/retry-all',
  'POST /api/v1/queues/{queue}/promote-all',
  'POST /api/v1/queues/{queue}/clean',
] as const;

/** A request the console refuses, and how. */
export interface Refusal {
  readonly operation: OperationKey;
  readonly status: number;
  readonly what: string;
  readonly call: () => Call;
}

/** The console's refusals: bad input, nothing there, a state that does not allow it. */
export function consoleRefusals(
  example: (operation: OperationKey) => Call,
  fixtures: ConsoleFixtures,
): Refusal[] {
  const retry = 'POST /api/v1/queues/{queue}/jobs/{id}/retry';
  const promote = 'POST /api/v1/queues/{queue}/jobs/{id}/promote';
  const duplicate = 'POST /api/v1/queues/{queue}/jobs/{id}/duplicate';
  const remove = 'DELETE /api/v1/queues/{queue}/jobs/{id}';
  const reenqueue = 'POST /api/v1/dead-letters/{recordId}/reenqueue';
  const operation = 'GET /api/v1/operations/{id}';
  const cancel = 'POST /api/v1/operations/{id}/cancel';
  const a = (key: OperationKey, status: number, what: string, call: () => Call): Refusal => ({
    operation: key,
    status,
    what,
    call,
  });
  const change = (key: OperationKey, status: number, what: string, path: string, body?: string) =>
    a(key, status, what, () => ({
      ...example(key),
      path,
      ...(body === undefined ? {} : { body }),
    }));
  const long = (length: number) => 'x'.repeat(length);
  return [
    a('GET /api/v1/audit', 400, 'limit 0', () => ({ path: '/api/v1/audit?limit=0' })),
    change(retry, 400, 'a queue name with a colon', '/api/v1/queues/pay:ments/jobs/x/retry'),
    change(retry, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/retry'),
    change(retry, 409, 'a delayed job', '/api/v1/queues/payments/jobs/waits/retry'),
    change(promote, 400, 'a queue name with a colon', '/api/v1/queues/pay:ments/jobs/x/promote'),
    change(promote, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/promote'),
    change(promote, 409, 'a completed job', '/api/v1/queues/payments/jobs/paid/promote'),
    change(duplicate, 400, 'an id over 256', `/api/v1/queues/payments/jobs/${long(257)}/duplicate`),
    change(duplicate, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/duplicate'),
    change(remove, 400, 'no children parameter', '/api/v1/queues/payments/jobs/waits'),
    change(remove, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing?children=true'),
    change(remove, 409, 'an active job', '/api/v1/queues/held/jobs/busy?children=false'),
    ...(['pause', 'resume', 'drain', 'retry-all', 'promote-all', 'clean'] as const).flatMap(
      (verb) => {
        const key = `POST /api/v1/queues/{queue}/${verb}` as OperationKey;
        return [
          change(key, 400, 'a queue name with a colon', `/api/v1/queues/he:ld/${verb}`),
          change(key, 404, 'a queue not watched', `/api/v1/queues/elsewhere/${verb}`),
        ];
      },
    ),
    change(
      'POST /api/v1/queues/{queue}/drain',
      400,
      'an unknown field',
      '/api/v1/queues/held/drain',
      '{"all":true}',
    ),
    change(
      'POST /api/v1/queues/{queue}/clean',
      400,
      'a state it cannot clean',
      '/api/v1/queues/held/clean',
      '{"state":"active","graceMs":0}',
    ),
    change(reenqueue, 400, 'an id over 1024', `/api/v1/dead-letters/${long(1_025)}/reenqueue`),
    change(reenqueue, 404, 'no such record', '/api/v1/dead-letters/nothing/reenqueue'),
    a(reenqueue, 409, 'a job gone, its data cut short', () => ({
      ...example(reenqueue),
      path: `/api/v1/dead-letters/${encodeURIComponent(fixtures.goneRecordId)}/reenqueue`,
    })),
    a(operation, 400, 'an id over 64', () => ({ path: `/api/v1/operations/${long(65)}` })),
    a(operation, 404, 'no such operation', () => ({ path: '/api/v1/operations/nothing' })),
    change(cancel, 400, 'an id over 64', `/api/v1/operations/${long(65)}/cancel`),
    change(cancel, 404, 'no such operation', '/api/v1/operations/nothing/cancel'),
  ];
}

/**
 * What the console's examples act on: delayed jobs to promote, remove and refuse to retry; an
 * active job (`held`, whose worker never finishes); dead-letter records, one whose job is gone
 * with data too long to keep whole; an operation to read and cancel. Sets the examples that
 * need ids only known now.
 */
export async function setUpConsole(parts: {
  readonly send: (call: Call) => Promise<ReceivedAnswer>;
  readonly payments: Queue;
  readonly redisUrl: string;
  readonly closers: (() => unknown)[];
  readonly examples: Record<string, Call>;
  readonly fixtures: ConsoleFixtures;
}): Promise<void> {
  const { send, payments, redisUrl, examples } = parts;
  const hour = 3_600_000;
  await payments.add('pay', { amount: 1 }, { jobId: 'later', delay: hour });
  await payments.add('pay', { amount: 2 }, { jobId: 'waits', delay: hour });
  await payments.add('pay', { amount: 3 }, { jobId: 'removable', delay: hour });
  await payments.add('bad', { blob: 'x'.repeat(20_000) }, { jobId: 'huge' });
  const held = new Queue('held', { connection: { url: redisUrl } });
  const holder = new Worker('held', () => new Promise(() => undefined), {
    connection: { url: redisUrl },
  });
  parts.closers.push(
    () => held.close(),
    () => holder.close(true),
  );
  await held.add('busy', {}, { jobId: 'busy' });
  await waitFor(
    'the held job to be active',
    () => held.getJobState('busy'),
    (s) => s === 'active',
  );
  const records = await waitFor(
    'dead-letter records of "declined" and "huge"',
    async () =>
      (
        JSON.parse((await send({ path: '/api/v1/jobs/failed/recent?limit=50' })).text) as {
          jobs: { id: string; jobId: string }[];
        }
      ).jobs,
    (jobs) => ['declined', 'huge'].every((id) => jobs.some((job) => job.jobId === id)),
  );
  await payments.remove('huge');
  parts.fixtures.goneRecordId = records.find((job) => job.jobId === 'huge')?.id ?? '';
  const declined = records.find((job) => job.jobId === 'declined')?.id ?? '';
  examples['POST /api/v1/dead-letters/{recordId}/reenqueue'] = post(
    `/api/v1/dead-letters/${encodeURIComponent(declined)}/reenqueue`,
  );
  const started = JSON.parse((await send(post('/api/v1/queues/held/promote-all'))).text) as {
    id: string;
  };
  examples['GET /api/v1/operations/{id}'] = { path: `/api/v1/operations/${started.id}` };
  examples['POST /api/v1/operations/{id}/cancel'] = post(`/api/v1/operations/${started.id}/cancel`);
}
