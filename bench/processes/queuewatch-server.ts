import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/**
 * Queuewatch as a user runs it, watching the queues the bench names. `npm run bench` bundles this
 * file as `npm run build` bundles the `queuewatch` command (esbuild.config.js), and runs the bundle.
 */
const app = await startQueuewatch(
  await loadConfig({
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    QUEUEWATCH_MAX_SUBSCRIPTIONS: '100000',
  }),
);
reportUsageOverIpc();
process.stdout.write(`listening ${app.url}\n`);
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
