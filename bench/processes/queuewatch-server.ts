import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/** Queuewatch as a user runs it, watching the queues the bench names. */
const app = await startQueuewatch(
  await loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    QUEUEWATCH_MAX_SUBSCRIPTIONS: '100000',
    // The dashboard users get: Queuewatch looks for web/dist three folders above its own files,
    // which from .bench-build/src/bootstrap/config/ is .bench-build/, so it is named here (from
    // .bench-build/bench/processes/, three folders up is the project).
    QUEUEWATCH_WEB_ROOT:
      process.env.QUEUEWATCH_WEB_ROOT ??
      fileURLToPath(new URL('../../../web/dist/', import.meta.url)),
  }),
);
reportUsageOverIpc();
process.stdout.write(`listening ${app.url}\n`);
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
