import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The failure-rate rule of the soak's queue, as written in Queuewatch's config file. */
export const soakFailureRule = {
  /** Never reached: the rate alone fires the alert. */
  count: 1_000_000,
  windowMs: 10_000,
  /** Fires at 30 % of finished attempts failing, resolves below 15 % (half, built in). */
  rate: 0.3,
  minVolume: 100,
} as const;

/** The bench's webhook destination's name: its notices are the ones counted. */
export const soakDestination = 'soak-webhook';

/** Dead-letter retention far above what a run writes, so nothing is pruned while counting. */
export const soakDeadLetter = { maxCount: 100_000_000, maxAgeMs: 7 * 24 * 3_600_000 } as const;

/**
 * Write Queuewatch's config file for the soak (a temporary folder, removed by `dispose`): the
 * queue with its failure-rate rule, a dead-letter retention that never prunes during a run, and
 * one webhook destination, the bench's receiver, signed with its `whsec_` secret.
 */
export async function writeSoakConfig(
  queueName: string,
  webhook: { readonly url: string; readonly secret: string },
): Promise<{ path: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'queuewatch-soak-'));
  const path = join(dir, 'queuewatch.json');
  const config = {
    queues: [{ name: queueName, failureThreshold: soakFailureRule }],
    alerts: {
      deadLetter: soakDeadLetter,
      destinations: [
        { name: soakDestination, type: 'webhook', url: webhook.url, secret: webhook.secret },
      ],
    },
  };
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}
