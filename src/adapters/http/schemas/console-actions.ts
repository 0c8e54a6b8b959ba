import { z } from 'zod';
import type {
  ActionOutcome,
  AuditBody,
  AuditEntry,
  CleanRequest,
  DrainBody,
  DrainRequest,
  JobActionBody,
  MeBody,
  OperationBody,
  QueuePauseBody,
  ReenqueueBody,
  RetryAllRequest,
} from '../../../application/contract/console.js';
import { consoleActions, type ConsoleAction } from '../../../domain/console/permissions.js';
import { describes } from './describes.js';
import { limitQuery } from './limit-query.js';

const role = z.enum(['viewer', 'operator', 'admin']);
const action = z.enum(consoleActions as [ConsoleAction, ...ConsoleAction[]]);
const count = z.number().int().min(0);
const jobState = z.enum([
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'completed',
  'failed',
  'waiting-children',
  'unknown',
]);

/** The query of `GET /api/v1/audit`. */
export const auditQuerySchema = limitQuery(1_000, 100);

/** `GET /api/v1/me`. */
export const meSchema = describes<MeBody>()(
  z
    .object({
      name: z.string().meta({ description: "The token's name (`anonymous` without tokens)." }),
      role,
      readOnly: z.boolean(),
      may: z.array(action).meta({ description: 'The actions this token may do now.' }),
    })
    .meta({ id: 'Me', description: 'Who the token is, and what it may do.' }),
);

const outcomeSchema = describes<ActionOutcome>()(
  z.union([
    z.object({ status: z.literal('done'), count }),
    z.object({ status: z.literal('refused'), code: z.string(), reason: z.string() }),
    z.object({ status: z.literal('failed'), reason: z.string() }),
    z.object({ status: z.literal('cancelled'), count }),
  ]),
);

const auditEntrySchema = describes<AuditEntry>()(
  z
    .object({
      id: z.string().meta({ description: 'The Redis stream id of the entry.' }),
      at: z.iso.datetime(),
      who: z.string(),
      role,
      action,
      queueName: z.string().nullable(),
      jobIds: z.array(z.string()),
      filter: z.record(z.string(), z.unknown()).nullable(),
      outcome: outcomeSchema,
    })
    .meta({ id: 'AuditEntry', description: 'Who changed what, when, and how it ended.' }),
);

/** `GET /api/v1/audit`. */
export const auditSchema = describes<AuditBody>()(
  z.object({ entries: z.array(auditEntrySchema) }).meta({ id: 'Audit' }),
);

/** The query of `DELETE /api/v1/queues/{queue}/jobs/{id}`: `children` is required. */
export const removeQuerySchema = z.object({
  children: z
    .enum(['true', 'false'], {
      error: 'say children=true (remove its children too) or children=false',
    })
    .transform((value) => value === 'true')
    .meta({ description: "Remove the job's children too (`true`) or not (`false`); required." }),
});

/** A single job's action. */
export const jobActionSchema = describes<JobActionBody>()(
  z
    .object({
      action: z.enum(['retry', 'promote', 'duplicate', 'remove']),
      queueName: z.string(),
      jobId: z.string(),
      state: jobState,
      newJobId: z.string().optional().meta({ description: 'The job a duplicate made.' }),
    })
    .meta({ id: 'JobAction', description: 'What a change to one job did.' }),
);

/** `POST /api/v1/queues/{queue}/pause|resume`. */
export const queuePauseSchema = describes<QueuePauseBody>()(
  z.object({ queueName: z.string(), paused: z.boolean() }).meta({ id: 'QueuePause' }),
);

/** The body of `POST /api/v1/queues/{queue}/drain`. */
export const drainRequestSchema = describes<DrainRequest>()(
  z
    .strictObject({
      delayed: z
        .boolean({ error: 'delayed must be true or false' })
        .optional()
        .meta({ description: 'Remove the delayed jobs too.' }),
    })
    .meta({ id: 'DrainRequest' }),
);

/** `POST /api/v1/queues/{queue}/drain`. */
export const drainSchema = describes<DrainBody>()(
  z.object({ queueName: z.string(), count }).meta({ id: 'Drain' }),
);

/** The path of `POST /api/v1/dead-letters/{recordId}/reenqueue`. */
export const recordPathSchema = z.object({
  recordId: z.string().min(1).max(1_024).meta({ description: 'A dead-letter record id.' }),
});

/** `POST /api/v1/dead-letters/{recordId}/reenqueue`. */
export const reenqueueSchema = describes<ReenqueueBody>()(
  z.object({ queueName: z.string(), jobId: z.string() }).meta({ id: 'Reenqueued' }),
);

const filterText = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(1_024, `${what} must be at most 1024 characters`);

/** The body of `POST /api/v1/queues/{queue}/retry-all`. */
export const retryAllRequestSchema = describes<RetryAllRequest>()(
  z
    .strictObject({
      name: filterText('name').optional().meta({ description: 'Only jobs of this exact name.' }),
      reason: filterText('reason')
        .optional()
        .meta({ description: 'Only jobs whose failure reason contains this text.' }),
    })
    .meta({ id: 'RetryAllRequest' }),
);

/** The body of `POST /api/v1/queues/{queue}/clean`. */
export const cleanRequestSchema = describes<CleanRequest>()(
  z
    .strictObject({
      state: z.enum(['completed', 'failed', 'delayed', 'waiting', 'paused', 'prioritized'], {
        error: 'state must be one of completed, failed, delayed, waiting, paused, prioritized',
      }),
      graceMs: z
        .number({ error: 'graceMs must be a whole number of ms from 0' })
        .int('graceMs must be a whole number of ms from 0')
        .min(0, 'graceMs must be a whole number of ms from 0')
        .max(10 * 365 * 86_400_000, 'graceMs must be at most ten years')
        .meta({ description: 'Only jobs older than this (ms) are removed.' }),
    })
    .meta({ id: 'CleanRequest' }),
);

/** The path of `/api/v1/operations/{id}`. */
export const operationPathSchema = z.object({
  id: z.string().min(1).max(64).meta({ description: 'The operation id.' }),
});

/** A bulk operation. */
export const operationSchema = describes<OperationBody>()(
  z
    .object({
      id: z.string(),
      action,
      queueName: z.string(),
      status: z.enum(['running', 'done', 'cancelled', 'failed']),
      done: count.meta({ description: 'Jobs handled so far.' }),
      total: count.nullable().meta({ description: 'Jobs there were when it began.' }),
      startedAt: z.iso.datetime(),
      finishedAt: z.iso.datetime().nullable(),
      reason: z.string().nullable(),
    })
    .meta({ id: 'Operation', description: 'A bulk action running in chunks.' }),
);
