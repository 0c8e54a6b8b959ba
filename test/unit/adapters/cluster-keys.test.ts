import { expect } from 'chai';
import { createRequire } from 'node:module';
import { hashTagOf, queuewatchKeyRoot } from '../../../src/adapters/redis/cluster-keys.js';

const calculateSlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

describe('cluster keys', () => {
  it('should read a hash tag as Redis Cluster does: the first {…} that is not empty', () => {
    expect(hashTagOf('{bull}')).to.equal('bull');
    expect(hashTagOf('app:{jobs}:x')).to.equal('jobs');
    expect(hashTagOf('{a}{b}')).to.equal('a');
    expect(hashTagOf('a{b{c}d}')).to.equal('b{c');
    for (const untagged of ['bull', '{}bull', '{bull', 'bull}', '}{']) {
      expect(hashTagOf(untagged), untagged).to.equal(null);
    }
  });

  it("should put Queuewatch's keys in the queues' slot on a cluster, and leave them as they are on one Redis", () => {
    expect(queuewatchKeyRoot('bull', false)).to.equal('queuewatch');
    const root = queuewatchKeyRoot('app:{jobs}', true);
    expect(root).to.equal('queuewatch:{jobs}');
    expect(calculateSlot(`${root}:alerts:group:state:default{queue="payments"}`)).to.equal(
      calculateSlot('app:{jobs}:payments:events'),
    );
    expect(() => queuewatchKeyRoot('bull', true)).to.throw('has no hash tag');
  });
});
