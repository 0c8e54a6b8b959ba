import { expect } from 'chai';
import { flowOf } from '../../../src/domain/forecast/flow-from-history.js';
import { meanWait } from '../../../src/domain/forecast/erlang-c.js';
import {
  recommendWorkers,
  type ScalingPolicy,
} from '../../../src/domain/forecast/worker-recommendation.js';
import type { HistorySample } from '../../../src/domain/history/history-series.js';
import { bucketOf } from '../../../src/domain/history/latency-histogram.js';

const policy: ScalingPolicy = {
  concurrency: 2,
  targetWaitSeconds: 10,
  drainWithinSeconds: 300,
  minWorkers: 0,
  maxWorkers: 50,
};

function minute(index: number, changes: Partial<HistorySample>): HistorySample {
  return {
    at: index * 60_000,
    added: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    backlog: 0,
    active: 0,
    workers: 2,
    wait: new Map(),
    processing: new Map(),
    ...changes,
  };
}

describe('flowOf', () => {
  it('should measure arrivals per second and service only over minutes with a backlog', () => {
    const minutes = Array.from({ length: 10 }, (_, index) =>
      minute(index, {
        added: 120,
        completed: index < 5 ? 120 : 90,
        backlog: index < 5 ? 0 : 300,
        processing: new Map([[bucketOf(1_000), 100]]),
      }),
    );
    const flow = flowOf(minutes, { backlog: 300, workers: 2 }, 2);
    expect(flow.arrivalRate).to.be.closeTo(2, 1e-9);
    expect(flow.serviceRate).to.be.closeTo(1.5, 1e-9);
    expect(flow.backlog).to.equal(300);
    expect(flow.serviceTime).to.be.closeTo(1, 0.125);
  });

  it('should take the capacity the processing time allows when the workers never had a backlog', () => {
    const minutes = [
      minute(0, { added: 30, completed: 30, processing: new Map([[bucketOf(500), 30]]) }),
    ];
    const flow = flowOf(minutes, { backlog: 0, workers: 3 }, 2);
    // 3 workers × 2 at once ÷ ~0.5 s each.
    expect(flow.serviceRate).to.be.closeTo(12, 1.5);
  });

  it('should follow a step in arrivals within the minute it happens, counting the minute in progress for its time', () => {
    const before = Array.from({ length: 10 }, (_, index) => minute(index, { added: 1_200 }));
    const calm = flowOf(before, { backlog: 0, workers: 2 }, 1);
    expect(calm.arrivalRate).to.be.closeTo(20, 1e-9);
    // 45 s into a minute at 5 jobs/s: 225 added so far.
    const stepped = flowOf(before, { backlog: 0, workers: 2 }, 1, {
      added: 225,
      elapsedMs: 45_000,
    });
    expect(stepped.arrivalRate).to.be.closeTo(5, 1e-9);
    // Too early in the minute to tell its pace: left out.
    expect(flowOf(before, null, 1, { added: 1, elapsedMs: 4_000 }).arrivalRate).to.be.closeTo(
      20,
      1e-9,
    );
  });

  it('should take service only from minutes busy from start to end', () => {
    const minutes = [
      minute(0, { completed: 10, backlog: 0 }),
      // Load arrived mid-minute: it ends with a backlog, but was not busy all along.
      minute(1, { completed: 40, backlog: 50 }),
      minute(2, { completed: 90, backlog: 80 }),
    ];
    expect(flowOf(minutes, { backlog: 80, workers: 2 }, 1).serviceRate).to.be.closeTo(1.5, 1e-9);
  });

  it('should not divide by zero without workers or without history', () => {
    expect(flowOf([], null, 1)).to.deep.equal({
      backlog: 0,
      arrivalRate: 0,
      serviceRate: null,
      workers: null,
      serviceTime: null,
    });
    const idle = flowOf([minute(0, { workers: 0 })], { backlog: 10, workers: 0 }, 1);
    expect(idle.serviceRate).to.equal(null);
  });
});

describe('recommendWorkers', () => {
  const flow = { backlog: 0, arrivalRate: 10, serviceRate: null, workers: 1, serviceTime: 1 };

  it('should ask for the fewest workers that keep 95 % of waits under the target (Erlang C)', () => {
    const advice = recommendWorkers(flow, policy);
    expect(advice.reason).to.equal('wait-target');
    // 10 jobs/s × 1 s = 10 erlangs: more than 10 servers, i.e. at least 6 workers of 2.
    expect(advice.workers).to.be.at.least(6);
    const servers = advice.workers * policy.concurrency;
    expect(meanWait({ arrivalRate: 10, serviceTime: 1, servers })).to.be.below(10);
    const fewer = recommendWorkers(flow, { ...policy, targetWaitSeconds: 1_000 });
    expect(fewer.workers).to.be.at.most(advice.workers);
  });

  it('should ask for more to clear a backlog in time, within the bounds', () => {
    const backlog = recommendWorkers({ ...flow, backlog: 30_000 }, policy);
    expect(backlog.reason).to.equal('max');
    expect(backlog.workers).to.equal(50);
    const some = recommendWorkers({ ...flow, backlog: 3_000 }, policy);
    // (10 + 3000 / 300) jobs/s × 1 s ÷ 2 = 10 workers.
    expect(some).to.include({ workers: 10, reason: 'backlog' });
  });

  it('should scale to the minimum when nothing arrives and nothing waits', () => {
    expect(recommendWorkers({ ...flow, arrivalRate: 0 }, policy).workers).to.equal(0);
    expect(recommendWorkers({ ...flow, arrivalRate: 0 }, { ...policy, minWorkers: 2 })).to.include({
      workers: 2,
      reason: 'min',
    });
  });

  it('should keep the current workers when there is no processing time to model', () => {
    expect(recommendWorkers({ ...flow, serviceTime: null, workers: 4 }, policy)).to.include({
      workers: 4,
      reason: 'no-data',
    });
  });
});
