import { expect } from 'chai';
import {
  JobLogFollower,
  type JobLogSink,
} from '../../../src/application/console/job-log-follower.js';
import type { JobLogPayload } from '../../../src/application/contract/socket-events.js';
import type { JobBrowser } from '../../../src/application/ports/job-browser.port.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { ScriptedDiscovery } from '../../support/fake-ports.js';
import { ManualTimer } from '../../support/manual-timer.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** Job logs in memory; counts the reads. */
class Logs implements Pick<JobBrowser, 'logs'> {
  readonly lines = new Map<string, string[]>();
  reads = 0;
  logs(queueName: string, jobId: string, offset: number, limit: number) {
    this.reads += 1;
    const all = this.lines.get(`${queueName}/${jobId}`);
    return Promise.resolve(
      all ? { lines: all.slice(offset, offset + limit), total: all.length } : null,
    );
  }
}

class RecordingSink implements JobLogSink {
  readonly sent: { to: readonly string[]; payload: JobLogPayload }[] = [];
  send(to: readonly string[], payload: JobLogPayload): void {
    this.sent.push({ to: [...to], payload });
  }
}

const settings = {
  priority: 'medium' as const,
  thresholds: defaultHealthThresholds.queue,
  failureThreshold: defaultFailureThreshold,
};
const queues = new MonitoredQueues(
  {
    configured: [{ name: 'work', ...settings }],
    discover: false,
    defaults: settings,
    excluded: [],
  },
  new ScriptedDiscovery(),
  new RecordingLogger(),
);

describe('JobLogFollower', () => {
  let logs: Logs;
  let sink: RecordingSink;
  let timer: ManualTimer;
  let follower: JobLogFollower;

  beforeEach(() => {
    logs = new Logs();
    sink = new RecordingSink();
    timer = new ManualTimer();
    follower = new JobLogFollower(queues, logs, timer, sink, new RecordingLogger(), {
      intervalMs: 1_000,
      maxLines: 2,
      perSubscriber: 2,
    });
  });

  describe('.follow', () => {
    it('should send the lines from the offset at once, then only new lines on each tick', async () => {
      logs.lines.set('work/1', ['a', 'b', 'c']);
      expect(await follower.follow('s1', 'work', '1', 1)).to.deep.equal({
        ok: true,
        changed: true,
        count: 1,
      });
      expect(sink.sent).to.deep.equal([
        { to: ['s1'], payload: { queueName: 'work', jobId: '1', offset: 1, lines: ['b', 'c'] } },
      ]);
      await follower.tick();
      expect(sink.sent).to.have.length(1);
      logs.lines.get('work/1')?.push('d', 'e', 'f');
      await follower.tick();
      await follower.tick();
      expect(
        sink.sent.slice(1).map((each) => [each.payload.offset, each.payload.lines]),
      ).to.deep.equal([
        [3, ['d', 'e']],
        [5, ['f']],
      ]);
    });

    it('should give a second follower only the lines before the place of the first, then the same new lines', async () => {
      logs.lines.set('work/1', ['a', 'b']);
      await follower.follow('s1', 'work', '1', 0);
      await follower.follow('s2', 'work', '1', 1);
      expect(sink.sent[1]).to.deep.equal({
        to: ['s2'],
        payload: { queueName: 'work', jobId: '1', offset: 1, lines: ['b'] },
      });
      logs.lines.get('work/1')?.push('c');
      await follower.tick();
      expect(sink.sent[2]?.to).to.deep.equal(['s1', 's2']);
      expect(sink.sent[2]?.payload).to.include({ offset: 2 });
    });

    it('should refuse a queue it does not watch, and more jobs than a subscriber may follow', async () => {
      expect(await follower.follow('s1', 'other', '1', 0)).to.include({
        ok: false,
        code: 'QW_INVALID_PAYLOAD',
      });
      await follower.follow('s1', 'work', '1', 0);
      await follower.follow('s1', 'work', '2', 0);
      expect(await follower.follow('s1', 'work', '3', 0)).to.include({
        ok: false,
        code: 'QW_SUBSCRIPTION_LIMIT',
      });
      expect(await follower.follow('s1', 'work', '1', 0)).to.deep.equal({
        ok: true,
        changed: false,
        count: 2,
      });
    });
  });

  describe('having no follower left', () => {
    it('should stop its timer and read nothing more', async () => {
      logs.lines.set('work/1', ['a']);
      await follower.follow('s1', 'work', '1', 0);
      await follower.follow('s2', 'work', '1', 0);
      expect(timer.periods).to.deep.equal([1_000]);
      expect(follower.unfollow('s1', 'work', '1')).to.deep.equal({
        ok: true,
        changed: true,
        count: 0,
      });
      expect(follower.unfollow('s1', 'work', '1')).to.deep.equal({
        ok: true,
        changed: false,
        count: 0,
      });
      expect(timer.periods).to.deep.equal([1_000]);
      follower.forget('s2');
      expect(timer.periods).to.deep.equal([]);
      expect(follower.size).to.equal(0);
      const reads = logs.reads;
      timer.tick(1_000);
      await follower.tick();
      expect(logs.reads).to.equal(reads);
    });
  });
});
