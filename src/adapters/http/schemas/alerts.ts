import { z } from 'zod';
import type {
  Alert,
  AlertRecord,
  AlertsBody,
  DestinationSummary,
  TestAlertBody,
  TestDeliveryResult,
} from '../../../application/contract/alerts.js';
import { describes } from './describes.js';
import { limitQuery } from './limit-query.js';

const count = z.number().int().min(0);
const severity = z.enum(['critical', 'high', 'medium', 'low']);

/** The query of `GET /api/v1/alerts`. */
export const alertsQuerySchema = limitQuery(500, 50);

const alertSchema = describes<Alert>()(
  z
    .object({
      id: z
        .string()
        .meta({ description: 'The incident: the same on its firing and resolved notice.' }),
      status: z.enum(['firing', 'resolved']),
      severity,
      title: z.string(),
      message: z.string(),
      context: z.object({
        queueName: z.string(),
        failureCount: count,
        threshold: count,
        windowMs: count,
        recentJobId: z.string().nullable(),
        error: z.string().nullable(),
      }),
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime().optional().meta({ description: 'On a resolved notice.' }),
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
    .object({ alert: alertSchema, results: z.array(testDeliveryResultSchema) })
    .meta({ id: 'TestAlert', description: 'The test alert sent, and what each destination said.' }),
);
