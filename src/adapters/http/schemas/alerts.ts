import safeRegex from 'safe-regex2';
import { z } from 'zod';
import type {
  Alert,
  AlertRecord,
  AlertsBody,
  CreateSilenceRequest,
  DestinationSummary,
  FiringAlertsBody,
  MatcherBody,
  SilenceBody,
  SilencesBody,
  TestAlertBody,
  TestDeliveryResult,
} from '../../../application/contract/alerts.js';
import {
  alertRuleTypes,
  alertSeverities,
  type MemberAlert,
} from '../../../domain/alerting/alert.js';
import { describes } from './describes.js';
import { limitQuery } from './limit-query.js';

const count = z.number().int().min(0);
const severity = z.enum(['critical', 'high', 'medium', 'low']);

/** The query of `GET /api/v1/alerts`. */
export const alertsQuerySchema = limitQuery(500, 50);

const alertValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const memberFields = {
  id: z.string().meta({ description: 'The incident: the same on its firing and resolved notice.' }),
  status: z.enum(['firing', 'resolved']),
  severity,
  title: z.string(),
  message: z.string(),
  rule: z.enum(alertRuleTypes).meta({ description: 'The rule that raised it.' }),
  labels: z
    .record(z.string(), z.string())
    .meta({ description: "rule, severity, queue and the queue's own labels." }),
  values: z
    .record(z.string(), alertValue)
    .meta({ description: 'What was measured and the thresholds it was judged against.' }),
  link: z
    .string()
    .nullable()
    .meta({ description: 'The dashboard page that shows what tripped it.' }),
  notify: z
    .boolean()
    .optional()
    .meta({ description: 'false: recorded and shown as firing, never sent to a destination.' }),
  context: z.object({
    queueName: z.string(),
    failureCount: count.optional(),
    threshold: count.optional(),
    windowMs: count.optional(),
    recentJobId: z.string().nullable().optional(),
    error: z.string().nullable().optional(),
  }),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime().optional().meta({ description: 'On a resolved notice.' }),
};

const memberAlertSchema = describes<MemberAlert>()(
  z
    .object(memberFields)
    .meta({ id: 'MemberAlert', description: 'One alert a grouped notification lists.' }),
);

const alertSchema = describes<Alert>()(
  z
    .object({
      ...memberFields,
      alerts: z
        .array(memberAlertSchema)
        .optional()
        .meta({ description: 'A grouped notification: the alerts it lists.' }),
    })
    .meta({ id: 'Alert', description: 'One alert notification, firing or resolved.' }),
);

const alertRecordSchema = describes<AlertRecord>()(
  z
    .object({
      key: z.string().meta({ description: 'The notification: alert id and transition.' }),
      alert: alertSchema,
      deliveries: z.array(
        z.object({
          destination: z.string(),
          state: z.enum(['pending', 'delivered', 'retrying', 'failed']),
          attempts: count,
          lastError: z.string().nullable(),
          updatedAt: z.iso.datetime(),
        }),
      ),
      suppressed: z
        .object({ silencedBy: z.array(z.string()), inhibitedBy: z.array(z.string()) })
        .optional()
        .meta({
          description: 'Recorded but not sent: the silences or firing alerts that held it back.',
        }),
    })
    .meta({
      id: 'AlertRecord',
      description: 'A sent alert with its delivery to each destination.',
    }),
);

const destinationSummarySchema = describes<DestinationSummary>()(
  z
    .object({
      name: z.string(),
      type: z.string(),
      minSeverity: z.string(),
      queues: z.array(z.string()).nullable().meta({ description: '`null`: every queue.' }),
      options: z.record(z.string(), z.unknown()).meta({
        description: 'The destination’s options, every secret replaced by "[redacted]".',
      }),
    })
    .meta({ id: 'Destination', description: 'A configured alert destination.' }),
);

/** `GET /api/v1/alerts`. */
export const alertsSchema = describes<AlertsBody>()(
  z
    .object({
      alerts: z.array(alertRecordSchema).meta({ description: 'Newest first.' }),
      destinations: z.array(destinationSummarySchema),
    })
    .meta({ id: 'Alerts' }),
);

