import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { startChild } from '../lib/child.js';
import { preciseNow, summarize } from '../lib/stats.js';

/** Which relay serves the clients. */
export type Relay = 'queuewatch' | 'naive-relay';

/** The load of one run. */
export interface LatencyLoad {
  /** Jobs running at once; one subscribed client per job. */
  readonly jobs: number;
  /** Progress reports per job. */
  readonly steps: number;
  /** Pause between two reports of one job (ms); jobs × 1000 / interval = events/s. */
  readonly intervalMs: number;
}

/** What one run measured. */
export interface LatencyResult {
  readonly relay: Relay;
  readonly load: LatencyLoad & { readonly eventsPerSecond: number; readonly clients: number };
  /** updateProgress() in the worker → job-progress at the client, ms. */
  readonly latencyMs: ReturnType<typeof summarize>;
  readonly progressSent: number;
  readonly progressDelivered: number;
  readonly completionsExpected: number;
  readonly completionsLost: number;
  readonly durationMs: number;
}

const relayProcess: Record<Relay, string> = {
  queuewatch: 'queuewatch-server',
  'naive-relay': 'naive-relay',
};

/**
 * Progress latency from `job.updateProgress()` in a worker process to the event at a Socket.IO
 * client, with one client subscribed to each running job.
 */
export async function measureProgressLatency(
  redisUrl: string,
  relay: Relay,
  load: LatencyLoad,
): Promise<LatencyResult> {
  const admin = new Redis(redisUrl);
  await admin.flushall();
  const env = { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: 'bench' };
  const server = startChild(relayProcess[relay], env, /listening (http:\/\/\S+)\n/);
  const worker = startChild(
    'progress-worker',
    {
      ...env,
      JOBS: String(load.jobs),
      STEPS: String(load.steps),
      INTERVAL_MS: String(load.intervalMs),
    },
    /ready\n/,
  );
  const clients: Socket[] = [];
  try {
    const url = (await server.ready)[1] ?? '';
    await worker.ready;
    const latencies: number[] = [];
    let completions = 0;
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    for (let index = 0; index < load.jobs; index += 1) {
      const socket = io(`${url}/job-progress`, { transports: ['websocket'], reconnection: false });
      clients.push(socket);
      socket.on('job-progress', (payload: { progress: { sentAt: number } }) => {
        latencies.push(preciseNow() - payload.progress.sentAt);
      });
      socket.on('job-completed', () => {
        completions += 1;
        if (completions === load.jobs) allDone();
      });
    }
    await Promise.all(
      clients.map((socket, index) =>
        socket
          .timeout(10_000)
          .emitWithAck('subscribe-to-job', { jobId: `job-${String(index)}`, queueName: 'bench' }),
      ),
    );
    const started = performance.now();
    worker.process.kill('SIGUSR2');
    const timeoutMs = load.steps * load.intervalMs + 20_000;
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    const durationMs = Math.round(performance.now() - started);
    return {
      relay,
      load: {
        ...load,
        eventsPerSecond: Math.round((load.jobs * 1000) / load.intervalMs),
        clients: load.jobs,
      },
      latencyMs: summarize(latencies),
      progressSent: load.jobs * load.steps,
      progressDelivered: latencies.length,
      completionsExpected: load.jobs,
      completionsLost: load.jobs - completions,
      durationMs,
    };
  } finally {
    for (const socket of clients) socket.close();
    await Promise.all([worker.stop(), server.stop()]);
    admin.disconnect();
  }
}
