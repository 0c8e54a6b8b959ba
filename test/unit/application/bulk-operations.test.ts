import { expect } from 'chai';
import { BulkOperations } from '../../../src/application/console/bulk-operations.js';
import { ConsoleCommands } from '../../../src/application/console/console-commands.js';
import type { OperationBody } from '../../../src/application/contract/console.js';
import type {
  BulkJobControl,
  Chunk,
  FilteredChunk,
} from '../../../src/application/ports/bulk-job-control.port.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { ScriptedDiscovery } from '../../support/fake-ports.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { InMemoryAuditTrail } from '../../support/in-memory-audit-trail.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** Bulk steps that each wait for the test to let them end, with what they changed. */
class GatedBulkControl implements BulkJobControl {
  readonly gates: ((chunk: Chunk) => void)[] = [];
  readonly skips: number[] = [];

  count(): Promise<number> {
    return Promise.resolve(1_500);
  }
  retryFailed(): Promise<Chunk> {
    return new Promise((resolve) => this.gates.push(resolve));
  }
  retryMatching(
    _queue: string,
    _filter: unknown,
    _before: number,
    skip: number,
  ): Promise<FilteredChunk> {
    this.skips.push(skip);
    return new Promise((resolve) =>
      this.gates.push((chunk) => {
        resolve({ ...chunk, passed: 10 });
      }),
    );
  }
  promoteDelayed(): Promise<Chunk> {
    return Promise.reject(new Error('Redis went away'));
  }
  clean(): Promise<Chunk> {
    return new Promise((resolve) => this.gates.push(resolve));
  }

