import { expect } from 'chai';
import { JobSearchService } from '../../../src/application/console/job-search-service.js';
import type {
  JobBrowser,
  JobRange,
  JobRecord,
  RangeRequest,
} from '../../../src/application/ports/job-browser.port.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { ScriptedDiscovery } from '../../support/fake-ports.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A queue's waiting list in memory; records every range asked for. */
class ListBrowser implements Pick<JobBrowser, 'range'> {
  readonly asked: RangeRequest[] = [];
  constructor(private readonly jobs: JobRecord[]) {}

  range(request: RangeRequest): Promise<JobRange> {
    this.asked.push(request);
    const start = request.from.index;
    const slice = this.jobs.slice(start, start + request.count);
    const end = start + slice.length;
    return Promise.resolve({
      total: this.jobs.length,
      start,
      entries: slice.map((job, offset) => ({
        job,
        after: { index: start + offset + 1, after: { id: job.id, score: null } },
      })),
      next: end >= this.jobs.length ? null : { index: end, after: null },
    });
  }
}

function job(index: number): JobRecord {
  return {
    id: `j${String(index)}`,
    name: index % 10 === 0 ? 'Tenth' : 'other',
    progress: 0,
    attemptsMade: 0,
    attemptsAllowed: 1,
    createdAt: 1_000,
    delay: 0,
    processedOn: null,
    finishedOn: null,
    failedReason: null,
    data: JSON.stringify({ index }),
  };
}

const queues = new MonitoredQueues(
  {
    configured: [
      {
        name: 'work',
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: defaultFailureThreshold,
      },
    ],
    discover: false,
    defaults: {
      priority: 'medium',
      thresholds: defaultHealthThresholds.queue,
      failureThreshold: defaultFailureThreshold,
    },
    excluded: [],
  },
  new ScriptedDiscovery(),
  new RecordingLogger(),
);

function request(change: Partial<Parameters<JobSearchService['search']>[0]> = {}) {
  return {
    queueName: 'work',
    state: 'waiting' as const,
    order: 'newest' as const,
    query: { name: 'tenth' },
    from: { index: 0, after: null },
    scanLimit: 10_000,
    limit: 50,
    ...change,
  };
}

function fixed(size: number) {
  return { start: size, min: size, max: size, targetMs: 3, restRatio: 0 };
}

/** A timer whose waits end at once, remembering each. */
function restTimer() {
  const asked: number[] = [];
  return {
    asked,
    delay: (ms: number) => {
      asked.push(ms);
      return Promise.resolve();
    },
  };
}

