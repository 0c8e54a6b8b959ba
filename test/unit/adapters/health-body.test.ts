import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type {
  HealthReportBody,
  QueueHealthBody,
} from '../../../src/application/contract/health.js';
import { encode } from '../../../src/adapters/http/routes/health-routes.js';

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

describe('health body encoding', () => {
  for (const queues of [0, 1, 500, 1_201]) {
    it(`should encode a report of ${String(queues)} queues to the bytes JSON.stringify makes, tagged by them`, async () => {
      const input = report(queues);
      const expected = Buffer.from(JSON.stringify(input));
      const { bytes, etag } = await encode(input);
      expect(bytes.equals(expected)).to.equal(true);
      const digest = createHash('sha1').update(expected).digest('base64url');
      expect(etag).to.equal(`W/"${expected.length.toString(16)}-${digest}"`);
    });
  }

  it('should encode a report whose queue entries an earlier report carried as JSON.stringify does, whatever their order', async () => {
    const first = report(1_201);
    await encode(first);
    // The next report: the same entries, two replaced, one gone, in another order.
    const kept = first.queues.slice(1).reverse();
    kept[3] = { ...kept[3], status: 'unhealthy' } as QueueHealthBody;
    const [head] = first.queues;
    if (!head) throw new Error('the report has no queues');
    kept.push({ ...head, queueName: 'new' });
    const next = { ...first, queues: kept };
    const { bytes, etag } = await encode(next);
    expect(bytes.toString()).to.equal(JSON.stringify(next));
    expect(etag).to.not.equal((await encode(first)).etag);
  });

  it('should leave out a part of the report that is undefined, as JSON.stringify does', async () => {
    const input = { ...report(2), issues: undefined } as unknown as HealthReportBody;
    const { bytes } = await encode(input);
    expect(bytes.toString()).to.equal(JSON.stringify(input));
  });
});
