import { expect } from 'chai';
import type {
  HistoryProgress,
  HistoryStore,
} from '../../../src/application/ports/history-store.port.js';
import { HistoryKeeper } from '../../../src/application/history/history-keeper.js';
import { QueueActivity } from '../../../src/application/health/queue-activity.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer } from '../../support/manual-timer.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A store that counts its calls per queue and answers what the test scripted, else "done". */
class CountingStore implements Pick<HistoryStore, 'record'> {
  readonly calls: string[] = [];
  readonly answers = new Map<string, (HistoryProgress | Error)[]>();

  record(queueName: string): Promise<HistoryProgress> {
    this.calls.push(queueName);
    const answer = this.answers.get(queueName)?.shift() ?? {
      counted: 0,
      more: false,
      missed: false,
    };
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
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
    store.record = (queueName: string) => {
      // An event read while the call is under way: it may have come after the script's read.
      if (queueName === 'a') activity.touch(['a']);
      return original(queueName);
    };
    await round(subject);
    store.record = original;
    expect(await round(subject)).to.deep.equal(['a']);
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
