import { Router } from 'express';
import type { ConsoleCommands } from '../../../application/console/console-commands.js';
import { callerOf } from '../caller-auth.js';
import { parseQuery } from '../query.js';
import { auditQuerySchema } from '../schemas/console-actions.js';

/** `GET /api/v1/me` (who the token is, what it may do) and `GET /api/v1/audit?limit=`. */
export function accessRoutes(commands: Pick<ConsoleCommands, 'me' | 'audit'>): Router {
  const router = Router();
  router.get('/api/v1/me', (_request, response) => {
    response.set('Cache-Control', 'no-store').json(commands.me(callerOf(response)));
  });
  router.get('/api/v1/audit', async (request, response) => {
    const query = parseQuery(auditQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await commands.audit(query.limit));
  });
  return router;
}