const testDeliveryResultSchema = describes<TestDeliveryResult>()(
  z
    .object({
      destination: z.string(),
      type: z.string(),
      outcome: z.enum(['delivered', 'failed']),
      retryable: z.boolean().optional().meta({ description: 'When failed.' }),
      reason: z.string().optional().meta({ description: 'When failed.' }),
    })
    .meta({ id: 'TestDeliveryResult' }),
);

/** `POST /api/v1/alerts/test`. */
export const testAlertSchema = describes<TestAlertBody>()(
  z
    .object({
      alert: alertSchema,
      routes: z
        .array(z.object({ route: z.string(), destinations: z.array(z.string()) }))
        .nullable()
        .meta({
          description: 'The routes the test alert matched; `null` when sent to every destination.',
        }),
      results: z.array(testDeliveryResultSchema),
    })
    .meta({ id: 'TestAlert', description: 'The test alert sent, and what each destination said.' }),
);

const labelsRecord = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a label name is letters, digits, - or _'),
  z.string().max(256),
);

/** The body of `POST /api/v1/alerts/test` (optional). */
export const testAlertRequestSchema = z
  .object({
    labels: labelsRecord
      .refine(
        (labels) =>
          labels.severity === undefined ||
          (alertSeverities as readonly string[]).includes(labels.severity),
        { error: `labels.severity must be one of ${alertSeverities.join(', ')}` },
      )
      .optional()
      .meta({ description: 'Route the test alert with these labels (queue, rule, severity, …).' }),
  })
  .strict();

const matcherSchema = describes<MatcherBody>()(
  z
    .object({
      label: z.string().min(1).max(64),
      op: z.enum(['=', '!=', '=~', '!~']),
      value: z.string().max(1_000),
    })
    .strict()
    // A silence's expression runs on every instance at every flush: one that can take
    // exponential time (nested repetition) would stall them all, and is refused.
    .refine(
      (matcher) =>
        !matcher.op.endsWith('~') || !compiles(matcher.value) || safeRegex(matcher.value),
      {
        error: (issue) =>
          `the expression ${JSON.stringify((issue.input as MatcherBody).value)} may take exponential time (nested repetition); write it without a repeated group that repeats`,
      },
    )
    .meta({ id: 'Matcher', description: 'A condition on an alert label.' }),
);

/** The body of `POST /api/v1/silences`. */
export const createSilenceSchema = describes<CreateSilenceRequest>()(
  z
    .object({
      matchers: z.array(matcherSchema).max(20),
      startsAt: z.iso.datetime().optional().meta({ description: 'Default: now.' }),
      endsAt: z.iso.datetime({ error: 'endsAt must be an ISO-8601 time' }),
      comment: z
        .string({ error: 'comment is required: say why the alerts are silenced' })
        .max(1_000),
    })
    .strict()
    .meta({ id: 'CreateSilence' }),
);

/** The path of `DELETE /api/v1/silences/:id`. */
export const silencePathSchema = z.object({ id: z.string().min(1).max(100) });

const silenceSchema = describes<SilenceBody>()(
  z
    .object({
      id: z.string(),
      matchers: z.array(matcherSchema),
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime(),
      comment: z.string(),
      createdBy: z.string().meta({ description: 'The token name that created it.' }),
      createdAt: z.iso.datetime(),
      status: z.enum(['pending', 'active', 'expired']),
    })
    .meta({ id: 'Silence' }),
);

/** `POST /api/v1/silences`, `DELETE /api/v1/silences/:id`. */
export const silenceBodySchema = silenceSchema;

/** `GET /api/v1/silences`. */
export const silencesSchema = describes<SilencesBody>()(
  z
    .object({ silences: z.array(silenceSchema).meta({ description: 'Active and pending first.' }) })
    .meta({ id: 'Silences' }),
);

/** `GET /api/v1/alerts/firing`. */
export const firingAlertsSchema = describes<FiringAlertsBody>()(
  z
    .object({
      alerts: z.array(
        z.object({
          alert: memberAlertSchema,
          silencedBy: z.array(z.string()).meta({ description: 'Silences that match it now.' }),
          inhibitedBy: z
            .array(z.string())
            .meta({ description: 'Firing alerts (incident keys) that inhibit it now.' }),
        }),
      ),
    })
    .meta({ id: 'FiringAlerts', description: 'Every firing alert, most urgent first.' }),
);

/** Does `source` compile? One that does not is refused later, saying why. */
function compiles(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
