import { once } from 'node:events';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import {
  eventsLost,
  readStreamInfos,
  type StreamInfo,
} from '../../src/adapters/bullmq/stream-info.js';
import { useRedisServer } from '../support/redis-harness.js';

/** What XINFO STREAM says of `key`, asked alone: the reference the batched read must match. */
async function askedAlone(connection: Redis, key: string): Promise<StreamInfo> {
  const reply = (await connection.xinfo('STREAM', key)) as unknown[];
  const fields = new Map<string, unknown>();
  for (let at = 0; at + 1 < reply.length; at += 2) fields.set(String(reply[at]), reply[at + 1]);
  const first = fields.get('first-entry');
  return {
    length: Number(fields.get('length')),
    lastGeneratedId: String(fields.get('last-generated-id')),
    entriesAdded: Number(fields.get('entries-added')),
    firstId: Array.isArray(first) ? String(first[0]) : null,
  };
}

describe('readStreamInfos (real Redis)', () => {
  const redis = useRedisServer();
  let connection: Redis;

  beforeEach(async () => {
    connection = new Redis(redis().url);
    if (connection.status !== 'ready') await once(connection, 'ready');
    await connection.flushall();
  });
  afterEach(() => {
    connection.disconnect();
  });

  it('should read hundreds of streams as XINFO STREAM does, each in its place', async () => {
    // 250 keys over three script calls: every fifth a stream with its own number of entries, one
    // trimmed, one emptied, one of another type, the rest missing.
    const keys = Array.from({ length: 250 }, (_, index) => `bull:tenant-${String(index)}:events`);
    const streams = keys.filter((_, index) => index % 5 === 0);
    for (const [position, key] of streams.entries()) {
      for (let entry = 0; entry <= position % 7; entry += 1) {
        await connection.xadd(key, '*', 'event', 'progress', 'n', String(entry));
      }
    }
    const trimmed = 'bull:tenant-6:events';
    for (let entry = 0; entry < 6; entry += 1) await connection.xadd(trimmed, '*', 'n', '1');
    await connection.xtrim(trimmed, 'MAXLEN', 2);
    const emptied = 'bull:tenant-11:events';
    const onlyId = await connection.xadd(emptied, '*', 'n', '1');
    await connection.xdel(emptied, onlyId ?? '');
    const wrongType = 'bull:tenant-16:events';
    await connection.set(wrongType, 'not a stream');

    const infos = await readStreamInfos(connection, keys);

    expect(infos).to.have.length(keys.length);
    for (const [index, key] of keys.entries()) {
      const type = await connection.type(key);
      const expected = type === 'stream' ? await askedAlone(connection, key) : null;
      if (type === 'string') expect(infos[index], key).to.equal('error');
      else expect(infos[index], key).to.deep.equal(expected);
    }
    expect(infos[6]).to.include({ length: 2, entriesAdded: 6 });
    expect(infos[11]).to.include({ length: 0, firstId: null, lastGeneratedId: onlyId });
  });

  it('should let gap detection see what trimming took', async () => {
    const key = 'bull:orders:events';
    const ids: string[] = [];
    for (let entry = 0; entry < 5; entry += 1) {
      ids.push((await connection.xadd(key, '*', 'n', String(entry))) ?? '');
    }
    await connection.xtrim(key, 'MAXLEN', 2);
    const [info] = await readStreamInfos(connection, [key]);
    if (info === undefined || info === null || info === 'error') throw new Error('no info');
    expect(eventsLost(info, ids[1] ?? '')).to.equal(true);
    expect(eventsLost(info, ids[3] ?? '')).to.equal(false);
    expect(eventsLost(info, '0-0')).to.equal(true);
  });

  it('should answer nothing for no streams, without asking Redis', async () => {
    connection.disconnect();
    expect(await readStreamInfos(connection, [])).to.deep.equal([]);
  });
});
