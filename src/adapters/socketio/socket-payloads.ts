import { z } from 'zod';
import type {
  ConnectErrorCode,
  JobSubscriptionRequest,
  QueueSubscriptionRequest,
  SocketErrorCode,
} from '../../application/contract/socket-events.js';

/** Every code an acknowledgement can carry (listed in docs/errors.md). */
export const socketErrorCodes = [
  'QW_INVALID_PAYLOAD',
  'QW_SUBSCRIPTION_LIMIT',
  'QW_INTERNAL',
] as const satisfies readonly SocketErrorCode[];

/** Every code a refused connection can carry (`connect_error`, `err.data.code`). */
export const connectErrorCodes = [
  'QW_UNAUTHORIZED',
  'QW_INVALID_DELIVERY',
] as const satisfies readonly ConnectErrorCode[];

/** The longest id or name a client may send. */
export const maxFieldLength = 256;

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(maxFieldLength, `${what} must be at most ${String(maxFieldLength)} characters`);

const queueName = text('queueName').regex(/^[^:]+$/, 'queueName must not contain a colon');

const jobRequest = z.strictObject(
  { jobId: text('jobId'), queueName: queueName.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field: ${issue.keys.join(', ')}`
        : 'payload must be an object like { jobId, queueName? }',
  },
);

const queueRequest = z.strictObject(
  { queueName: z.union([z.literal('*'), queueName]) },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field: ${issue.keys.join(', ')}`
        : 'payload must be an object like { queueName }',
  },
);

/** A parsed request, or what is wrong with it in one sentence. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parse<T>(schema: z.ZodType<T>, payload: unknown): Parsed<T> {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues.map((issue) => issue.message).join('; ') };
}

/** Check a `subscribe-to-job` / `unsubscribe-from-job` payload. */
export function parseJobRequest(payload: unknown): Parsed<JobSubscriptionRequest> {
  return parse(jobRequest, payload);
}

/** Check a `subscribe-to-queue` / `unsubscribe-from-queue` payload. */
export function parseQueueRequest(payload: unknown): Parsed<QueueSubscriptionRequest> {
  return parse(queueRequest, payload);
}
