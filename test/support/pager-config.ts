import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The signing secret of the test webhook destination (Standard Webhooks' `whsec_` form). */
export const pagerSecret = `whsec_${Buffer.from('queuewatch-fault-test-signing-key').toString('base64')}`;

/**
 * Write a config file watching `payments` (priority high) whose one alert destination is a
 * signed webhook named `pager` at `webhookUrl`; `alerts` adds to or overrides the alerts section,
 * `pager` to the destination. Returns the file's path.
 */
export async function writePagerConfig(
  dir: string,
  webhookUrl: string,
  alerts: Record<string, unknown>,
  pager: Record<string, unknown> = {},
): Promise<string> {
  const path = join(dir, 'queuewatch.json');
  await writeFile(
    path,
    JSON.stringify({
      queues: [{ name: 'payments', priority: 'high' }],
      alerts: {
        // Groups flush at once and every 200 ms: the tests watch each notice, not the grouping.
        route: { groupWaitMs: 0, groupIntervalMs: 200 },
        ...alerts,
        destinations: [
          {
            name: 'pager',
            type: 'webhook',
            url: `${webhookUrl}/hook`,
            secret: pagerSecret,
            ...pager,
          },
        ],
      },
    }),
  );
  return path;
}
