import { act, renderHook, waitFor } from '@testing-library/react';
import { expect } from 'chai';
import type {
  JobCompletedPayload,
  JobFailedPayload,
  JobProgressPayload,
  JobStatusBody,
} from '../../src/application/contract/index.js';
import { useJobProgress } from '../../web/src/hooks/use-job-progress.js';
import { fakeFetch, type FakeAnswer } from './support/fake-fetch.js';
import { nth } from './support/nth.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

const pollIntervalMs = 20;
const jobUrl = '/api/v1/queues/lab/jobs/j1';

function status(overrides: Partial<JobStatusBody>): JobStatusBody {
  return {
    id: 'j1',
    queueName: 'lab',
    name: 'lab-job',
    state: 'active',
    progress: 0,
    attemptsMade: 0,
    failedReason: null,
    processedOn: 1_000,
    finishedOn: null,
    processingTime: null,
    ...overrides,
  };
}

const notFound: FakeAnswer = {
  status: 404,
  body: { error: { code: 'QW_NOT_FOUND', message: 'no such job' } },
};

/** The hook on fake sockets and a fake API whose answer for j1 the test sets. */
function setup() {
  let answer: FakeAnswer = notFound;
  const api = fakeFetch((request) => (request.url === jobUrl ? answer : notFound));
  const fake = connectionOnFakeSockets();
  const heard = {
    progress: [] as unknown[],
    completed: [] as JobCompletedPayload[],
    failed: [] as JobFailedPayload[],
  };
  const hook = renderHook(
    () =>
      useJobProgress({
        onJobProgress: (data: JobProgressPayload) => heard.progress.push(data.progress),
        onJobCompleted: (data) => heard.completed.push(data),
        onJobFailed: (data) => heard.failed.push(data),
        pollIntervalMs,
      }),
    { wrapper: fake.wrapper },
  );
  const answerJob = (next: JobStatusBody) => {
    answer = { status: 200, body: next };
  };
  const jobReads = () => api.requests.filter((request) => request.url === jobUrl).length;
  return { ...fake, hook, heard, answerJob, jobReads, api };
}

const progressOf = (progress: unknown) => ({
  jobId: 'j1',
  queueName: 'lab',
  progress,
  timestamp: 1,
});

