import { expect } from 'chai';
import type { JobBrowser, JobLocation } from '../../../src/application/ports/job-browser.port.js';
import { JobResume } from '../../../src/application/progress/job-resume.js';
import type { JobStatus } from '../../../src/application/queues/job-status.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { InMemoryQueuePort, ScriptedDiscovery } from '../../support/fake-ports.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const settings = {
  priority: 'medium' as const,
  thresholds: defaultHealthThresholds.queue,
  failureThreshold: defaultFailureThreshold,
};
const queues = new MonitoredQueues(
  {
    configured: [
      { name: 'orders', ...settings },
      { name: 'emails', ...settings },
    ],
    discover: false,
    defaults: settings,
    excluded: [],
  },
  new ScriptedDiscovery(),
  new RecordingLogger(),
);

/** Where jobs are, by id; records which queues each lookup asked about. */
class Locations implements Pick<JobBrowser, 'locate'> {
  readonly asked: (readonly string[])[] = [];
  constructor(private readonly found: Record<string, JobLocation[]>) {}
  locate(queueNames: readonly string[], jobId: string): Promise<JobLocation[]> {
    this.asked.push(queueNames);
    return Promise.resolve(this.found[jobId] ?? []);
  }
}

function job(fields: Partial<JobStatus> & Pick<JobStatus, 'id' | 'queueName' | 'state'>) {
  return {
    name: 'charge',
    progress: 40,
    attemptsMade: 1,
    failedReason: null,
    processedOn: 1_000,
    finishedOn: null,
    processingTime: null,
    ...fields,
  } satisfies JobStatus;
}

describe('JobResume', () => {
  const port = new InMemoryQueuePort()
    .setJob(
      job({
        id: 'done',
        queueName: 'orders',
        state: 'completed',
        finishedOn: 1_250,
        processingTime: 250,
        returnValue: { charged: true },
      }),
    )
    .setJob(
      job({
        id: 'declined',
        queueName: 'emails',
        state: 'failed',
        failedReason: 'card declined',
        attemptsMade: 3,
        finishedOn: 2_000,
      }),
    )
    .setJob(job({ id: 'running', queueName: 'orders', state: 'active' }))
    .setJob(job({ id: 'retrying', queueName: 'orders', state: 'delayed', failedReason: 'boom' }));
  const clock = new FixedClock(9_000);

  it("should answer a completed job's completion, addressed to its rooms, stamped when it finished", async () => {
    const resume = new JobResume(queues, port, new Locations({}), clock);
    const [delivery, ...rest] = await resume.missed('done', 'orders');
    expect(rest).to.deep.equal([]);
    expect(delivery).to.deep.include({ name: 'job-completed', coalesce: false });
    expect(delivery?.payload).to.deep.equal({
      jobId: 'done',
      queueName: 'orders',
      processingTime: 250,
      timestamp: 1_250,
      returnValue: { charged: true },
    });
    expect(delivery?.rooms).to.include('job:orders:done');
  });

  it("should answer a failed job's final failure, and nothing for a job still running or to be retried", async () => {
    const resume = new JobResume(queues, port, new Locations({}), clock);
    expect((await resume.missed('declined', 'emails')).map((d) => d.payload)).to.deep.equal([
      {
        jobId: 'declined',
        queueName: 'emails',
        failedReason: 'card declined',
        attemptsMade: 3,
        willRetry: false,
        timestamp: 2_000,
      },
    ]);
    expect(await resume.missed('running', 'orders')).to.deep.equal([]);
    expect(await resume.missed('retrying', 'orders')).to.deep.equal([]);
    expect(await resume.missed('gone', 'orders')).to.deep.equal([]);
  });

  it('should look the id up in every watched queue when none is named, and never read an unwatched one', async () => {
    const locations = new Locations({
      done: [{ queueName: 'orders', state: 'completed' }],
      declined: [{ queueName: 'emails', state: 'failed' }],
    });
    const resume = new JobResume(queues, port, locations, clock);
    expect((await resume.missed('done', null)).map((d) => d.name)).to.deep.equal(['job-completed']);
    expect(locations.asked.map((names) => [...names].sort())).to.deep.equal([['emails', 'orders']]);
    expect(await resume.missed('done', 'elsewhere')).to.deep.equal([]);
    expect(locations.asked, 'a named queue needs no lookup').to.have.length(1);
  });
});
