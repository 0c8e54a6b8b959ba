import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BullmqJobBrowser } from '../../src/adapters/bullmq/bullmq-job-browser.js';
import { useRedisServer } from '../support/redis-harness.js';

/** Names a JSON array must escape or carry as UTF-8, beside a plain one. */
const oddNames = ['quote"d', 'back\\slash', 'ünïcødé ✓', 'tab\tname'];

describe('BullmqJobBrowser.locate (real Redis, real BullMQ)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  const queues: Queue[] = [];

  beforeEach(() => {
    connection = new Redis(redis().url, { maxRetriesPerRequest: 1 });
  });

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    connection.disconnect();
  });

  function queue(name: string): Queue {
    const made = new Queue(name, { connection: { url: redis().url } });
    queues.push(made);
    return made;
  }

  it('should find a job in queues whose names JSON escapes, each with its state', async function () {
    this.timeout(20_000);
    const browser = new BullmqJobBrowser(connection, 'bull');
    const names = ['plain', ...oddNames];
    for (const name of oddNames) await queue(name).add('job', {}, { jobId: 'same-id' });
    await queue(oddNames[1] ?? '').add('delayed one', {}, { jobId: 'later', delay: 60_000 });
    const found = await browser.locate(names, 'same-id');
    expect(found).to.deep.equal(oddNames.map((queueName) => ({ queueName, state: 'waiting' })));
    expect(await browser.locate(names, 'later')).to.deep.equal([
      { queueName: oddNames[1], state: 'delayed' },
    ]);
    expect(await browser.locate(names, 'nowhere')).to.deep.equal([]);
    expect(await browser.locate([], 'same-id')).to.deep.equal([]);
  });

  it('should follow the watched queues as they change between lookups', async function () {
    this.timeout(20_000);
    const browser = new BullmqJobBrowser(connection, 'bull');
    await queue('first').add('job', {}, { jobId: 'j1' });
    await queue('second').add('job', {}, { jobId: 'j1' });
    expect(await browser.locate(['first'], 'j1')).to.deep.equal([
      { queueName: 'first', state: 'waiting' },
    ]);
    // Same length, other queue: the queues' keys are made again, not reused.
    expect(await browser.locate(['second'], 'j1')).to.deep.equal([
      { queueName: 'second', state: 'waiting' },
    ]);
    // A queue added (as discovery does): found in both, positions mapped to the right names.
    const both = await browser.locate(['nothing-here', 'second', 'first'], 'j1');
    expect(both).to.deep.equal([
      { queueName: 'second', state: 'waiting' },
      { queueName: 'first', state: 'waiting' },
    ]);
  });
});