describe('useJobProgress', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  describe('while the socket is up', () => {
    it('should subscribe through the shared socket and deliver only its own jobs', async () => {
      const t = setup();
      restore = t.api.restore;
      act(() => {
        t.socket().serverConnects();
      });
      expect(t.hook.result.current.isConnected).to.equal(true);
      act(() => {
        t.hook.result.current.subscribeToJob('j1', 'lab');
      });
      expect(t.socket().requests('subscribe-to-job')).to.deep.equal([
        { jobId: 'j1', queueName: 'lab' },
      ]);
      await act(async () => {
        t.socket().push('job-progress', progressOf(40));
        t.socket().push('job-progress', { ...progressOf(99), jobId: 'someone-elses' });
        await Promise.resolve();
      });
      expect(t.heard.progress).to.deep.equal([40]);
    });

    it('should share one socket between every hook of the page', () => {
      const fake = connectionOnFakeSockets();
      renderHook(() => [useJobProgress(), useJobProgress()], { wrapper: fake.wrapper });
      expect(fake.opened).to.have.length(1);
      expect(fake.connection.holderCount).to.equal(2);
    });

    it('should read a job once subscribed, so that what happened before is not missed', async () => {
      const t = setup();
      restore = t.api.restore;
      t.answerJob(
        status({ state: 'completed', progress: 100, finishedOn: 3_000, processingTime: 2_000 }),
      );
      act(() => {
        t.socket().serverConnects();
        t.hook.result.current.subscribeToJob('j1', 'lab');
      });
      await waitFor(() => {
        expect(t.heard.completed).to.have.length(1);
      });
      expect(nth(t.heard.completed, 0).processingTime).to.equal(2_000);
      expect(t.heard.progress).to.deep.equal([100]);
    });
  });

  describe('when the socket goes down', () => {
    it('should poll every interval, then stop once the socket is back and resubscribe', async () => {
      const t = setup();
      restore = t.api.restore;
      act(() => {
        t.socket().serverConnects();
        t.hook.result.current.subscribeToJob('j1', 'lab');
      });
      act(() => {
        t.socket().drops();
      });
      expect(t.hook.result.current).to.include({
        isConnected: false,
        error: 'connection lost (transport close)',
      });
      t.answerJob(status({ progress: 30 }));
      await waitFor(() => {
        expect(t.heard.progress).to.deep.equal([30]);
      });
      t.answerJob(status({ progress: 60 }));
      await waitFor(() => {
        expect(t.heard.progress).to.deep.equal([30, 60]);
      });
      act(() => {
        t.socket().serverConnects();
      });
      expect(t.socket().requests('subscribe-to-job')).to.have.length(2);
      // The read that follows the new subscription's acknowledgement is the last one.
      await waitFor(() => {
        expect(t.jobReads()).to.be.greaterThan(0);
      });
      const readsWhenBack = t.jobReads();
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs * 6));
      expect(t.jobReads()).to.be.at.most(readsWhenBack + 1);
      t.socket().push('job-progress', progressOf(90));
      await waitFor(() => {
        expect(t.heard.progress).to.deep.equal([30, 60, 90]);
      });
    });

    it('should deliver a state change once when it is both pushed and polled', async () => {
      const t = setup();
      restore = t.api.restore;
      act(() => {
        t.socket().serverConnects();
        t.hook.result.current.subscribeToJob('j1', 'lab');
      });
      await act(async () => {
        t.socket().push('job-progress', progressOf(50));
        await Promise.resolve();
      });
      t.answerJob(status({ progress: 50 }));
      act(() => {
        t.socket().drops();
      });
      const before = t.jobReads();
      await waitFor(() => {
        expect(t.jobReads()).to.be.at.least(before + 2);
      });
      expect(t.heard.progress).to.deep.equal([50]);
      t.answerJob(status({ state: 'failed', progress: 50, attemptsMade: 1, failedReason: 'boom' }));
      await waitFor(() => {
        expect(t.heard.failed).to.have.length(1);
      });
      const afterFailure = t.jobReads();
      await waitFor(() => {
        expect(t.jobReads()).to.be.at.least(afterFailure + 2);
      });
      expect(t.heard.failed.map((failure) => failure.failedReason)).to.deep.equal(['boom']);
      expect(t.heard.progress).to.deep.equal([50]);
    });
  });

  describe('.unsubscribeFromJob and .cleanup', () => {
    it('should stop delivering the job and tell the server', async () => {
      const t = setup();
      restore = t.api.restore;
      act(() => {
        t.socket().serverConnects();
        t.hook.result.current.subscribeToJob('j1', 'lab');
        t.hook.result.current.subscribeToJob('j2', 'lab');
      });
      act(() => {
        t.hook.result.current.unsubscribeFromJob('j2', 'lab');
      });
      expect(t.socket().requests('unsubscribe-from-job')).to.deep.equal([
        { jobId: 'j2', queueName: 'lab' },
      ]);
      act(() => {
        t.hook.result.current.cleanup();
      });
      expect(t.socket().requests('unsubscribe-from-job')).to.have.length(2);
      await act(async () => {
        t.socket().push('job-progress', progressOf(10));
        await Promise.resolve();
      });
      expect(t.heard.progress).to.deep.equal([]);
    });
  });

  describe('on unmount', () => {
    it('should give back the socket and its subscriptions', () => {
      const t = setup();
      restore = t.api.restore;
      act(() => {
        t.socket().serverConnects();
        t.hook.result.current.subscribeToJob('j1', 'lab');
      });
      t.hook.unmount();
      expect(t.socket().requests('unsubscribe-from-job')).to.have.length(1);
      expect(t.socket().closed).to.equal(true);
      expect(t.socket().listenerCount).to.equal(0);
      expect(t.connection.holderCount).to.equal(0);
    });
  });
});
