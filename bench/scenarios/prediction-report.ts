import type { QueueForecastBody } from '../../src/application/contract/forecast.js';
import { num, table, targetsTable } from '../lib/markdown.js';
import type { PredictionData } from './prediction-accuracy.js';

/** The prediction-accuracy section: the two targets, then what Queuewatch saw at each reading. */
export function predictionMarkdown(data: PredictionData, quick: boolean): string {
  const { plan, drain, scaling } = data;
  const predicted =
    drain.forecast.drain.status === 'draining' ? drain.forecast.drain.seconds : null;
  const capacity = (plan.workers * plan.concurrency * 1000) / plan.serviceMs;
  return [
    `## Prediction accuracy (${quick ? 'quick' : 'full'} run)`,
    '',
    `One queue, Poisson arrivals, service times exponential with a mean of ${num(plan.serviceMs)} ms (the M/M/c assumptions of the model), ${String(plan.workers)} workers of concurrency ${String(plan.concurrency)} (capacity ${num(capacity)} jobs/s). Arrivals: ${num(plan.baseRate)} jobs/s for ${num(plan.baseSeconds)} s, ${num(plan.surgeRate)} jobs/s for ${num(plan.surgeSeconds)} s (the backlog grows), then ${num(plan.drainRate)} jobs/s. After ${num(plan.settleSeconds)} s at that rate the bench reads \`GET /api/v1/queues/:queue/forecast\` and times the backlog (waiting + paused + prioritized + delayed due, read from Redis every 100 ms) until it is empty. Then ${num(plan.scaleRate)} jobs/s with ${String(plan.scaleSettleWorkers)} workers for ${num(plan.scaleSettleSeconds)} s (no backlog while Queuewatch measures the rate); the bench runs \`recommendation.workers\` workers (config \`scaling.queues.<q>: {concurrency: ${String(plan.concurrency)}, targetWaitMs: ${String(plan.targetWaitMs)}}\`) and measures the wait (job.processedOn − job.timestamp) of every job added in the next ${num(plan.scaleMeasureSeconds)} s.${quick ? ' **Quick run**: Queuewatch rates whole minutes only, so phases this short cannot show its accuracy; this run checks that the scenario works.' : ''}`,
    '',
    targetsTable([
      {
        target: `predicted drain time within ±20 % of the actual, ${num(plan.settleSeconds)} s into the drain`,
        measured:
          predicted === null
            ? `forecast said ${describeDrain(drain.forecast)}; actual ${num(drain.actualSeconds, 1)} s`
            : `${num(predicted, 1)} s predicted, ${num(drain.actualSeconds, 1)} s actual: ${signedPercent(drain.error)}`,
        met:
          drain.actualSeconds === null
            ? null
            : drain.error !== null && Math.abs(drain.error) <= 0.2,
      },
      {
        target: `recommended workers, applied, keep the p95 wait ≤ ${num(plan.targetWaitMs)} ms`,
        measured: `${String(scaling.workersApplied)} workers (${scaling.forecast.recommendation.reason}): p95 ${num(scaling.waitP95Ms, 0)} ms (p50 ${num(scaling.waitP50Ms, 0)} ms, max ${num(scaling.waitMaxMs, 0)} ms) over ${num(scaling.jobsMeasured)} jobs`,
        met: scaling.waitP95Ms === null ? null : scaling.waitP95Ms <= plan.targetWaitMs,
      },
    ]),
    '',
    table(
      [
        'reading',
        'backlog (Queuewatch / bench)',
        'arrivals/min (Queuewatch / true)',
        'service/min (Queuewatch / measured)',
        'mean processing s',
        'workers seen',
        'drain',
        'recommendation',
      ],
      [
        [
          `drain, ${num(plan.settleSeconds)} s in`,
          `${num(drain.forecast.backlog)} / ${num(drain.backlogSeen)}`,
          `${num(drain.forecast.arrivalPerMinute, 0)} / ${num(plan.drainRate * 60)}`,
          `${num(drain.forecast.servicePerMinute, 0)} / ${num(data.surgeServicePerSecond * 60, 0)}`,
          num(drain.forecast.meanProcessingSeconds, 3),
          num(drain.forecast.workers),
          describeDrain(drain.forecast),
          describeRecommendation(drain.forecast),
        ],
        [
          `scaling, ${num(plan.scaleSettleSeconds)} s in`,
          `${num(scaling.forecast.backlog)} / –`,
          `${num(scaling.forecast.arrivalPerMinute, 0)} / ${num(plan.scaleRate * 60)}`,
          `${num(scaling.forecast.servicePerMinute, 0)} / –`,
          num(scaling.forecast.meanProcessingSeconds, 3),
          num(scaling.forecast.workers),
          describeDrain(scaling.forecast),
          describeRecommendation(scaling.forecast),
        ],
      ],
    ),
    '',
    `Backlog when the surge ended: ${num(data.backlogAfterSurge)} jobs; the workers finished ${num(data.surgeServicePerSecond, 1)} jobs/s during the surge. During the wait measure: ${num(scaling.arrivalPerSecond, 1)} jobs/s added, ${num(scaling.completedPerSecond, 1)} finished, ${String(scaling.workersBefore)} → ${String(scaling.workersApplied)} workers; ${num(scaling.jobsMeasured)} of the ${num(scaling.jobsAdded)} jobs added in the window had started when it was read.`,
    '',
  ].join('\n');
}

function describeDrain(forecast: QueueForecastBody): string {
  const drain = forecast.drain;
  switch (drain.status) {
    case 'draining':
      return `draining in ${num(drain.seconds, 1)} s (−${num(drain.perMinute, 0)}/min)`;
    case 'growing':
      return `growing +${num(drain.perMinute, 0)}/min`;
    case 'empty':
    case 'no-workers':
    case 'unknown':
      return drain.status;
  }
}

function describeRecommendation(forecast: QueueForecastBody): string {
  const { workers, reason, modelWorkers } = forecast.recommendation;
  return `${String(workers)} (${reason}; Erlang C alone ${num(modelWorkers)})`;
}

function signedPercent(error: number | null): string {
  if (error === null) return 'n/a';
  return `${error > 0 ? '+' : ''}${num(error * 100, 1)} %`;
}
