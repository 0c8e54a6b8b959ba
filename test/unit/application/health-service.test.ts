import { expect } from 'chai';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import {
  HealthService,
  type HealthObservers,
  type HealthServiceOptions,
} from '../../../src/application/health/health-service.js';
import type { Clock } from '../../../src/application/ports/clock.port.js';
import type { QueuePort } from '../../../src/application/ports/queue.port.js';
import type { RedisProbe } from '../../../src/application/ports/redis-probe.port.js';
import { ProcessingTimes } from '../../../src/application/health/processing-times.js';
import { QueueActivity } from '../../../src/application/health/queue-activity.js';
import {
  MonitoredQueues,
  type MonitoredQueue,
} from '../../../src/application/queues/monitored-queues.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer } from '../../support/manual-timer.js';
import { slowReadMs } from '../../../src/application/health/report-cache.js';
import {
  InMemoryQueuePort,
  ScriptedDiscovery,
  StaticRedisProbe,
} from '../../support/fake-ports.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const now = Date.UTC(2026, 0, 15, 10, 30);

/**
 * A QueuePort whose reads take `readMs` of the clock's time and, while `holding`, answer only when
 * the test releases them, oldest first.
 */
class PacedQueuePort extends InMemoryQueuePort {
  readMs = 0;
  holding = false;
  private readonly held: (() => void)[] = [];

  constructor(private readonly clock: FixedClock) {
    super();
  }

  override async inspect(
    ...args: Parameters<QueuePort['inspect']>
  ): ReturnType<QueuePort['inspect']> {
    const answer = super.inspect(...args);
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    this.clock.advance(this.readMs);
    return answer;
  }

  release(): void {
    this.held.shift()?.();
  }
}

