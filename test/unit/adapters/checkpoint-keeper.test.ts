import { expect } from 'chai';
import { CheckpointKeeper } from '../../../src/adapters/bullmq/checkpoint-keeper.js';
import type { CheckpointStore } from '../../../src/application/ports/checkpoint-store.port.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A store that keeps what it was last asked to save. */
class KeptStore implements CheckpointStore {
  saved: Record<string, string> | null = null;
  load(): Promise<Map<string, string>> {
    return Promise.resolve(new Map<string, string>());
  }
  save(positions: ReadonlyMap<string, string>): Promise<void> {
    this.saved = Object.fromEntries(positions);
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
});
