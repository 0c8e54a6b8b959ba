import { expect } from 'chai';
import { ProgressConnection } from '../../web/src/socket/progress-connection.js';
import type { ProgressEvent, Subscription } from '../../web/src/socket/progress-event.js';
import { fakeSockets } from './support/fake-socket.js';
import { nth } from './support/nth.js';

const job: Subscription = { kind: 'job', jobId: 'job-1', queueName: 'lab' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ProgressConnection', () => {
  describe('having several holders', () => {
    it('should open one socket for all of them and close it when the last one lets go', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const first = connection.acquire({});
      const second = connection.acquire({});
      expect(sockets.opened).to.have.length(1);
      first.release();
      expect(nth(sockets.opened, 0).closed).to.equal(false);
      second.release();
      expect(nth(sockets.opened, 0).closed).to.equal(true);
      expect(nth(sockets.opened, 0).listenerCount).to.equal(0);
      expect(connection.holderCount).to.equal(0);
    });

    it('should send a subscription once, and unsubscribe only when its last holder lets go', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const first = connection.acquire({});
      const second = connection.acquire({});
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      first.subscribe(job);
      second.subscribe(job);
      expect(socket.requests('subscribe-to-job')).to.deep.equal([
        { jobId: 'job-1', queueName: 'lab' },
      ]);
      first.release();
      expect(socket.requests('unsubscribe-from-job')).to.deep.equal([]);
      second.unsubscribe(job);
      expect(socket.requests('unsubscribe-from-job')).to.deep.equal([
        { jobId: 'job-1', queueName: 'lab' },
      ]);
    });
  });

  describe('having subscriptions when the socket reconnects', () => {
    it('should send them again and tell their holders once acknowledged', async () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const acknowledged: Subscription[] = [];
      const lease = connection.acquire({ onSubscribed: (s) => acknowledged.push(s) });
      lease.subscribe(job);
      lease.subscribe({ kind: 'queue', queueName: '*' });
      const socket = nth(sockets.opened, 0);
      expect(socket.sent, 'nothing is sent before the socket connects').to.deep.equal([]);
      socket.serverConnects();
      await settle();
      socket.drops();
      expect(connection.state).to.deep.equal({
        connected: false,
        error: 'connection lost (transport close)',
      });
      socket.serverConnects();
      await settle();
      // Again after the reconnect, resuming: an ending missed meanwhile is sent.
      expect(socket.requests('subscribe-to-job')).to.deep.equal([
        { jobId: 'job-1', queueName: 'lab' },
        { jobId: 'job-1', queueName: 'lab', resume: true },
      ]);
      expect(socket.requests('subscribe-to-queue')).to.deep.equal([
        { queueName: '*' },
        { queueName: '*' },
      ]);
      expect(acknowledged.filter((s) => s.kind === 'job')).to.have.length(2);
      expect(connection.state).to.deep.equal({ connected: true, error: null });
    });
  });

  describe('when the gateway refuses a subscription', () => {
    it('should show its message and not tell the holder it is subscribed', async () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const acknowledged: Subscription[] = [];
      const lease = connection.acquire({ onSubscribed: (s) => acknowledged.push(s) });
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      socket.refuseNext(
        'QW_SUBSCRIPTION_LIMIT',
        'a connection may hold at most 1000 subscriptions',
      );
      lease.subscribe(job);
      lease.subscribe({ kind: 'queue', queueName: 'lab' });
      await settle();
      expect(connection.state).to.deep.equal({
        connected: true,
        error: 'a connection may hold at most 1000 subscriptions',
      });
      expect(acknowledged).to.deep.equal([{ kind: 'queue', queueName: 'lab' }]);
    });
  });

  describe('having batched delivery', () => {
    it("should hand a batch's events to every holder one by one, in the batch's order", () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const first: ProgressEvent[] = [];
      const second: ProgressEvent[] = [];
      connection.acquire({ onEvent: (event) => first.push(event) }).subscribe(job);
      connection.acquire({ onEvent: (event) => second.push(event) });
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      socket.push('events', [
        ['job-progress', { jobId: 'job-1', queueName: 'lab', progress: 50, timestamp: 1 }],
        [
          'job-failed',
          {
            jobId: 'job-1',
            queueName: 'lab',
            failedReason: 'boom',
            attemptsMade: 1,
            willRetry: true,
            timestamp: 2,
          },
        ],
        ['job-completed', { jobId: 'job-1', queueName: 'lab', processingTime: 9, timestamp: 3 }],
      ]);
      expect(first.map((event) => event.type)).to.deep.equal([
        'job-progress',
        'job-failed',
        'job-completed',
      ]);
      expect(first[2]).to.deep.equal({
        type: 'job-completed',
        payload: { jobId: 'job-1', queueName: 'lab', processingTime: 9, timestamp: 3 },
      });
      expect(second).to.deep.equal(first);
    });

    it('should stop listening for batches once the last holder lets go', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory);
      const events: ProgressEvent[] = [];
      const lease = connection.acquire({ onEvent: (event) => events.push(event) });
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      lease.release();
      socket.push('events', [
        ['job-progress', { jobId: 'job-1', queueName: 'lab', progress: 1, timestamp: 1 }],
      ]);
      expect(events).to.deep.equal([]);
      expect(socket.listenerCount).to.equal(0);
    });
  });

  describe('.setToken', () => {
    it('should connect the same socket again with the new token', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory, { token: null });
      const events: ProgressEvent[] = [];
      const lease = connection.acquire({ onEvent: (event) => events.push(event) });
      lease.subscribe(job);
      const socket = nth(sockets.opened, 0);
      expect(socket.token).to.equal(null);
      socket.refuses('unauthorized: missing token', 'QW_UNAUTHORIZED');
      connection.setToken('a-token-of-16-chars');
      expect(sockets.opened, 'no second socket').to.have.length(1);
      expect(socket.connectCalls).to.equal(1);
      expect(socket.token).to.equal('a-token-of-16-chars');
      socket.serverConnects();
      expect(socket.requests('subscribe-to-job')).to.have.length(1);
      socket.push('job-progress', { jobId: 'job-1', queueName: 'lab', progress: 5, timestamp: 1 });
      expect(events).to.have.length(1);
    });

    it('should disconnect a connected socket first, so the server sees the new token', () => {
      const sockets = fakeSockets();
      const connection = new ProgressConnection(sockets.factory, { token: 'old-token-0123456789' });
      connection.acquire({});
      const socket = nth(sockets.opened, 0);
      socket.serverConnects();
      connection.setToken('new-token-0123456789');
      expect(socket.closed).to.equal(false);
      expect(socket.connectCalls).to.equal(1);
      expect(connection.state.connected).to.equal(false);
      expect(socket.token).to.equal('new-token-0123456789');
    });
  });

  describe('when the gateway refuses the socket for its token', () => {
    it('should report the error and ask for a token', () => {
      const sockets = fakeSockets();
      const reasons: string[] = [];
      const connection = new ProgressConnection(sockets.factory, {
        onUnauthorized: (reason) => reasons.push(reason),
      });
      connection.acquire({});
      nth(sockets.opened, 0).refuses('unauthorized: missing token', 'QW_UNAUTHORIZED');
      expect(connection.state).to.deep.equal({
        connected: false,
        error: 'unauthorized: missing token',
      });
      expect(reasons).to.deep.equal(['unauthorized: missing token']);
    });

    it('should not ask for a token when the connection failed for another reason', () => {
      const sockets = fakeSockets();
      const reasons: string[] = [];
      const connection = new ProgressConnection(sockets.factory, {
        onUnauthorized: (reason) => reasons.push(reason),
      });
      connection.acquire({});
      nth(sockets.opened, 0).refuses('xhr poll error');
      expect(reasons).to.deep.equal([]);
    });
  });
});
