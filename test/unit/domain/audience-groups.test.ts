import { expect } from 'chai';
import {
  AudienceGroups,
  roomsFor,
  SubscriptionSet,
  type Delivery,
} from '../../../src/domain/subscriptions/index.js';

const event = (queueName: string, jobId: string, value: number): Delivery => ({
  name: 'job-progress',
  payload: value,
  rooms: roomsFor(queueName, jobId),
  jobKey: `${queueName}:${jobId}`,
  coalesce: true,
});

describe('AudienceGroups', () => {
  describe('.join', () => {
    it('should give the same group to the same rooms in any order, and none to no room', () => {
      const groups = new AudienceGroups();
      const first = groups.join(['queue:alpha', 'job:alpha:1']);
      const second = groups.join(['job:alpha:1', 'queue:alpha', 'queue:alpha']);
      expect(second).to.equal(first);
      expect(first?.name).to.match(/^batch:\d+$/);
      expect([...(first?.rooms ?? [])]).to.have.members(['queue:alpha', 'job:alpha:1']);
      expect(groups.join([])).to.equal(null);
      expect(groups.size).to.equal(1);
    });
  });

  describe('.leave', () => {
    it('should forget a group with its last member, and name a new one afresh', () => {
      const groups = new AudienceGroups();
      const group = groups.join(['all'])!;
      groups.join(['all']);
      groups.leave(group);
      expect(groups.size).to.equal(1);
      groups.leave(group);
      expect(groups.size).to.equal(0);
      expect(groups.batches([event('alpha', '1', 1)]).size).to.equal(0);
      expect(groups.join(['all'])?.name).to.not.equal(group.name);
    });
  });

  describe('.batches', () => {
    it('should give each group its share of the deliveries, in order, each once', () => {
      const groups = new AudienceGroups();
      const subscriptions = new SubscriptionSet(10);
      subscriptions.subscribeJob('1', 'alpha');
      subscriptions.subscribeJob('1', null);
      subscriptions.subscribeQueue('alpha');
      subscriptions.subscribeQueue('*');
      const everything = groups.join(subscriptions.rooms())!;
      const jobTwo = groups.join(['job:alpha:2'])!;
      const beta = groups.join(['queue:beta'])!;
      const deliveries = [
        event('alpha', '1', 1),
        event('alpha', '2', 1),
        event('alpha', '1', 2),
        event('gamma', '3', 1),
      ];

      const batches = groups.batches(deliveries);

      expect(batches.get(everything)).to.deep.equal(deliveries);
      expect(batches.get(jobTwo)).to.deep.equal([deliveries[1]]);
      expect(batches.has(beta)).to.equal(false);
      // Nothing is left over for the next tick.
      expect(groups.batches([deliveries[1]!]).get(everything)).to.deep.equal([deliveries[1]]);
    });
  });
});
