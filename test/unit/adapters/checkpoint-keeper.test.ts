import { expect } from 'chai';
import { CheckpointKeeper } from '../../../src/adapters/bullmq/checkpoint-keeper.js';
import type { CheckpointStore } from '../../../src/application/ports/checkpoint-store.port.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A store that keeps what it was asked to save, as a hash (HSET): later saves overwrite. */
class KeptStore implements CheckpointStore {
  saved: Record<string, string> | null = null;
  /** What each save was asked to write, oldest first. */
  readonly saves: Record<string, string>[] = [];
  failNext = false;
  private saved$: (() => void)[] = [];
  /** Resolves once the store is next asked to save, whether that save succeeds or not. */
  nextSave(): Promise<void> {
    return new Promise((resolve) => this.saved$.push(resolve));
  }
  load(): Promise<Map<string, string>> {
    return Promise.resolve(new Map<string, string>());
  }
  save(positions: ReadonlyMap<string, string>): Promise<void> {
    for (const resolve of this.saved$.splice(0)) setImmediate(resolve);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('READONLY'));
    }
    this.saves.push(Object.fromEntries(positions));
    this.saved = { ...this.saved, ...Object.fromEntries(positions) };
    return Promise.resolve();
  }
}

/** A piece of listener work that finishes when told. */
function pendingWork(): { work: Promise<void>; finish: () => void } {
  let finish: () => void = () => undefined;
  const work = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { work, finish };
}

describe('CheckpointKeeper', () => {
  it('should not save past a batch whose work is unfinished, nor the moves of batches read after it', async () => {
    const store = new KeptStore();
    const keeper = new CheckpointKeeper(store, 100, new FixedClock(0), new RecordingLogger());
    keeper.batchRead(new Map([['a', '1-0']]), []);
    keeper.batchRead(new Map([['a', '2-0']]), [pendingWork().work]);
    keeper.batchRead(new Map([['b', '3-0']]), []);
    await keeper.stop();
    expect(store.saved).to.deep.equal({ a: '1-0' });
  });

  it('should save every move of the batches read behind it once its work is done', async () => {
    const store = new KeptStore();
    const keeper = new CheckpointKeeper(store, 100, new FixedClock(0), new RecordingLogger());
    keeper.batchRead(new Map([['a', '1-0']]), []);
    const stuck = pendingWork();
    keeper.batchRead(new Map([['a', '2-0']]), [stuck.work]);
    // Batches without work behind the stuck one: their moves wait for it, in order.
    keeper.batchRead(new Map([['b', '3-0']]), []);
    keeper.batchRead(new Map([['a', '4-0']]), []);
    keeper.batchRead(new Map([['c', '5-0']]), []);
    stuck.finish();
    await stuck.work;
    await keeper.stop();
    expect(store.saved).to.deep.equal({ a: '4-0', b: '3-0', c: '5-0' });
  });

  it('should write only the positions that moved since the last save, and again those of a save that failed', async () => {
    const store = new KeptStore();
    // Saves at most once a second: each step is a second later, so each save is due at once.
    const clock = new FixedClock(10_000);
    const keeper = new CheckpointKeeper(store, 100, clock, new RecordingLogger());
    let saved = store.nextSave();
    keeper.batchRead(
      new Map([
        ['a', '1-0'],
        ['b', '1-0'],
        ['c', '1-0'],
      ]),
      [],
    );
    await saved;
    clock.advance(1_000);
    saved = store.nextSave();
    store.failNext = true;
    keeper.batchRead(new Map([['b', '2-0']]), []);
    await saved;
    clock.advance(1_000);
    keeper.batchRead(new Map([['c', '3-0']]), []);
    await keeper.stop();
    expect(store.saves).to.deep.equal([
      { a: '1-0', b: '1-0', c: '1-0' },
      { b: '2-0', c: '3-0' },
    ]);
    expect(store.saved).to.deep.equal({ a: '1-0', b: '2-0', c: '3-0' });
  });
});
