import { expect } from 'chai';
import { Redis } from 'ioredis';
import { FiringSweeper } from '../../src/application/alerting/firing-sweeper.js';
import { RedisFiringAlerts } from '../../src/adapters/redis/redis-firing-alerts.js';
import type { Alert, MemberAlert } from '../../src/domain/alerting/alert.js';
import { FixedClock } from '../support/fixed-clock.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';

const hour = 3_600_000;

function paused(queue: string): MemberAlert {
  return {
    id: `queue-paused/${queue}/1`,
    status: 'firing',
    severity: 'low',
    title: `${queue} is paused`,
    message: 'm',
    rule: 'queue-paused',
    labels: { rule: 'queue-paused', severity: 'low', queue },
    values: {},
    link: null,
    context: { queueName: queue },
    startsAt: new Date(0).toISOString(),
  };
}

describe('FiringSweeper (real Redis)', () => {
  const redis = useRedisServer();

  it('should resolve, through the dispatcher, only the firing alerts nobody took in for two repeat intervals and a minute', async () => {
    const connection = new Redis(redis().url);
    try {
      await connection.flushall();
      const firing = new RedisFiringAlerts(connection);
      const now = 10 * hour;
      // Left over: the instance that fired it stopped while it cleared.
      await firing.put('queue-paused/orders', paused('orders'), now - 2 * hour - 60_001);
      // Still stood behind: taken in again at its last repeat.
      await firing.put('queue-paused/emails', paused('emails'), now - 2 * hour - 59_999);
      const resolved: [string, Alert][] = [];
      const sweeper = new FiringSweeper(
        firing,
        {
          resolved: async (incidentKey, alert) => {
            resolved.push([incidentKey, alert]);
            await firing.remove(incidentKey);
          },
        },
        new FixedClock(now),
        new RecordingLogger(),
        hour,
      );
      expect(await sweeper.sweep()).to.deep.equal(['queue-paused/orders']);
      expect(
        resolved.map(([key, alert]) => [key, alert.id, alert.status, alert.endsAt]),
      ).to.deep.equal([
        ['queue-paused/orders', 'queue-paused/orders/1', 'resolved', new Date(now).toISOString()],
      ]);
      expect((await firing.all()).map((entry) => entry.incidentKey)).to.deep.equal([
        'queue-paused/emails',
      ]);
      expect(await sweeper.sweep(), 'nothing left over the second time').to.deep.equal([]);
    } finally {
      connection.disconnect();
    }
  });
});
