import { expect } from 'chai';
import type { CustomProgressMessage } from '../../../src/application/contract/socket-events.js';
import type {
  EventGap,
  JobEventSource,
} from '../../../src/application/ports/job-event-source.port.js';
import { WritesStoppedError } from '../../../src/application/writes/pending-writes.js';
import { Watcher, type WatcherParts } from '../../../src/application/watch/watcher.js';
import type { JobEvent } from '../../../src/domain/job-events/job-event.js';
import { ScriptedDiscovery } from '../../support/fake-ports.js';
import { ManualTimer } from '../../support/manual-timer.js';
import { paymentsOnly } from '../../support/payments-watch.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';

/** An event source the test drives: it says what was followed and tells what it is told. */
class ScriptedEventSource implements JobEventSource {
  readonly followed: [string[], string][] = [];
  started = false;
  stopped = false;
  private readonly eventListeners: ((event: JobEvent) => void | Promise<void>)[] = [];
  private readonly activityListeners: ((queues: readonly string[] | 'all') => void)[] = [];
  private readonly gapListeners: ((gap: EventGap) => void)[] = [];

  follow(queueNames: readonly string[], from: 'now' | 'beginning' = 'now'): void {
    this.followed.push([[...queueNames], from]);
  }
  onEvent(listener: (event: JobEvent) => void | Promise<void>): void {
    this.eventListeners.push(listener);
  }
  onActivity(listener: (queues: readonly string[] | 'all') => void): void {
    this.activityListeners.push(listener);
  }
  onGap(listener: (gap: EventGap) => void): void {
    this.gapListeners.push(listener);
  }
  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  /** Tell every event listener; return what they returned. */
  tell(event: JobEvent): (void | Promise<void>)[] {
    return this.eventListeners.map((listener) => listener(event));
  }
  activity(queues: readonly string[] | 'all'): void {
    for (const listener of this.activityListeners) listener(queues);
  }
  gap(gap: EventGap): void {
    for (const listener of this.gapListeners) listener(gap);
  }
}

