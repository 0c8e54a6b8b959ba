import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import sinon from 'sinon';
import type {
  HealthReportBody,
  QueueHealthBody,
} from '../../../src/application/contract/health.js';
import {
  HealthBodyEncoder,
  type EncodedBody,
} from '../../../src/adapters/http/routes/health-body.js';

function report(queues: number): HealthReportBody {
  const body = (index: number): QueueHealthBody =>
    ({
      queueName: `tenant-${String(index)} "quoted" \u00e9\u2603`,
      status: index % 7 === 0 ? 'degraded' : 'healthy',
      stats: { waiting: index, active: 1, completed: 2, failed: 3, delayed: 0, paused: 0 },
      details: null,
      issues:
        index % 7 === 0
          ? [{ severity: 'warning', code: 'STALE', message: `<b>${String(index)}</b>` }]
          : [],
    }) as unknown as QueueHealthBody;
  return {
    status: 'degraded',
    timestamp: '2026-12-01T13:00:00.000Z',
    redis: { status: 'healthy', issues: [] },
    queues: Array.from({ length: queues }, (_, index) => body(index)),
    summary: { totalQueues: queues },
    issues: [],
  } as unknown as HealthReportBody;
}

const bytesOf = (body: EncodedBody): Buffer => Buffer.concat(body.chunks);

/** The body as sent, plain and gzipped, checked against JSON.stringify. */
async function expectEncoded(encoder: HealthBodyEncoder, input: HealthReportBody) {
  const body = await encoder.encode(input);
  const expected = Buffer.from(JSON.stringify(input));
  expect(bytesOf(body).toString()).to.equal(expected.toString());
  expect(body.length).to.equal(expected.length);
  expect(gunzipSync(body.gzipped()).equals(expected)).to.equal(true);
  return body;
}

describe('health body encoding', () => {
  for (const queues of [0, 1, 500, 1_201]) {
    it(`should encode a report of ${String(queues)} queues to the bytes JSON.stringify makes, plain and gzipped`, async () => {
      await expectEncoded(new HealthBodyEncoder(), report(queues));
    });
  }

  it('should tag equal bodies alike and any change apart, whatever was encoded before', async () => {
    const input = report(1_201);
    const fresh = await new HealthBodyEncoder().encode(input);
    const encoder = new HealthBodyEncoder();
    await encoder.encode(report(3));
    expect((await encoder.encode(input)).etag).to.equal(fresh.etag);
    expect(fresh.etag).to.match(/^W\/"[0-9a-f]+-[\w-]+"$/);
    const tags = new Set([fresh.etag]);
    const changed = [
      { ...input, timestamp: '2026-12-01T13:00:01.000Z' },
      { ...input, queues: input.queues.slice(0, -1) },
      {
        ...input,
        queues: input.queues.map((queue, index) =>
          index === 700 ? { ...queue, status: 'unhealthy' } : queue,
        ),
      },
    ] as HealthReportBody[];
    for (const next of changed) tags.add((await encoder.encode(next)).etag);
    expect(tags.size).to.equal(4);
  });

  it('should encode a report whose queue entries an earlier report carried as JSON.stringify does, whatever their order', async () => {
    const encoder = new HealthBodyEncoder();
    const first = report(1_201);
    const before = await expectEncoded(encoder, first);
    // The same entries: the runs of 500 are kept, not encoded again.
    const same = await expectEncoded(encoder, { ...first, timestamp: 'later' });
    expect(same.chunks[1]).to.equal(before.chunks[1]);
    expect(same.chunks[3]).to.equal(before.chunks[3]);
    // Two replaced, one gone, one added, in another order.
    const kept = first.queues.slice(1).reverse();
    kept[3] = { ...kept[3], status: 'unhealthy' } as QueueHealthBody;
    const [head] = first.queues;
    if (!head) throw new Error('the report has no queues');
    kept.push({ ...head, queueName: 'new' });
    const next = await expectEncoded(encoder, { ...first, queues: kept });
    expect(next.etag).to.not.equal(before.etag);
  });

  it('should encode again only the entries of a changed run that are new, keeping the JSON of the last report alone', async () => {
    const encoder = new HealthBodyEncoder();
    const first = report(1_201);
    await expectEncoded(encoder, first);
    const changed = (queues: readonly QueueHealthBody[]): QueueHealthBody[] =>
      queues.map((queue, index) => (index === 700 ? { ...queue, status: 'unhealthy' } : queue));
    const second = { ...first, queues: changed(first.queues) };
    const stringify = sinon.spy(JSON, 'stringify');
    const stringified = (): unknown[] => stringify.getCalls().map((call): unknown => call.args[0]);
    try {
      await encoder.encode(second);
      // The new entry, then the report's six member names and its five members but `queues`.
      expect(stringified().filter((value) => value === second.queues[700])).to.have.length(1);
      expect(stringify.callCount).to.equal(1 + 6 + 5);
      // The first report again: the entry it had at 700 is encoded anew (only the last report's
      // JSON is kept), its other entries are the second's and keep theirs.
      stringify.resetHistory();
      await encoder.encode(first);
      const entries: readonly unknown[] = first.queues;
      expect(stringified().filter((value) => entries.includes(value))).to.deep.equal([
        first.queues[700],
      ]);
    } finally {
      stringify.restore();
    }
    await expectEncoded(encoder, second);
  });

  it('should leave out a part of the report that is undefined, as JSON.stringify does', async () => {
    const encoder = new HealthBodyEncoder();
    await expectEncoded(encoder, {
      ...report(2),
      issues: undefined,
    } as unknown as HealthReportBody);
    await expectEncoded(encoder, {
      ...report(2),
      queues: undefined,
    } as unknown as HealthReportBody);
    await expectEncoded(encoder, {} as unknown as HealthReportBody);
  });
});