  /** End the step that is waiting, once it waits. */
  async release(chunk: Chunk): Promise<void> {
    for (let turn = 0; turn < 100 && this.gates.length === 0; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const gate = this.gates.shift();
    if (!gate) throw new Error('no step is waiting');
    gate(chunk);
  }
}

function setup() {
  const control = new GatedBulkControl();
  const trail = new InMemoryAuditTrail();
  const published: OperationBody[] = [];
  const queues = new MonitoredQueues(
    {
      configured: [
        {
          name: 'work',
          priority: 'medium',
          thresholds: defaultHealthThresholds.queue,
          failureThreshold: defaultFailureThreshold,
        },
      ],
      discover: false,
      defaults: {
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: defaultFailureThreshold,
      },
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
  const clock = new FixedClock(1_700_000_000_000);
  const commands = new ConsoleCommands(trail, clock, new RecordingLogger(), false);
  let next = 0;
  const operations = new BulkOperations(
    queues,
    control,
    commands,
    { publish: (operation) => published.push(operation) },
    clock,
    { delay: () => Promise.resolve() },
    () => `op-${String((next += 1))}`,
    { chunk: { start: 500, min: 500, max: 500, targetMs: 3, restRatio: 0 }, keepFinished: 2 },
  );
  return { control, trail, published, operations, queues };
}

const operator = { name: 'ci', role: 'operator' } as const;

async function ended(operations: BulkOperations, id: string): Promise<OperationBody> {
  for (let turn = 0; turn < 100; turn += 1) {
    const body = operations.get(id);
    if (body && body.status !== 'running') return body;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`operation ${id} did not end`);
}

/** Failed jobs retried in chunks, each costing the clock 0.1 ms a job; the sizes asked, kept. */
class PacedBulkControl extends GatedBulkControl {
  readonly asked: number[] = [];
  private left = 3_000;

  constructor(private readonly clock: FixedClock) {
    super();
  }

  override retryFailed(_queue?: string, _before?: number, max = 0): Promise<Chunk> {
    this.asked.push(max);
    const changed = Math.min(max, this.left);
    this.left -= changed;
    this.clock.advance(changed * 0.1);
    return Promise.resolve({ changed, more: this.left > 0 });
  }
}

describe(BulkOperations.name, () => {
  describe('.start', () => {
    it('should fit each chunk to the time the last ones took', async () => {
      const clock = new FixedClock(1_700_000_000_000);
      const control = new PacedBulkControl(clock);
      const rests: number[] = [];
      const operations = new BulkOperations(
        setup().queues,
        control,
        new ConsoleCommands(new InMemoryAuditTrail(), clock, new RecordingLogger(), false),
        { publish: () => undefined },
        clock,
        {
          delay: (ms) => {
            rests.push(ms);
            return Promise.resolve();
          },
        },
        () => 'op-1',
        { chunk: { start: 50, min: 10, max: 1_000, targetMs: 3, restRatio: 1 }, keepFinished: 2 },
      );
      const started = await operations.start(operator, 'work', { action: 'retry-all', filter: {} });
      if (!started.ok) throw new Error('refused');
      const body = await ended(operations, 'op-1');
      expect(body).to.include({ status: 'done', done: 3_000 });
      // 0.1 ms a job: 30 jobs fill 3 ms; the sizes close in on it from the start of 50.
      expect(control.asked.slice(0, 3)).to.deep.equal([50, 40, 35]);
      expect(control.asked.at(-2)).to.be.within(30, 31);
      expect(control.asked.every((size) => size >= 10 && size <= 1_000)).to.equal(true);
      // A rest as long as each chunk took, but none after the last.
      expect(rests.slice(0, 2)).to.deep.equal([5, 4]);
      expect(rests).to.have.length(control.asked.length - 1);
    });
  });

  describe('.cancel', () => {
    it('should stop between chunks, with the count so far, and record it', async () => {
      const { control, trail, published, operations } = setup();
      const started = await operations.start(operator, 'work', {
        action: 'retry-all',
        filter: {},
      });
      if (!started.ok) throw new Error('refused');
      await control.release({ changed: 500, more: true });
      const cancel = await operations.cancel(operator, started.value.id);
      expect(cancel?.ok).to.equal(true);
      // The chunk in flight ends; no other starts.
      await control.release({ changed: 500, more: true });
      const body = await ended(operations, started.value.id);
      expect(body).to.include({ status: 'cancelled', done: 1_000, total: 1_500 });
      expect(control.gates).to.have.length(0);
      expect(published.at(-1)).to.include({ status: 'cancelled', done: 1_000 });
      expect(trail.entries.at(-1)?.outcome).to.deep.equal({ status: 'cancelled', count: 1_000 });
    });

    it('should refuse a viewer, and leave the operation running', async () => {
      const { control, trail, operations } = setup();
      const started = await operations.start({ name: 'root', role: 'admin' }, 'work', {
        action: 'clean',
        state: 'failed',
        graceMs: 0,
      });
      if (!started.ok) throw new Error('refused');
      const refused = await operations.cancel({ name: 'v', role: 'viewer' }, started.value.id);
      expect(refused?.ok).to.equal(false);
      expect(trail.entries.at(-1)?.outcome).to.include({
        status: 'refused',
        code: 'QW_FORBIDDEN_ROLE',
      });
      await control.release({ changed: 3, more: false });
      expect(await ended(operations, started.value.id)).to.include({ status: 'done', done: 3 });
    });
  });

  describe('.start', () => {
    it('should go on from past the jobs a filter left alone', async () => {
      const { control, operations } = setup();
      const started = await operations.start(operator, 'work', {
        action: 'retry-all',
        filter: { name: 'charge' },
      });
      if (!started.ok) throw new Error('refused');
      expect(started.value.total).to.equal(null);
      await control.release({ changed: 490, more: true });
      await control.release({ changed: 5, more: false });
      expect(await ended(operations, started.value.id)).to.include({ status: 'done', done: 495 });
      expect(control.skips).to.deep.equal([0, 10]);
    });

    it('should end failed, with the reason, when a step fails', async () => {
      const { trail, operations } = setup();
      const started = await operations.start(operator, 'work', { action: 'promote-all' });
      if (!started.ok) throw new Error('refused');
      expect(await ended(operations, started.value.id)).to.include({
        status: 'failed',
        reason: 'Redis went away',
      });
      expect(trail.entries.at(-1)?.outcome).to.deep.equal({
        status: 'failed',
        reason: 'Redis went away',
      });
    });

    it('should refuse an unknown queue, and record it', async () => {
      const { trail, operations } = setup();
      const started = await operations.start(operator, 'elsewhere', { action: 'promote-all' });
      expect(started.ok).to.equal(false);
      expect(trail.entries.at(-1)?.outcome).to.include({ status: 'refused', code: 'QW_NOT_FOUND' });
    });

    it('should keep only the latest finished operations', async () => {
      const { operations } = setup();
      const ids: string[] = [];
      for (let n = 0; n < 4; n += 1) {
        const started = await operations.start(operator, 'work', { action: 'promote-all' });
        if (!started.ok) throw new Error('refused');
        ids.push(started.value.id);
        await ended(operations, started.value.id);
      }
      expect(ids.map((id) => operations.get(id) !== null)).to.deep.equal([false, true, true, true]);
    });
  });
});