class ScriptedCustomProgress {
  listener: ((message: CustomProgressMessage) => void) | undefined;
  stopped = false;
  start(listener: (message: CustomProgressMessage) => void): Promise<void> {
    this.listener = listener;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

const failed: JobEvent = {
  kind: 'failed',
  queueName: 'payments',
  jobId: '1',
  eventId: '1-0',
  failedReason: 'boom',
  attemptsMade: 1,
  willRetry: false,
  at: 1,
};
const completed: JobEvent = {
  kind: 'completed',
  queueName: 'payments',
  jobId: '2',
  returnValue: undefined,
  processingTime: 40,
  at: 2,
};
const progress: JobEvent = {
  kind: 'progress',
  queueName: 'payments',
  jobId: '3',
  progress: 5,
  at: 3,
};

function setup(
  work: { recorded?: Promise<void>; noticed?: Promise<void> } = {},
  queues: MonitoredQueues = paymentsOnly(),
) {
  const calls: string[] = [];
  const reads: [string, number][] = [];
  const events = new ScriptedEventSource();
  const customProgress = new ScriptedCustomProgress();
  const timer = new ManualTimer();
  const parts: WatcherParts = {
    events,
    customProgress,
    queues,
    relay: {
      relayJobEvent: (event) => calls.push(`relay ${event.kind}`),
      relayCustomProgress: (message) => calls.push(`relay custom ${message.jobId}`),
    },
    deadLetters: {
      record: (event) => {
        calls.push(`record ${event.jobId}`);
        return work.recorded ?? Promise.resolve();
      },
    },
    rules: {
      observe: (event) => {
        calls.push(`observe ${event.kind}`);
        return event.kind === 'failed' ? work.noticed : undefined;
      },
      evaluateAll: () => {
        calls.push('evaluate all');
        return Promise.resolve();
      },
    },
    processingTimes: {
      record: (queueName, ms) => calls.push(`processing time ${queueName} ${String(ms)}`),
      forgetAll: () => calls.push('forget processing times'),
    },
    activity: {
      touch: (names) => calls.push(`touch ${[...names].join(',')}`),
      touchAll: () => calls.push('touch all'),
    },
    gaps: { record: (gap) => calls.push(`gap ${gap.queueName}`) },
    retention: {
      prune: () => {
        calls.push('prune');
        return Promise.resolve(0);
      },
    },
    metrics: { eventRead: (queueName, lagSeconds) => reads.push([queueName, lagSeconds]) },
    // Events are written at 1, 2 and 3 ms; read at 1.5 s.
    clock: new FixedClock(1_500),
    timer,
    logger: new RecordingLogger(),
  };
  const watcher = new Watcher(parts, {
    discoveryIntervalMs: 30_000,
    evaluateIntervalMs: 5_000,
    pruneIntervalMs: 60_000,
  });
  return { calls, reads, events, customProgress, timer, watcher };
}

describe('Watcher', () => {
  describe('.start', () => {
    it('should follow the watched queues from now, start reading, take custom progress and start its timers', async () => {
      const { events, customProgress, timer, watcher, calls } = setup();
      await watcher.start(true);
      expect(events.followed).to.deep.equal([[['payments'], 'now']]);
      expect(events.started).to.equal(true);
      customProgress.listener?.({ queueName: 'payments', jobId: '9', data: { step: 1 } });
      expect(calls).to.include('relay custom 9');
      expect(timer.periods).to.deep.equal([30_000, 5_000, 60_000]);
      expect(calls).to.include('prune');
    });
  });

  describe('an event', () => {
    it('should reach the relay, the dead-letter recorder and the rules, and give back the work to wait for', async () => {
      let recordDone = (): void => undefined;
      const recorded = new Promise<void>((resolve) => {
        recordDone = resolve;
      });
      const { events, calls } = setup({ recorded });
      const [work] = events.tell(failed);
      expect(calls).to.deep.equal(['relay failed', 'record 1', 'observe failed']);
      let settled = false;
      void (work as Promise<void>).then(() => (settled = true));
      await Promise.resolve();
      expect(settled, 'settled before the record was written').to.equal(false);
      recordDone();
      await work;
      expect(settled).to.equal(true);
    });

    it('should count each event read, with how long after Redis wrote it', () => {
      const { events, reads } = setup();
      void events.tell(failed);
      void events.tell(progress);
      expect(reads).to.deep.equal([
        ['payments', 1.499],
        ['payments', 1.497],
      ]);
    });

    it('should keep a completion processing time and give back no work for plain events', () => {
      const { events, calls } = setup();
      expect(events.tell(completed)).to.deep.equal([undefined]);
      expect(events.tell(progress)).to.deep.equal([undefined]);
      expect(calls).to.deep.equal([
        'relay completed',
        'processing time payments 40',
        'observe completed',
        'relay progress',
        'observe progress',
      ]);
    });

    it('should let work cut short by a stop end quietly, and pass other failures on', async () => {
      const stoppedRun = setup({ recorded: Promise.reject(new WritesStoppedError()) });
      await stoppedRun.events.tell(failed)[0];
      const failedRun = setup({ recorded: Promise.reject(new Error('a bug')) });
      let passedOn: unknown;
      try {
        await failedRun.events.tell(failed)[0];
      } catch (error) {
        passedOn = error;
      }
      expect(String(passedOn)).to.contain('a bug');
    });
  });

  describe('losing track of events', () => {
    it('should touch only the named queues on activity', () => {
      const { events, calls } = setup();
      events.activity(['payments']);
      expect(calls).to.deep.equal(['touch payments']);
    });

    it('should touch every queue and forget processing times on a gap, and record the gap', () => {
      const { events, calls } = setup();
      events.gap({
        queueName: 'payments',
        reason: 'trimmed',
        lastReadId: '1-0',
        resumedAtId: '9-0',
        detectedAt: 10,
      });
      expect(calls).to.deep.equal(['gap payments', 'touch all', 'forget processing times']);
    });

    it('after start-up, should also look for queues again and read a new one from its beginning', async () => {
      const discovery = new ScriptedDiscovery();
      const queues = new MonitoredQueues(
        {
          configured: [],
          discover: true,
          defaults: {
            priority: 'medium',
            thresholds: defaultHealthThresholds.queue,
            failureThreshold: defaultFailureThreshold,
          },
          excluded: [],
        },
        discovery,
        new RecordingLogger(),
      );
      const { events, calls, watcher } = setup({}, queues);
      await watcher.start(true);
      discovery.answer = ['orders'];
      events.activity('all');
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls).to.include.members(['touch all', 'forget processing times']);
      expect(events.followed.at(-1)).to.deep.equal([['orders'], 'beginning']);
    });
  });

  describe('timers', () => {
    it('should evaluate the rules on their cadence, and stop everything on stop', async () => {
      const { events, customProgress, timer, watcher, calls } = setup();
      await watcher.start(true);
      timer.tick(5_000);
      expect(calls).to.include('evaluate all');
      await watcher.stop();
      expect(timer.periods).to.deep.equal([]);
      expect(events.stopped).to.equal(true);
      expect(customProgress.stopped).to.equal(true);
    });
  });
});