function monitored(...queues: MonitoredQueue[]): MonitoredQueues {
  return new MonitoredQueues(
    {
      configured: queues,
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
}

/** A HealthService over these queues and port: the defaults below unless a test says otherwise. */
function healthService(
  queues: MonitoredQueues,
  port: QueuePort,
  options: Partial<Omit<HealthServiceOptions, 'redis'>> & {
    probe?: RedisProbe;
    clock?: Clock;
    observers?: HealthObservers;
  } = {},
): HealthService {
  return new HealthService(
    queues,
    port,
    options.probe ?? new StaticRedisProbe(),
    options.clock ?? new FixedClock(now),
    {
      redis: defaultHealthThresholds.redis,
      samples: options.samples ?? { activeJobs: 1, completedJobs: 1 },
      maxAgeMs: options.maxAgeMs ?? 0,
      quietRefreshMs: options.quietRefreshMs ?? 0,
      ...(options.timer ? { timer: options.timer } : {}),
      ...(options.keepFreshForMs === undefined ? {} : { keepFreshForMs: options.keepFreshForMs }),
    },
    options.observers,
  );
}

const queue = (name: string, errorRateWindowMs = 60_000): MonitoredQueue => ({
  name,
  priority: 'medium',
  thresholds: { ...defaultHealthThresholds.queue, errorRateWindowMs },
  failureThreshold: defaultFailureThreshold,
});

describe('HealthService', () => {
  describe('.check', () => {
    it('should read every queue with its own error-rate window and bounded samples', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .set(queueSnapshot({ name: 'b' }));
      const service = healthService(monitored(queue('a', 60_000), queue('b', 5_000)), port, {
        samples: { activeJobs: 7, completedJobs: 3 },
      });
      await service.check();
      expect(port.inspections).to.deep.equal([
        {
          requests: [
            {
              name: 'a',
              depth: 'deep',
              finishedSince: now - 60_000,
              staleStartedBy: now - defaultHealthThresholds.queue.staleJobAfterMs,
              processingTimes: true,
            },
            {
              name: 'b',
              depth: 'deep',
              finishedSince: now - 5_000,
              staleStartedBy: now - defaultHealthThresholds.queue.staleJobAfterMs,
              processingTimes: true,
            },
          ],
          samples: { activeJobs: 7, completedJobs: 3 },
        },
      ]);
    });

    it('should answer in the seed shape with ISO timestamps', async () => {
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', lastFinishedAt: now - 1_000, counts: { waiting: 2 } }),
      );
      const report = await healthService(monitored(queue('a')), port).check();
      expect(report.timestamp).to.equal('2026-01-15T10:30:00.000Z');
      expect(report.status).to.equal('healthy');
      expect(report.queues[0]?.details?.lastJobProcessed).to.equal('2026-01-15T10:29:59.000Z');
      expect(report.queues[0]?.details).to.not.have.property('lastJobProcessedAt');
      expect(report.queues[0]?.stats?.waiting).to.equal(2);
      expect(report.summary.totalQueues).to.equal(1);
      expect(Object.keys(report)).to.have.members([
        'status',
        'timestamp',
        'redis',
        'queues',
        'summary',
        'issues',
      ]);
    });

    it('should turn a queue that could not be read into an unhealthy entry, not an error', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .fail('b', 'Command timed out');
      const report = await healthService(monitored(queue('a'), queue('b')), port).check();
      expect(report.status).to.equal('unhealthy');
      expect(report.queues.map((entry) => entry.status)).to.deep.equal(['healthy', 'unhealthy']);
      expect(report.queues[1]?.details).to.equal(null);
      expect(report.issues[0]?.message).to.contain('Command timed out');
    });
    it('should let other work run between slices of 500 queues, and judge every queue in order', async () => {
      const names = Array.from({ length: 1_001 }, (_, index) => `q${String(index)}`);
      const port = new InMemoryQueuePort();
      for (const name of names) port.set(queueSnapshot({ name }));
      let turns = 0;
      const service = new HealthService(
        monitored(...names.map((name) => queue(name))),
        port,
        new StaticRedisProbe(),
        new FixedClock(now),
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 1, completedJobs: 1 },
          maxAgeMs: 0,
          quietRefreshMs: 0,
          timer: {
            delay: () => Promise.reject(new Error('no wait expected')),
            nextTurn: async () => {
              turns += 1;
              await new Promise((resolve) => setImmediate(resolve));
            },
          },
        },
      );
      const report = await service.check();
      // Two while the requests are made (after queues 500 and 1,000), two while judging.
      expect(turns).to.equal(4);
      expect(report.queues.map((entry) => entry.queueName)).to.deep.equal([...names].sort());
      expect(report.summary.totalQueues).to.equal(1_001);
    });
  });

  describe('having maxAgeMs', () => {
    it('should serve a fresh report again and share one read between concurrent checks', async () => {
      const port = new InMemoryQueuePort().set(queueSnapshot({ name: 'a' }));
      const clock = new FixedClock(now);
      const service = healthService(monitored(queue('a')), port, { clock, maxAgeMs: 1_000 });
      const [first, second] = await Promise.all([service.check(), service.check()]);
      expect(second).to.equal(first);
      clock.advance(899);
      expect(await service.check()).to.equal(first);
      expect(port.inspections).to.have.length(1);
    });

    it("should serve the expired report while the next is read, up to twice the last read's time past expiry", async () => {
      const clock = new FixedClock(now);
      const port = new PacedQueuePort(clock).set(queueSnapshot({ name: 'a' }));
      port.readMs = 300;
      const service = healthService(monitored(queue('a')), port, { clock, maxAgeMs: 1_000 });
      const first = await service.check();
      // Read at `now` in 300 ms: served for 1,000 ms, then while the next is read, 600 ms more.
      clock.setTo(now + 1_599);
      port.holding = true;
      expect(await service.check()).to.equal(first);
      expect(await service.check()).to.equal(first);
      expect(port.inspections).to.have.length(2);
      const next = service.check();
      clock.setTo(now + 1_600);
      const waiting = service.check();
      port.release();
      expect(await next).to.equal(first);
      expect((await waiting).timestamp).to.equal(new Date(now + 1_599).toISOString());
      expect(port.inspections).to.have.length(2);
    });

    it('should make a reader coming back later than that wait for a new report', async () => {
      const clock = new FixedClock(now);
      const port = new PacedQueuePort(clock).set(queueSnapshot({ name: 'a' }));
      port.readMs = 300;
      const service = healthService(monitored(queue('a')), port, { clock, maxAgeMs: 1_000 });
      await service.check();
      clock.setTo(now + 1_600);
      expect((await service.check()).timestamp).to.equal(new Date(now + 1_600).toISOString());
    });

    it('should read a new report, and serve it from then on, once the clock was set back', async () => {
      const clock = new FixedClock(now);
      const port = new PacedQueuePort(clock).set(queueSnapshot({ name: 'a' }));
      port.readMs = 300;
      const service = healthService(monitored(queue('a')), port, { clock, maxAgeMs: 1_000 });
      const first = await service.check();
      // An hour back: the report read at `now` is not one a fresh or a grace period covers.
      clock.setTo(now - 3_600_000);
      const earlier = await service.check();
      expect(earlier).to.not.equal(first);
      expect(earlier.timestamp).to.equal(new Date(now - 3_600_000).toISOString());
      clock.advance(100);
      expect(await service.check()).to.equal(earlier);
      expect(port.inspections).to.have.length(2);
    });

    it('should never serve an older report with maxAgeMs 0', async () => {
      const clock = new FixedClock(now);
      const port = new PacedQueuePort(clock).set(queueSnapshot({ name: 'a' }));
      port.readMs = 300;
      const service = healthService(monitored(queue('a')), port, {
        clock,
        samples: { activeJobs: 20, completedJobs: 10 },
      });
      const first = await service.check();
      const second = await service.check();
      expect(second.timestamp).to.equal(new Date(now + 300).toISOString());
      expect(second).to.not.equal(first);
    });

    it('should hand out a report only once every preparation of it is done, and survive one that fails', async () => {
      const port = new InMemoryQueuePort().set(queueSnapshot({ name: 'a' }));
      const service = healthService(monitored(queue('a')), port);
      const prepared: string[] = [];
      service.prepareWith(() => Promise.reject(new Error('could not encode')));
      service.prepareWith(async (report) => {
        await Promise.resolve();
        prepared.push(report.timestamp);
      });
      const report = await service.check();
      expect(prepared).to.deep.equal([report.timestamp]);
    });
  });

  describe('having keepFreshForMs', () => {
    /** A service over one queue whose reads take 300 ms, kept fresh for 10 s after a request. */
    const keptFresh = (keepFreshForMs = 10_000) => {
      const clock = new FixedClock(now);
      const port = new PacedQueuePort(clock).set(queueSnapshot({ name: 'a' }));
      port.readMs = 300;
      const timer = new ManualTimer();
      const service = healthService(monitored(queue('a')), port, {
        clock,
        maxAgeMs: 1_000,
        timer,
        keepFreshForMs,
      });
      return { clock, port, timer, service };
    };

    it('should read the next report in the background as each expires, so a reader every 2 s never waits', async () => {
      const { clock, port, timer, service } = keptFresh();
      await service.check();
      // Read at `now` in 300 ms: the next read is planned for when it expires, 700 ms later.
      expect(timer.asked).to.deep.equal([700]);
      for (let second = 1; second <= 6; second += 1) {
        clock.setTo(now + second * 1_000);
        await timer.elapse();
        expect(port.inspections, `${String(second)} s`).to.have.length(second + 1);
      }
      // 6.3 s: the report read from 6 s on is ready; a reader who last came at 0 s comes back.
      clock.setTo(now + 6_500);
      const report = await service.check();
      expect(report.timestamp).to.equal(new Date(now + 6_000).toISOString());
      expect(port.inspections).to.have.length(7);
    });

    it('should stop reading in the background once nobody has asked for keepFreshForMs', async () => {
      const { clock, port, timer, service } = keptFresh(3_000);
      await service.check();
      for (let second = 1; second <= 5; second += 1) {
        clock.setTo(now + second * 1_000);
        await timer.elapse();
      }
      // Reads at 1 s and 2 s; at 3 s nobody has asked for 3 s, and nothing more is planned.
      expect(port.inspections).to.have.length(3);
      expect(timer.pending).to.equal(0);
      clock.setTo(now + 9_000);
      expect((await service.check()).timestamp).to.equal(new Date(now + 9_000).toISOString());
      expect(timer.pending).to.equal(1);
    });

    it('should not read twice when a request has read a newer report meanwhile, and keep planning from it', async () => {
      const { clock, port, timer, service } = keptFresh();
      await service.check();
      // Past the grace (1,600 ms) a request reads anew while the planned wait is still pending.
      clock.setTo(now + 1_700);
      const newer = await service.check();
      expect(newer.timestamp).to.equal(new Date(now + 1_700).toISOString());
      clock.setTo(now + 2_100);
      await timer.elapse();
      expect(port.inspections).to.have.length(2);
      // It waits for the newer report to expire instead, then reads.
      expect(timer.pending).to.equal(1);
      clock.setTo(now + 2_700);
      await timer.elapse();
      expect(port.inspections).to.have.length(3);
    });

    it('should not put reading ahead off by as long as the clock was set back', async () => {
      const { clock, port, timer, service } = keptFresh();
      await service.check();
      // An hour back before the planned read ahead: no wait of an hour is planned.
      const back = now - 3_600_000;
      clock.setTo(back);
      await timer.elapse();
      expect(Math.max(...timer.asked)).to.be.at.most(1_000);
      const earlier = await service.check();
      expect(earlier.timestamp).to.equal(new Date(back).toISOString());
      // Reading ahead goes on from the new report, within one cache age.
      expect(timer.asked.at(-1)).to.equal(700);
      clock.setTo(back + 1_000);
      await timer.elapse();
      expect(port.inspections).to.have.length(3);
    });

    it('should not read ahead while a read takes less than slowReadMs', async () => {
      const { clock, port, timer, service } = keptFresh();
      port.readMs = slowReadMs - 1;
      await service.check();
      expect(timer.pending).to.equal(0);
      // A slow read: read ahead from then on; fast again: no more.
      clock.setTo(now + 2_000);
      port.readMs = slowReadMs;
      await service.check();
      expect(timer.pending).to.equal(1);
      clock.setTo(now + 3_000);
      port.readMs = 1;
      await timer.elapse();
      expect(port.inspections).to.have.length(3);
      expect(timer.pending).to.equal(0);
    });

    it('should not read in the background after stop, nor with maxAgeMs 0', async () => {
      const { clock, port, timer, service } = keptFresh();
      await service.check();
      service.stop();
      clock.setTo(now + 1_000);
      await timer.elapse();
      expect(port.inspections).to.have.length(1);
      expect(timer.pending).to.equal(0);

      const uncached = new ManualTimer();
      const always = healthService(monitored(queue('a')), port, {
        timer: uncached,
        keepFreshForMs: 10_000,
      });
      await always.check();
      expect(uncached.asked).to.deep.equal([]);
    });
  });

  describe("having quietRefreshMs and the queues' activity", () => {
    const staleAfterMs = defaultHealthThresholds.queue.staleJobAfterMs;

    function watching(port: InMemoryQueuePort, clock: FixedClock, activity: QueueActivity) {
      return healthService(monitored(queue('a'), queue('b')), port, {
        clock,
        samples: { activeJobs: 20, completedJobs: 10 },
        quietRefreshMs: 10_000,
        observers: { activity },
      });
    }

    const depths = (port: InMemoryQueuePort): string[] =>
      (port.inspections.at(-1)?.requests ?? []).map(
        (request) => `${request.name}:${request.depth}`,
      );

    it('should read everything first, then only the queues that had events, deeply', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .set(queueSnapshot({ name: 'b' }));
      const clock = new FixedClock(now);
      const activity = new QueueActivity();
      const service = watching(port, clock, activity);

      await service.check();
      expect(depths(port)).to.deep.equal(['a:deep', 'b:deep']);
      clock.advance(1_000);
      await service.check();
      expect(depths(port)).to.deep.equal(['a:none', 'b:none']);
      activity.touch(['b']);
      clock.advance(1_000);
      await service.check();
      expect(depths(port)).to.deep.equal(['a:none', 'b:deep']);
      activity.touchAll();
      await service.check();
      expect(depths(port)).to.deep.equal(['a:deep', 'b:deep']);
    });

    it("should read a quiet queue's counts again once in every quietRefreshMs, so they are never older", async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .set(queueSnapshot({ name: 'b' }));
      const clock = new FixedClock(now);
      const service = watching(port, clock, new QueueActivity());
      await service.check();
      port.set(queueSnapshot({ name: 'a', isPaused: true, counts: { waiting: 7 } }));
      const readAt = { a: [now], b: [now] };
      for (let step = 0; step < 30; step += 1) {
        clock.advance(1_000);
        const report = await service.check();
        for (const entry of depths(port)) {
          const [name, depth] = entry.split(':') as ['a' | 'b', string];
          expect(depth, entry).to.not.equal('deep');
          if (depth === 'counts') readAt[name].push(clock.now());
        }
        if (readAt.a.length > 1) {
          expect(report.queues[0]?.stats?.waiting).to.equal(7);
          expect(report.queues[0]?.details?.isPaused).to.equal(true);
        }
      }
      for (const times of Object.values(readAt)) {
        expect(times).to.have.length(4);
        const gaps = times.slice(1).map((at, index) => at - times[index]!);
        expect(Math.max(...gaps)).to.be.at.most(10_000);
        expect(gaps.slice(1)).to.deep.equal([10_000, 10_000]);
      }
    });

    it('should spread the re-reads of many quiet queues over the period rather than read them all at once', async () => {
      const names = Array.from({ length: 1_000 }, (_, index) => `tenant-${String(index)}`);
      const port = new InMemoryQueuePort();
      for (const name of names) port.set(queueSnapshot({ name }));
      const clock = new FixedClock(now);
      const service = healthService(monitored(...names.map((name) => queue(name))), port, {
        clock,
        samples: { activeJobs: 20, completedJobs: 10 },
        quietRefreshMs: 10_000,
        observers: { activity: new QueueActivity() },
      });
      await service.check();
      const perCheck: number[] = [];
      for (let step = 0; step < 20; step += 1) {
        clock.advance(1_000);
        await service.check();
        perCheck.push(depths(port).filter((entry) => entry.endsWith(':counts')).length);
      }
      // Every queue once in each 10 s, about a tenth of them per check of a 1 s cadence.
      expect(perCheck.slice(0, 10).reduce((sum, count) => sum + count, 0)).to.equal(1_000);
      expect(perCheck.slice(10).reduce((sum, count) => sum + count, 0)).to.equal(1_000);
      expect(Math.max(...perCheck)).to.be.below(200);
    });

    it('should count events that arrive during a read as news for the next check', async () => {
      const activity = new QueueActivity();
      const port = new (class extends InMemoryQueuePort {
        override inspect(...args: Parameters<InMemoryQueuePort['inspect']>) {
          const reading = super.inspect(...args);
          activity.touch(['a']);
          return reading;
        }
      })().set(queueSnapshot({ name: 'a' }));
      const service = watching(port, new FixedClock(now), activity);
      await service.check();
      await service.check();
      expect(depths(port)).to.deep.equal(['a:deep', 'b:deep']);
    });

    it('should hand out the very verdict of a quiet queue again until what it was judged from changes', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a', counts: { waiting: 3 }, recentProcessingTimesMs: [100] }))
        .set(queueSnapshot({ name: 'b' }));
      const clock = new FixedClock(now);
      const times = new ProcessingTimes(3);
      const activity = new QueueActivity();
      let gapAt: number | null = null;
      const service = healthService(monitored(queue('a'), queue('b')), port, {
        clock,
        samples: { activeJobs: 20, completedJobs: 10 },
        // Neither queue's moment to be read again comes round in this test.
        quietRefreshMs: 3_600_000,
        observers: {
          activity,
          processingTimes: times,
          gaps: {
            lastGapAt: (name) => (name === 'a' ? gapAt : null),
            lastGapReason: () => 'trimmed',
            lastDataLossAt: () => null,
          },
        },
      });
      const entryOf = async (depth = 'none') => {
        clock.advance(1_000);
        const report = await service.check();
        expect(depths(port)).to.deep.equal([`a:${depth}`, 'b:none']);
        return report.queues[0];
      };
      await service.check();
      const first = await entryOf();
      expect(await entryOf()).to.equal(first);

      // Read again, found the same: the same verdict; found changed: judged again. (The first
      // read again no longer asks for the processing times, kept from then on: a new sample.)
      activity.touch(['a']);
      const reread = await entryOf('deep');
      expect(reread).to.deep.equal(first);
      activity.touch(['a']);
      expect(await entryOf('deep')).to.equal(reread);
      port.set(
        queueSnapshot({ name: 'a', counts: { waiting: 4 }, recentProcessingTimesMs: [100] }),
      );
      activity.touch(['a']);
      const moreWaiting = await entryOf('deep');
      expect(moreWaiting).to.not.equal(reread);
      expect(moreWaiting?.stats?.waiting).to.equal(4);
      expect(await entryOf()).to.equal(moreWaiting);

      // Fewer workers, read on every check: judged again.
      port.set(queueSnapshot({ name: 'a', counts: { waiting: 4 }, workerCount: 0 }));
      const noWorkers = await entryOf();
      expect(noWorkers).to.not.equal(moreWaiting);
      expect(noWorkers?.issues.map((issue) => issue.code)).to.deep.equal(['NO_WORKERS']);
      expect(await entryOf()).to.equal(noWorkers);

      // A completion recorded in place: judged again with the new average.
      times.record('a', 300);
      const slower = await entryOf();
      expect(slower?.details?.avgProcessingTime).to.equal(200);
      expect(await entryOf()).to.equal(slower);

      // Lost events: judged at each check's time while the finding shows.
      gapAt = now;
      const gap = await entryOf();
      const later = await entryOf();
      expect(gap?.issues.at(-1)?.message).to.match(/^job events were lost 11 s ago/);
      expect(later?.issues.at(-1)?.message).to.match(/^job events were lost 12 s ago/);
    });

    /** Queue `a` on `port`, every check reading it in full (as with quietRefreshMs 0). */
    const readInFull = (port: InMemoryQueuePort) => {
      const clock = new FixedClock(now);
      const service = healthService(monitored(queue('a')), port, {
        clock,
        samples: { activeJobs: 20, completedJobs: 10 },
      });
      return { clock, entry: async () => (await service.check()).queues[0] };
    };

    it('should hand out the very verdict of a queue with active jobs again until the next one turns stale', async () => {
      const startedAt = now - 1_000;
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', activeStartedAt: [now - staleAfterMs - 1, startedAt] }),
      );
      const { clock, entry } = readInFull(port);
      const first = await entry();
      expect(first?.details?.staleJobs).to.equal(1);
      clock.setTo(startedAt + staleAfterMs - 1);
      expect(await entry()).to.equal(first);
      expect(port.inspections).to.have.length(2);

      clock.setTo(startedAt + staleAfterMs);
      const later = await entry();
      expect(later).to.not.equal(first);
      expect(later?.details?.staleJobs).to.equal(2);
      expect(later?.issues.map((issue) => issue.code)).to.include('STALE_JOBS');
      // Nothing left to turn stale: kept from then on.
      clock.advance(60_000);
      expect(await entry()).to.equal(later);
    });

    it('should judge a queue again when the clock was set back before its verdict was judged', async () => {
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', activeStartedAt: [now - staleAfterMs - 1] }),
      );
      const { clock, entry } = readInFull(port);
      const first = await entry();
      expect(first?.details?.staleJobs).to.equal(1);
      // Nothing left to turn stale, so kept from then on; but ten seconds earlier the job was not
      // yet stale.
      clock.setTo(now - 10_000);
      const earlier = await entry();
      expect(earlier).to.not.equal(first);
      expect(earlier?.details?.staleJobs).to.equal(0);
    });

    it("should take the workers and Redis on every check, and judge at the check's time", async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a', activeStartedAt: [now - staleAfterMs - 1, now - 1_000] }))
        .set(queueSnapshot({ name: 'b' }));
      const clock = new FixedClock(now);
      const service = watching(port, clock, new QueueActivity());
      expect((await service.check()).queues[0]?.details?.staleJobs).to.equal(1);
      port.set(
        queueSnapshot({ name: 'a', workerCount: 0, activeStartedAt: [now - staleAfterMs - 1] }),
      );
      clock.advance(2_000);
      const quiet = await service.check();
      expect(depths(port)).to.deep.equal(['a:none', 'b:none']);
      expect(quiet.queues[0]?.details?.workerCount).to.equal(0);
      expect(quiet.queues[0]?.details?.staleJobs).to.equal(1);
      expect(quiet.timestamp).to.equal(new Date(now + 2_000).toISOString());
    });

    it('should read deeply once the job its active walk stopped at has turned stale', async () => {
      const startedAt = now - 1_000;
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', activeStartedAt: [startedAt] }),
      );
      const clock = new FixedClock(now);
      const service = watching(port, clock, new QueueActivity());
      await service.check();
      clock.setTo(startedAt + staleAfterMs - 1);
      await service.check();
      // Quiet for minutes: counts are read again, the samples are not.
      expect(depths(port)[0]).to.equal('a:counts');
      port.set(queueSnapshot({ name: 'a', activeStartedAt: [startedAt, startedAt + 10] }));
      clock.setTo(startedAt + staleAfterMs);
      const report = await service.check();
      expect(depths(port)[0]).to.equal('a:deep');
      expect(report.queues[0]?.details?.staleJobs).to.equal(1);
    });

    it('should never keep a failed read', async () => {
      const port = new InMemoryQueuePort().set(queueSnapshot({ name: 'a' })).fail('a', 'timed out');
      const service = watching(port, new FixedClock(now), new QueueActivity());
      expect((await service.check()).queues[0]?.status).to.equal('unhealthy');
      port.recover('a');
      expect((await service.check()).queues[0]?.status).to.equal('healthy');
      expect(depths(port)[0]).to.equal('a:deep');
      port.fail('a', 'timed out again');
      await service.check();
      port.recover('a');
      await service.check();
      expect(depths(port)[0]).to.equal('a:deep');
    });

    it('should read everything deeply on every check with quietRefreshMs 0', async () => {
      const port = new InMemoryQueuePort().set(queueSnapshot({ name: 'a' }));
      const service = healthService(monitored(queue('a')), port, {
        samples: { activeJobs: 20, completedJobs: 10 },
        observers: { activity: new QueueActivity() },
      });
      await service.check();
      await service.check();
      expect(depths(port)).to.deep.equal(['a:deep']);
    });
  });

  describe('having processing times kept from completion events', () => {
    it('should read them from Redis once, then follow the recorded completions', async () => {
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', recentProcessingTimesMs: [100, 200] }),
      );
      const times = new ProcessingTimes(3);
      const service = healthService(monitored(queue('a')), port, {
        samples: { activeJobs: 20, completedJobs: 3 },
        observers: { processingTimes: times },
      });
      const asked = (): boolean[] =>
        (port.inspections.at(-1)?.requests ?? []).map((request) => request.processingTimes);
      const average = async (): Promise<number | null | undefined> =>
        (await service.check()).queues[0]?.details?.avgProcessingTime;

      expect(await average()).to.equal(150);
      expect(asked()).to.deep.equal([true]);

      times.record('a', 600);
      expect(await average()).to.equal(300);
      expect(asked()).to.deep.equal([false]);
      times.record('a', 900);
      expect(await average()).to.equal(567);

      // Completions may have been missed: the next read asks Redis again.
      times.forgetAll();
      expect(await average()).to.equal(150);
      expect(asked()).to.deep.equal([true]);
    });
  });

  describe('.readiness', () => {
    it('should be ready only when Redis answers', async () => {
      const probe = new StaticRedisProbe();
      const service = healthService(monitored(), new InMemoryQueuePort(), { probe });
      expect(await service.readiness()).to.deep.equal({ ready: true, redis: 'connected' });
      probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'down' };
      expect(await service.readiness()).to.deep.equal({ ready: false, redis: 'reconnecting' });
    });
  });
});
