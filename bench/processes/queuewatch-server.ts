import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../../src/bootstrap/queuewatch.js';

/** Queuewatch as a user runs it, watching the bench queue. */
const app = await startQueuewatch(
  await loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    QUEUEWATCH_MAX_SUBSCRIPTIONS: '100000',
  }),
);
process.stdout.write(`listening ${app.url}\n`);
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
