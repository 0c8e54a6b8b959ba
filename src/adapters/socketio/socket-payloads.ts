import { z } from 'zod';
import type {
  ConnectErrorCode,
  JobSubscribeRequest,
  JobSubscriptionRequest,
  QueueSubscriptionRequest,
  SocketErrorCode,
} from '../../application/contract/socket-events.js';

/** Every code an acknowledgement can carry (listed in docs/errors.md). */
export const socketErrorCodes = [
  'QW_INVALID_PAYLOAD',
  'QW_SUBSCRIPTION_LIMIT',
  'QW_RESUME_FAILED',
  'QW_INTERNAL',
] as const satisfies readonly SocketErrorCode[];

/** Every code a refused connection can carry (`connect_error`, `err.data.code`). */
export const connectErrorCodes = [
  'QW_UNAUTHORIZED',
  'QW_INVALID_DELIVERY',
] as const satisfies readonly ConnectErrorCode[];

/** The longest id or name a client may send. */
export const maxFieldLength = 256;

/**
 * A string field, its type checked before anything else: zod runs length checks on anything with
 * a length, so an empty array would otherwise be said to be "not a string" and "empty" too.
 */
const text = (what: string, rule: (value: z.ZodString) => z.ZodString = (value) => value) =>
  z.string({ error: `${what} must be a string` }).pipe(
    rule(
      z
        .string()
        .min(1, `${what} must not be empty`)
        .max(maxFieldLength, `${what} must be at most ${String(maxFieldLength)} characters`),
    ),
  );

// `*` in the pattern, not `+`: an empty name is said to be empty, not to hold a colon. The name
// `"*"` (every queue) has no colon, so it passes.
const queueName = text('queueName', (name) =>
  name.regex(/^[^:]*$/, 'queueName must not contain a colon'),
);

/**
 * The unknown keys, as a client can read them in one line: the first few, each shown as it is
 * when it is a plain name, quoted (escaped, shortened) otherwise.
 */
function unknownFields(keys: readonly string[]): string {
  const shown = keys.slice(0, 3).map((key) => {
    if (/^[\w$-]{1,40}$/.test(key)) return key;
    const quoted = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
    // JSON leaves some control and line-breaking characters as they are; escape those too.
    return quoted.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) =>
      char
        .split('')
        .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join(''),
    );
  });
  const more = keys.length > 3 ? ` and ${String(keys.length - 3)} more` : '';
  return `unknown field: ${shown.join(', ')}${more}`;
}

const jobRequest = z.strictObject(
  { jobId: text('jobId'), queueName: queueName.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownFields(issue.keys)
        : 'payload must be an object like { jobId, queueName? }',
  },
);

const jobSubscription = z.strictObject(
  {
    jobId: text('jobId'),
    queueName: queueName.optional(),
    resume: z.boolean({ error: 'resume must be true or false' }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownFields(issue.keys)
        : 'payload must be an object like { jobId, queueName?, resume? }',
  },
);

const queueRequest = z.strictObject(
  { queueName },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownFields(issue.keys)
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

/** Check a `subscribe-to-job` payload. */
export function parseJobSubscription(payload: unknown): Parsed<JobSubscribeRequest> {
  return parse(jobSubscription, payload);
}

/** Check an `unsubscribe-from-job` payload. */
export function parseJobRequest(payload: unknown): Parsed<JobSubscriptionRequest> {
  return parse(jobRequest, payload);
}

/** Check a `subscribe-to-queue` / `unsubscribe-from-queue` payload. */
export function parseQueueRequest(payload: unknown): Parsed<QueueSubscriptionRequest> {
  return parse(queueRequest, payload);
}