describe('JobSearchService', () => {
  describe('.search', () => {
    it('should read in chunks no bigger than its chunk size, and never past the scan limit', async () => {
      const browser = new ListBrowser(Array.from({ length: 2_000 }, (_, i) => job(i)));
      const service = new JobSearchService(
        queues,
        browser as unknown as JobBrowser,
        new FixedClock(0),
        restTimer(),
        { chunk: fixed(250), budgetMs: 1_000 },
      );
      const found = await service.search(request({ scanLimit: 1_100, limit: 1_000 }));
      expect(browser.asked.map((asked) => asked.count)).to.deep.equal([250, 250, 250, 250, 100]);
      expect(browser.asked.every((asked) => !asked.withData)).to.equal(true);
      expect(found.found && found.value).to.include({ scanned: 1_100, total: 2_000 });
      expect(found.found && found.value.jobs).to.have.length(110);
      expect(found.found && found.value.next).to.deep.equal({ index: 1_100, after: null });
    });

    it('should read data only when the query is about data', async () => {
      const browser = new ListBrowser(Array.from({ length: 10 }, (_, i) => job(i)));
      const service = new JobSearchService(
        queues,
        browser as unknown as JobBrowser,
        new FixedClock(0),
        restTimer(),
        { chunk: fixed(250), budgetMs: 1_000 },
      );
      const found = await service.search(
        request({ query: { path: { path: 'index', value: '7' } } }),
      );
      expect(browser.asked.map((asked) => asked.withData)).to.deep.equal([true]);
      expect(found.found && found.value.jobs.map((each) => each.id)).to.deep.equal(['j7']);
      expect(found.found && found.value.next).to.equal(null);
    });

    it('should stop right after the job that reached the limit', async () => {
      const browser = new ListBrowser(Array.from({ length: 100 }, (_, i) => job(i)));
      const service = new JobSearchService(
        queues,
        browser as unknown as JobBrowser,
        new FixedClock(0),
        restTimer(),
        { chunk: fixed(250), budgetMs: 1_000 },
      );
      const found = await service.search(request({ limit: 2 }));
      expect(found.found && found.value.jobs.map((each) => each.id)).to.deep.equal(['j0', 'j10']);
      expect(found.found && found.value).to.include({ scanned: 11 });
      expect(found.found && found.value.next).to.deep.equal({
        index: 11,
        after: { id: 'j10', score: null },
      });
    });

    it('should stop when its time is up, after at least one chunk, with a cursor to go on', async () => {
      const browser = new ListBrowser(Array.from({ length: 2_000 }, (_, i) => job(i)));
      const clock = new FixedClock(0);
      const slow: JobBrowser = {
        ...(browser as unknown as JobBrowser),
        range: async (asked) => {
          const range = await browser.range(asked);
          clock.advance(600);
          return range;
        },
      };
      const service = new JobSearchService(queues, slow, clock, restTimer(), {
        chunk: fixed(100),
        budgetMs: 1_000,
      });
      const found = await service.search(request({ limit: 100 }));
      expect(browser.asked).to.have.length(2);
      expect(found.found && found.value).to.include({ scanned: 200, total: 2_000 });
      expect(found.found && found.value.next).to.deep.equal({ index: 200, after: null });
    });

    it('should fit its chunks to the time the calls take, within the bounds', async () => {
      const browser = new ListBrowser(Array.from({ length: 5_000 }, (_, i) => job(i)));
      const clock = new FixedClock(0);
      // Each job costs 0.1 ms to read: 30 jobs fill the 3 ms a call should take.
      const paced: JobBrowser = {
        ...(browser as unknown as JobBrowser),
        range: async (asked) => {
          const range = await browser.range(asked);
          clock.advance(range.entries.length * 0.1);
          return range;
        },
      };
      const bounds = { start: 200, min: 10, max: 1_000, targetMs: 3, restRatio: 1 };
      const rests = restTimer();
      const service = new JobSearchService(queues, paced, clock, rests, {
        chunk: bounds,
        budgetMs: 1_000,
      });
      await service.search(request({ scanLimit: 2_000, limit: 1_000 }));
      const sizes = browser.asked.map((asked) => asked.count);
      expect(sizes[0]).to.equal(200);
      expect(sizes.slice(1, 4)).to.deep.equal([115, 73, 52]);
      expect(sizes.at(-2)).to.be.within(30, 31);
      // As long a rest after each chunk as it took, but none after the last.
      expect(rests.asked.slice(0, 2)).to.deep.equal([20, 11.5]);
      expect(rests.asked).to.have.length(sizes.length - 1);
      // Cheap jobs: the chunks grow, doubling at most, up to the bound.
      const cheap = new ListBrowser(Array.from({ length: 5_000 }, (_, i) => job(i)));
      const fast = new JobSearchService(
        queues,
        cheap as unknown as JobBrowser,
        new FixedClock(0),
        restTimer(),
        {
          chunk: bounds,
          budgetMs: 1_000,
        },
      );
      await fast.search(request({ scanLimit: 5_000, limit: 1_000 }));
      expect(cheap.asked.map((asked) => asked.count).slice(0, 4)).to.deep.equal([
        200, 400, 800, 1_000,
      ]);
    });

    it('should not read a queue it does not watch', async () => {
      const browser = new ListBrowser([]);
      const service = new JobSearchService(
        queues,
        browser as unknown as JobBrowser,
        new FixedClock(0),
        restTimer(),
      );
      expect(await service.search(request({ queueName: 'other' }))).to.deep.equal({
        found: false,
        reason: 'unknown-queue',
      });
      expect(browser.asked).to.deep.equal([]);
    });
  });
});
