import { Router, type RequestHandler } from 'express';
import type { AlertsService } from '../../../application/alerting/alerts-service.js';
import type { ConsoleCommands } from '../../../application/console/console-commands.js';
import { callerOf } from '../caller-auth.js';
import { commandValue } from '../command-answer.js';
import { parseQuery } from '../query.js';
import { noRateLimit } from '../rate-limit.js';
import { alertsQuerySchema } from '../schemas/alerts.js';

/**
 * `GET /api/v1/alerts?limit=50` and `POST /api/v1/alerts/test` (behind `testLimit`; an admin's
 * command, audited).
 */
export function alertRoutes(
  alerts: Pick<AlertsService, 'recent' | 'sendTest'>,
  commands: ConsoleCommands,
  testLimit: RequestHandler = noRateLimit,
): Router {
  const router = Router();
  router.get('/api/v1/alerts', async (request, response) => {
    const query = parseQuery(alertsQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await alerts.recent(query.limit));
  });
  router.post('/api/v1/alerts/test', testLimit, async (_request, response) => {
    const body = commandValue(
      await commands.run(
        callerOf(response),
        { action: 'test-alert', queueName: null, jobIds: [], filter: null },
        async () => {
          const sent = await alerts.sendTest();
          return { done: true, value: sent, count: sent.results.length };
        },
      ),
    );
    response.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
