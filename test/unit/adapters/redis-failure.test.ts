import { expect } from 'chai';
import { Cluster, Redis, ReplyError } from 'ioredis';
import { redisFailureOf } from '../../../src/adapters/redis/redis-failure.js';

/** An error as Redis replies it (ioredis's ReplyError, untyped in its declarations). */
const reply = (message: string): Error =>
  new (ReplyError as unknown as new (text: string) => Error)(message);

describe('redisFailureOf', () => {
  it('should call a command without an answer in time a timeout', () => {
    expect(redisFailureOf(new Error('Command timed out'))).to.equal('timeout');
  });

  it('should call an out-of-memory, read-only or loading reply a refusal, and other replies none', () => {
    for (const message of [
      "OOM command not allowed when used memory > 'maxmemory'.",
      "READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
    ]) {
      expect(redisFailureOf(reply(message)), message).to.equal('refused');
    }
    expect(redisFailureOf(reply('ERR wrong number of arguments'))).to.equal(null);
  });

  it('should call a command sent with no connection unavailable, as ioredis reports it', async () => {
    const offline = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    let failure: unknown;
    try {
      await offline.get('anything');
    } catch (error) {
      failure = error;
    } finally {
      offline.disconnect();
    }
    expect(failure).to.be.instanceOf(Error);
    expect(redisFailureOf(failure)).to.equal('unavailable');
  });

  it('should call a cluster that no node answers for unavailable, as ioredis reports it', async () => {
    const cluster = new Cluster(['127.0.0.1:1'], {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
    });
    const reported: Error[] = [];
    cluster.on('error', (error: Error) => reported.push(error));
    let failure: unknown;
    try {
      await cluster.get('anything');
    } catch (error) {
      failure = error;
    } finally {
      cluster.disconnect();
    }
    expect(redisFailureOf(failure)).to.equal('unavailable');
    // What the cluster client emits meanwhile (BullMQ hands it on as a worker's error).
    expect(reported.map((error) => error.message)).to.include('Failed to refresh slots cache.');
    for (const error of reported) expect(redisFailureOf(error)).to.equal('unavailable');
  });

  it('should leave errors of other kinds alone', () => {
    expect(redisFailureOf(new TypeError('x is undefined'))).to.equal(null);
    expect(redisFailureOf('a string')).to.equal(null);
  });
});
