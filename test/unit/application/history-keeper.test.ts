import { expect } from 'chai';
import type {
  HistoryProgress,
  HistoryRecording,
  HistoryStore,
} from '../../../src/application/ports/history-store.port.js';
import { HistoryKeeper } from '../../../src/application/history/history-keeper.js';
import { QueueActivity } from '../../../src/application/health/queue-activity.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer } from '../../support/manual-timer.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/**
 * A store that counts the queues it is asked to record and answers what the test scripted for
 * each, else "done"; `failNext` makes a whole call fail.
 */
class CountingStore implements Pick<HistoryStore, 'record'> {
  readonly calls: string[] = [];
  readonly callSizes: number[] = [];
  /** Per call, the queues asked to take their readings. */
  readonly readingsTaken: string[][] = [];
  readonly answers = new Map<string, (HistoryProgress | Error)[]>();
  failNext: Error | null = null;

  record(queues: readonly HistoryRecording[]): Promise<(HistoryProgress | Error)[]> {
    this.callSizes.push(queues.length);
    this.readingsTaken.push(queues.filter((queue) => queue.takeReadings).map((q) => q.queueName));
    for (const { queueName } of queues) this.calls.push(queueName);
    if (this.failNext) {
      const failure = this.failNext;
      this.failNext = null;
      return Promise.reject(failure);
    }
    return Promise.resolve(
      queues.map(
        ({ queueName }) =>
          this.answers.get(queueName)?.shift() ?? { counted: 0, more: false, missed: false },
      ),
    );
  }

  /** The queues called since the last take, sorted. */
  take(): string[] {
    return this.calls.splice(0).sort();
  }
}

describe('HistoryKeeper', () => {
  const names = ['a', 'b'];
  let store: CountingStore;
  let clock: FixedClock;
  let activity: QueueActivity;

  beforeEach(() => {
    store = new CountingStore();
    clock = new FixedClock(1_000_000);
    activity = new QueueActivity();
  });

  /** Quiet queues re-recorded hourly unless a test is about that: none falls due meanwhile. */
  function keeper(withActivity: boolean, quietRefreshMs = 3_600_000): HistoryKeeper {
    return new HistoryKeeper(
      {
        store: store as unknown as HistoryStore,
        queues: { names: () => names },
        queuePort: { inspect: () => Promise.resolve([]) },
        timer: new ManualTimer(),
        clock,
        logger: new RecordingLogger(),
        ...(withActivity ? { activity } : {}),
      },
      { intervalMs: 1_000, workersIntervalMs: 15_000, callsPerRound: 3, quietRefreshMs },
    );
  }

  /** One round, `ms` after the last. */
  async function round(subject: HistoryKeeper, ms = 1_000): Promise<string[]> {
    clock.advance(ms);
    await subject.recordAll();
    return store.take();
  }

  it('should record every queue every round when it cannot know which had events', async () => {
    const subject = keeper(false);
    expect(await round(subject)).to.deep.equal(['a', 'b']);
    expect(await round(subject)).to.deep.equal(['a', 'b']);
  });

  it('should record a quiet queue again once in every quietRefreshMs, at a moment of its own', async () => {
    const subject = keeper(true, 10_000);
    expect(await round(subject)).to.deep.equal(['a', 'b']);
    const recordedAt = new Map<string, number[]>([
      ['a', [clock.now()]],
      ['b', [clock.now()]],
    ]);
    for (let second = 1; second <= 30; second += 1) {
      for (const name of await round(subject)) recordedAt.get(name)?.push(clock.now());
    }
    for (const times of recordedAt.values()) {
      expect(times).to.have.length(4);
      const gaps = times.slice(1).map((at, index) => at - times[index]!);
      expect(Math.max(...gaps)).to.be.at.most(10_000);
      expect(gaps.slice(1)).to.deep.equal([10_000, 10_000]);
    }
  });

  it('should record a queue at the next round after a job event touched it', async () => {
    const subject = keeper(true);
    await round(subject);
    activity.touch(['b']);
    expect(await round(subject)).to.deep.equal(['b']);
    expect(await round(subject)).to.deep.equal([]);
    activity.touchAll();
    expect(await round(subject)).to.deep.equal(['a', 'b']);
  });

  it('should count a touch that came while the queue was being recorded at the next round', async () => {
    const subject = keeper(true);
    const original = store.record.bind(store);
    store.record = (queues: readonly HistoryRecording[]) => {
      // An event read while the call is under way: it may have come after the script's read.
      if (queues.some((queue) => queue.queueName === 'a')) activity.touch(['a']);
      return original(queues);
    };
    await round(subject);
    store.record = original;
    expect(await round(subject)).to.deep.equal(['a']);
  });

  it('should record the queues due in one call, and call again only for those with more to count', async () => {
    const subject = keeper(true);
    store.answers.set('b', [{ counted: 100, more: true, missed: false }]);
    expect(await round(subject)).to.deep.equal(['a', 'b', 'b']);
    expect(store.callSizes).to.deep.equal([2, 1]);
    // The readings once a round: the call that goes on counting b does not take them again.
    expect(store.readingsTaken).to.deep.equal([['a', 'b'], []]);
    store.answers.set('b', [{ counted: 100, more: true, missed: false }]);
    activity.touch(['b']);
    expect(await round(subject)).to.deep.equal(['b', 'b']);
    expect(store.readingsTaken.slice(2)).to.deep.equal([['b'], []]);
  });

  it('should record every queue of a call that failed as a whole again next round, and go on', async () => {
    const logger = new RecordingLogger();
    const subject = new HistoryKeeper(
      {
        store: store as unknown as HistoryStore,
        queues: { names: () => names },
        queuePort: { inspect: () => Promise.resolve([]) },
        timer: new ManualTimer(),
        clock,
        logger,
        activity,
      },
      { intervalMs: 1_000, workersIntervalMs: 15_000, callsPerRound: 3, quietRefreshMs: 3_600_000 },
    );
    store.failNext = new Error('Redis is away');
    expect(await round(subject)).to.deep.equal(['a', 'b']);
    expect(logger.lines.filter((line) => line.level === 'warn')).to.have.length(2);
    expect(await round(subject)).to.deep.equal(['a', 'b']);
    expect(await round(subject)).to.deep.equal([]);
  });

  it('should go on next round with a queue that had more to count, or whose call failed', async () => {
    const subject = keeper(true);
    store.answers.set('a', [
      { counted: 100, more: true, missed: false },
      { counted: 100, more: true, missed: false },
      { counted: 100, more: true, missed: false },
    ]);
    store.answers.set('b', [new Error('Redis is away')]);
    // Three calls for a (the most per round), one for b.
    expect(await round(subject)).to.deep.equal(['a', 'a', 'a', 'b']);
    expect(await round(subject)).to.deep.equal(['a', 'b']);
    expect(await round(subject)).to.deep.equal([]);
  });
});
