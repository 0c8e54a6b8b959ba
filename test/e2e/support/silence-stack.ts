import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Alert } from '../../../src/application/contract/index.js';
import { RedisServerProcess } from '../../../src/demo/redis-server-process.js';
import { HttpReceiver } from '../../support/http-receiver.js';
import {
  startQueuewatchProcess,
  type QueuewatchProcess,
} from '../../support/queuewatch-process.js';

/** The queue the e2e test silences. */
export const silencedQueue = 'silenced-queue';
/** A queue nobody silences: its notification proves the silenced one was held back. */
export const loudQueue = 'loud-queue';
/** What every job of both queues dies of. */
export const silenceFailure = 'the e2e ledger refuses every charge';

/** One webhook notification the receiver got, parsed. */
export interface ReceivedAlert {
  readonly type: string;
  readonly alert: Alert;
  /** The queues of the alerts it carries (its members when grouped). */
  readonly queues: readonly string[];
}

/**
 * A Queuewatch process watching the two queues, with a webhook destination pointing at a real
 * local HTTP receiver, groups flushed at once and then every 300 ms, and alerts from two
 * failures; and a BullMQ worker per queue that throws on every job.
 */
export interface SilenceStack {
  readonly url: string;
  readonly receiver: HttpReceiver;
  /** Add `count` jobs to `queueName`; each fails. */
  fail(queueName: string, count: number): Promise<void>;
  /** Everything the receiver got so far, parsed. */
  received(): ReceivedAlert[];
  stop(): Promise<void>;
}

function parsed(body: string): ReceivedAlert {
  const payload = JSON.parse(body) as { type: string; data: Alert };
  const members = payload.data.alerts ?? [payload.data];
  return {
    type: payload.type,
    alert: payload.data,
    queues: members.map((member) => member.labels.queue ?? member.context.queueName),
  };
}

/**
 * Start it on a Redis of its own (the dashboard is built by then): instances that share a Redis
 * share the alert groups' flushes, so one with another configuration (the e2e stack's) would run
 * this one's flushes through its own routes.
 */
export async function startSilenceStack(): Promise<SilenceStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const undo of stops.splice(0).reverse()) await undo().catch(() => undefined);
  };
  try {
    const redis = await RedisServerProcess.launch();
    stops.push(() => redis.dispose());
    const receiver = await HttpReceiver.start();
    stops.push(() => receiver.stop());
    const dir = await mkdtemp(join(tmpdir(), 'qw-silences-'));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        queues: [{ name: silencedQueue }, { name: loudQueue }],
        alerts: {
          failureThreshold: { count: 2 },
          destinations: [
            {
              name: 'e2e-receiver',
              type: 'webhook',
              url: `${receiver.url}/alerts`,
              secret: `whsec_${randomBytes(32).toString('base64')}`,
            },
          ],
          route: { groupWaitMs: 0, groupIntervalMs: 300 },
        },
      }),
    );
    const connection = { url: redis.url };
    const workers = [silencedQueue, loudQueue].map(
      (name) =>
        new Worker(
          name,
          () => {
            throw new Error(silenceFailure);
          },
          { connection },
        ),
    );
    stops.push(() => Promise.all(workers.map((worker) => worker.close(true))));
    const queues = new Map(
      [silencedQueue, loudQueue].map((name) => [name, new Queue(name, { connection })]),
    );
    stops.push(() => Promise.all([...queues.values()].map((queue) => queue.close())));
    const qw: QueuewatchProcess = await startQueuewatchProcess({
      REDIS_URL: redis.url,
      QUEUEWATCH_QUEUES: `${silencedQueue},${loudQueue}`,
      QUEUEWATCH_CONFIG: configPath,
      QUEUEWATCH_INSTANCE_ID: 'e2e-silences',
    });
    stops.push(() => qw.stop());
    return {
      url: qw.url,
      receiver,
      fail: async (queueName, count) => {
        const queue = queues.get(queueName);
        if (!queue) throw new Error(`no queue ${queueName} in the silence stack`);
        for (let n = 0; n < count; n += 1) await queue.add('charge', { n });
      },
      received: () => receiver.requests.map((request) => parsed(request.body)),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
