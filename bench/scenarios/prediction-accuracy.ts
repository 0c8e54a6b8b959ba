import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { QueueForecastBody } from '../../src/application/contract/forecast.js';
import { startChild } from '../lib/child.js';
import { Arrivals, WorkerPool } from '../lib/job-load.js';
import { queueBacklog } from '../lib/queue-backlog.js';
import { writeQueuewatchConfig } from '../lib/queuewatch-config-file.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { percentile } from '../lib/stats.js';
import { predictionMarkdown } from './prediction-report.js';

/** The simulated workload and its phases (s). */
export interface PredictionPlan {
  readonly concurrency: number;
  readonly serviceMs: number;
  readonly workers: number;
  readonly targetWaitMs: number;
  readonly baseRate: number;
  readonly baseSeconds: number;
  readonly surgeRate: number;
  readonly surgeSeconds: number;
  readonly drainRate: number;
  /** Seconds at the drain rate before the forecast is read. */
  readonly settleSeconds: number;
  readonly scaleRate: number;
  /** Workers while the scaling phase's rate is measured, before the recommendation is applied. */
  readonly scaleSettleWorkers: number;
  readonly scaleSettleSeconds: number;
  readonly scaleMeasureSeconds: number;
}

/** One reading of the forecast, and what happened after it. */
export interface DrainOutcome {
  readonly forecast: QueueForecastBody;
  /** The backlog the bench read at the same moment. */
  readonly backlogSeen: number;
  /** Seconds from the reading until the backlog was empty; `null` if it never emptied. */
  readonly actualSeconds: number | null;
  /** drain.seconds ÷ actual − 1; `null` when either is missing. */
  readonly error: number | null;
}

/** The recommendation applied, and the waits that followed. */
export interface ScalingOutcome {
  readonly forecast: QueueForecastBody;
  readonly workersBefore: number;
  readonly workersApplied: number;
  readonly jobsAdded: number;
  readonly jobsMeasured: number;
  readonly waitP50Ms: number | null;
  readonly waitP95Ms: number | null;
  readonly waitMaxMs: number | null;
  /** Jobs/s the bench's producer added, and the workers finished, during the measure. */
  readonly arrivalPerSecond: number;
  readonly completedPerSecond: number;
}

export interface PredictionData {
  readonly plan: PredictionPlan;
  /** Jobs/s the workers finished during the surge (their real capacity). */
  readonly surgeServicePerSecond: number;
  readonly backlogAfterSurge: number;
  readonly drain: DrainOutcome;
  readonly scaling: ScalingOutcome;
}

const prefix = 'bull';
const queueName = 'forecast';

function planOf(quick: boolean): PredictionPlan {
  const common = {
    concurrency: 5,
    serviceMs: 400,
    workers: 2,
    targetWaitMs: 500,
    baseRate: 20,
    surgeRate: 40,
    drainRate: 5,
    scaleRate: 40,
    scaleSettleWorkers: 6,
  };
  return quick
    ? {
        ...common,
        baseSeconds: 20,
        surgeSeconds: 40,
        settleSeconds: 15,
        scaleSettleSeconds: 20,
        scaleMeasureSeconds: 30,
      }
    : {
        ...common,
        baseSeconds: 180,
        surgeSeconds: 120,
        settleSeconds: 60,
        scaleSettleSeconds: 180,
        scaleMeasureSeconds: 120,
      };
}

/**
 * How right Queuewatch's forecast is. One queue, Poisson arrivals, exponential service of mean
 * 400 ms (the M/M/c assumptions of the model), 2 workers of concurrency 5 (capacity 25 jobs/s):
 * 20 jobs/s, then 40 jobs/s so a backlog grows, then 5 jobs/s so it drains. After the drain rate
 * has held for `settleSeconds`, the bench reads `GET /forecast` and times the backlog until it
 * is empty. Then arrivals go to 40 jobs/s with 6 workers (so no backlog builds while Queuewatch
 * measures the new rate); the bench reads the recommendation, runs that many workers, and
 * measures each job's wait (processedOn − timestamp) over the jobs added in the next window.
 */
