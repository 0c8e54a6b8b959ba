import { expect } from 'chai';
import { inBatches } from '../../../src/application/batches/in-batches.js';

describe('inBatches', () => {
  it('should run at most `size` at once and answer in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 23 }, (_, index) => index);
    const results = await inBatches(items, 5, async (item) => {
      running += 1;
      most = Math.max(most, running);
      // Later items finish first within a batch: the order must come from the items.
      await new Promise((resolve) => setTimeout(resolve, (5 - (item % 5)) * 2));
      running -= 1;
      return item * 10;
    });
    expect(results).to.deep.equal(items.map((item) => item * 10));
    expect(most).to.equal(5);
  });

  it('should answer nothing for no items, and pass a failure on', async () => {
    expect(await inBatches([], 5, () => Promise.resolve(1))).to.deep.equal([]);
    let failure: unknown;
    await inBatches([1, 2], 1, (item) =>
      item === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(item),
    ).catch((error: unknown) => {
      failure = error;
    });
    expect((failure as Error).message).to.equal('boom');
  });
});
