import { Router, type RequestHandler } from 'express';
import type { AlertsService } from '../../../application/alerting/alerts-service.js';
import {
  SilenceRejected,
  type SilenceService,
} from '../../../application/alerting/silence-service.js';
import type { ConsoleCommands } from '../../../application/console/console-commands.js';
import { callerOf } from '../caller-auth.js';
import { commandValue } from '../command-answer.js';
import { parseQuery } from '../query.js';
import { noRateLimit } from '../rate-limit.js';
import {
  alertsQuerySchema,
  createSilenceSchema,
  silencePathSchema,
  testAlertRequestSchema,
} from '../schemas/alerts.js';
import { parseBody, parsePath } from './job-action-routes.js';

/**
 * Alerts: `GET /api/v1/alerts?limit=50`, `GET /api/v1/alerts/firing`, `POST /api/v1/alerts/test`
 * (behind `testLimit`; an admin's command, audited); silences: `GET /api/v1/silences`,
 * `POST /api/v1/silences`, `DELETE /api/v1/silences/:id` (an operator's commands, audited).
 */
export function alertRoutes(
  alerts: Pick<AlertsService, 'recent' | 'sendTest' | 'firing'>,
  silences: Pick<SilenceService, 'create' | 'expire' | 'list'>,
  commands: ConsoleCommands,
  testLimit: RequestHandler = noRateLimit,
): Router {
  const router = Router();
  router.get('/api/v1/alerts', async (request, response) => {
    const query = parseQuery(alertsQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await alerts.recent(query.limit));
  });
  router.get('/api/v1/alerts/firing', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await alerts.firing());
  });
  router.post('/api/v1/alerts/test', testLimit, async (request, response) => {
    const { labels } = parseBody(testAlertRequestSchema, request.body);
    const body = commandValue(
      await commands.run(
        callerOf(response),
        {
          action: 'test-alert',
          queueName: labels?.queue ?? null,
          jobIds: [],
          filter: labels ? { labels } : null,
        },
        async () => {
          const sent = await alerts.sendTest(labels);
          return { done: true, value: sent, count: sent.results.length };
        },
      ),
    );
    response.set('Cache-Control', 'no-store').json(body);
  });
  router.get('/api/v1/silences', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await silences.list());
  });
  router.post('/api/v1/silences', async (request, response) => {
    const draft = parseBody(createSilenceSchema, request.body);
    const caller = callerOf(response);
    const body = commandValue(
      await commands.run(
        caller,
        {
          action: 'silence',
          queueName: null,
          jobIds: [],
          filter: { matchers: draft.matchers, endsAt: draft.endsAt, comment: draft.comment },
        },
        async () => {
          try {
            const created = await silences.create(
              {
                matchers: draft.matchers,
                ...(draft.startsAt === undefined ? {} : { startsAt: Date.parse(draft.startsAt) }),
                endsAt: Date.parse(draft.endsAt),
                comment: draft.comment,
              },
              caller.name,
            );
            return { done: true, value: created, count: 1 };
          } catch (error) {
            if (!(error instanceof SilenceRejected)) throw error;
            return { done: false, refusal: { code: 'QW_BAD_REQUEST', message: error.message } };
          }
        },
      ),
    );
    response.status(201).set('Cache-Control', 'no-store').json(body);
  });
  router.delete('/api/v1/silences/:id', async (request, response) => {
    const { id } = parsePath(silencePathSchema, request);
    const body = commandValue(
      await commands.run(
        callerOf(response),
        { action: 'silence', queueName: null, jobIds: [], filter: { expire: id } },
        async () => {
          const expired = await silences.expire(id);
          return expired
            ? { done: true, value: expired, count: 1 }
            : {
                done: false,
                refusal: { code: 'QW_NOT_FOUND', message: `no silence has the id "${id}"` },
              };
        },
      ),
    );
    response.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