export async function predictionAccuracy(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<PredictionData>> {
  const plan = planOf(options.quick);
  const config = await writeQueuewatchConfig('prediction', {
    scaling: {
      queues: {
        [queueName]: { concurrency: plan.concurrency, targetWaitMs: plan.targetWaitMs },
      },
    },
  });
  const admin = new Redis(redisUrl);
  const queue = new Queue(queueName, { connection: { url: redisUrl }, prefix });
  const arrivals = new Arrivals(queue, 'poisson');
  const pool = new WorkerPool({
    redisUrl,
    queueName,
    concurrency: plan.concurrency,
    serviceMs: plan.serviceMs,
    service: 'exponential',
    recordWaits: true,
  });
  const server = startChild(
    'queuewatch-server',
    { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: queueName, QUEUEWATCH_CONFIG: config },
    /listening (http:\/\/\S+)\n/,
    { ipc: true, nodeArgs: profileArgs(options.profileDir, 'prediction-queuewatch') },
  );
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  try {
    const url = (await server.ready)[1] ?? '';
    const readForecast = async (): Promise<QueueForecastBody> => {
      const response = await fetch(`${url}/api/v1/queues/${queueName}/forecast`);
      if (!response.ok) throw new Error(`GET /forecast answered ${String(response.status)}`);
      return (await response.json()) as QueueForecastBody;
    };
    await pool.resize(plan.workers);
    options.log(`prediction: ${String(plan.baseRate)} jobs/s for ${String(plan.baseSeconds)} s…`);
    arrivals.setRate(plan.baseRate);
    await sleep(plan.baseSeconds);
    options.log(`prediction: ${String(plan.surgeRate)} jobs/s for ${String(plan.surgeSeconds)} s…`);
    arrivals.setRate(plan.surgeRate);
    const surgeStarted = { at: performance.now(), completed: pool.completed };
    await sleep(plan.surgeSeconds);
    const surgeServicePerSecond =
      (pool.completed - surgeStarted.completed) / ((performance.now() - surgeStarted.at) / 1000);
    arrivals.setRate(plan.drainRate);
    const backlogAfterSurge = await queueBacklog(admin, prefix, queueName);
    options.log(
      `prediction: backlog ${String(backlogAfterSurge)}; ${String(plan.drainRate)} jobs/s for ${String(plan.settleSeconds)} s, then the forecast…`,
    );
    await sleep(plan.settleSeconds);
    const drain = await timeTheDrain(admin, readForecast, options.quick ? 120 : 900);
    options.log(
      `prediction: drain forecast ${JSON.stringify(drain.forecast.drain)}, actual ${String(drain.actualSeconds)} s`,
    );
    const scaling = await applyRecommendation(plan, arrivals, pool, readForecast, options);
    const data = {
      plan,
      surgeServicePerSecond: Math.round(surgeServicePerSecond * 10) / 10,
      backlogAfterSurge,
      drain,
      scaling,
    };
    return { data, markdown: predictionMarkdown(data, options.quick) };
  } finally {
    await arrivals.stop();
    await pool.close();
    await queue.close();
    await server.stop();
    admin.disconnect();
  }
}

/** Read the forecast, then poll the backlog every 100 ms until it is empty. */
async function timeTheDrain(
  admin: Redis,
  readForecast: () => Promise<QueueForecastBody>,
  limitSeconds: number,
): Promise<DrainOutcome> {
  const [forecast, backlogSeen] = await Promise.all([
    readForecast(),
    queueBacklog(admin, prefix, queueName),
  ]);
  const readAt = performance.now();
  let actualSeconds: number | null = null;
  while ((performance.now() - readAt) / 1000 < limitSeconds) {
    if ((await queueBacklog(admin, prefix, queueName)) === 0) {
      actualSeconds = Math.round((performance.now() - readAt) / 100) / 10;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const predicted = forecast.drain.status === 'draining' ? forecast.drain.seconds : null;
  const error =
    predicted === null || actualSeconds === null || actualSeconds <= 0
      ? null
      : Math.round((predicted / actualSeconds - 1) * 1000) / 1000;
  return { forecast, backlogSeen, actualSeconds, error };
}

async function applyRecommendation(
  plan: PredictionPlan,
  arrivals: Arrivals,
  pool: WorkerPool,
  readForecast: () => Promise<QueueForecastBody>,
  options: RunOptions,
): Promise<ScalingOutcome> {
  options.log(
    `prediction: ${String(plan.scaleRate)} jobs/s with ${String(plan.scaleSettleWorkers)} workers for ${String(plan.scaleSettleSeconds)} s, then the recommendation…`,
  );
  await pool.resize(plan.scaleSettleWorkers);
  arrivals.setRate(plan.scaleRate);
  await new Promise((resolve) => setTimeout(resolve, plan.scaleSettleSeconds * 1000));
  const forecast = await readForecast();
  const workersBefore = pool.size;
  const workersApplied = forecast.recommendation.workers;
  options.log(
    `prediction: recommendation ${String(workersApplied)} workers (${forecast.recommendation.reason}); measuring waits for ${String(plan.scaleMeasureSeconds)} s…`,
  );
  await pool.resize(workersApplied);
  const from = Date.now();
  const started = { at: performance.now(), added: arrivals.added, completed: pool.completed };
  await new Promise((resolve) => setTimeout(resolve, plan.scaleMeasureSeconds * 1000));
  const to = Date.now();
  const seconds = (performance.now() - started.at) / 1000;
  const jobsAdded = arrivals.added - started.added;
  const completedPerSecond = (pool.completed - started.completed) / seconds;
  // The jobs added in the window that are still waiting at its end count too: give them time
  // to start (arrivals go on meanwhile, so the load does not change while they do).
  const inWindow = () => pool.waits.filter((wait) => wait.addedAt >= from && wait.addedAt < to);
  const graceEnds = performance.now() + 60_000;
  while (inWindow().length < jobsAdded && performance.now() < graceEnds) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const waits = inWindow()
    .map((wait) => wait.waitMs)
    .sort((a, b) => a - b);
  const pick = (p: number): number | null => (waits.length === 0 ? null : percentile(waits, p));
  return {
    forecast,
    workersBefore,
    workersApplied,
    jobsAdded,
    jobsMeasured: waits.length,
    waitP50Ms: pick(50),
    waitP95Ms: pick(95),
    waitMaxMs: waits.at(-1) ?? null,
    arrivalPerSecond: Math.round((jobsAdded / seconds) * 10) / 10,
    completedPerSecond: Math.round(completedPerSecond * 10) / 10,
  };
}
