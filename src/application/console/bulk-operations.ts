import type { Caller } from '../../domain/console/caller.js';
import { ChunkPacer, type ChunkBounds } from '../../domain/console/chunk-pacer.js';
import type { ActionOutcome, CleanableState, OperationBody } from '../contract/console.js';
import type { BulkJobControl, Chunk, FailedJobFilter } from '../ports/bulk-job-control.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { OperationProgressSink } from '../ports/operation-progress.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import type { CommandResult, CommandTarget, ConsoleCommands, Finish } from './console-commands.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** A bulk operation to start. */
export type BulkRequest =
  | { readonly action: 'retry-all'; readonly filter: FailedJobFilter }
  | { readonly action: 'promote-all' }
  | { readonly action: 'clean'; readonly state: CleanableState; readonly graceMs: number };

/** How bulk operations run. */
export interface BulkOptions {
  /** Jobs per Redis call: fitted to the time the calls take, within bounds. */
  readonly chunk: ChunkBounds;
  /** Finished operations kept for `GET /api/v1/operations/:id`, the oldest dropped first. */
  readonly keepFinished: number;
}

/** One chunk of an operation, of at most `max` jobs, going on from where the last one ended. */
type Step = (max: number) => Promise<Chunk>;

/** An operation as it runs: its body, and whether a cancel was asked for. */
interface Running {
  body: OperationBody;
  cancelRequested: boolean;
}

/**
 * Bulk actions (retry all failed, promote all delayed, clean a state), each run in chunks sized so
 * that a call takes a few milliseconds (see {@link ChunkPacer}), reported after each chunk, and
 * stoppable between chunks.
 * Operations live in this instance's memory: another instance behind the same load balancer does
 * not know them (docs/console-actions.md).
 */
export class BulkOperations {
  private readonly operations = new Map<string, Running>();

  constructor(
    private readonly queues: MonitoredQueues,
    private readonly control: BulkJobControl,
    private readonly commands: ConsoleCommands,
    private readonly progress: OperationProgressSink,
    private readonly clock: Clock,
    private readonly timer: Pick<Timer, 'delay'>,
    private readonly newId: () => string,
    private readonly options: BulkOptions,
  ) {}

  /** Check and start an operation; it runs on after the answer. */
  async start(
    caller: Caller,
    queueName: string,
    request: BulkRequest,
  ): Promise<CommandResult<OperationBody>> {
    const target: CommandTarget = {
      action: request.action,
      queueName,
      jobIds: [],
      filter: filterOf(request),
    };
    const begun = await this.commands.begin(caller, target);
    if (!begun.ok) return begun;
    if (!this.queues.get(queueName)) {
      const refusal = {
        code: 'QW_NOT_FOUND',
        message: `queue "${queueName}" is not watched by Queuewatch`,
      } as const;
      await begun.finish({ status: 'refused', code: refusal.code, reason: refusal.message });
      return { ok: false, refusal };
    }
    const startedAt = this.clock.now();
    const step = this.stepOf(queueName, request, startedAt);
    const total = await this.totalOf(queueName, request, startedAt);
    const running: Running = {
      body: {
        id: this.newId(),
        action: request.action,
        queueName,
        status: 'running',
        done: 0,
        total,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: null,
        reason: null,
      },
      cancelRequested: false,
    };
    this.keep(running);
    this.progress.publish(running.body);
    void this.run(running, step, begun.finish);
    return { ok: true, value: running.body };
  }

  /** An operation this instance runs or ran; `null` when it knows none of that id. */
  get(id: string): OperationBody | null {
    return this.operations.get(id)?.body ?? null;
  }

  /**
   * Ask an operation to stop after its current chunk; the caller needs the role its action needs.
   * Resolves with the operation as it stands (`running` until the chunk ends).
   */
  async cancel(caller: Caller, id: string): Promise<CommandResult<OperationBody> | null> {
    const running = this.operations.get(id);
    if (!running) return null;
    const body = running.body;
    const target = {
      action: body.action,
      queueName: body.queueName,
      jobIds: [],
      filter: { cancelOperation: id },
    };
    const begun = await this.commands.begin(caller, target);
    if (!begun.ok) return begun;
    // Asked before it is recorded: the flag must not wait on Redis. The operation records its
    // own end (cancelled, or done if it was).
    if (body.status === 'running') running.cancelRequested = true;
    await begun.finish({ status: 'cancelled', count: body.done });
    return { ok: true, value: running.body };
  }

  private async run(running: Running, step: Step, finish: Finish): Promise<void> {
    let outcome: ActionOutcome;
    const pacer = new ChunkPacer(this.options.chunk);
    try {
      for (;;) {
        if (running.cancelRequested) {
          outcome = { status: 'cancelled', count: running.body.done };
          break;
        }
        const size = pacer.size;
        const began = this.clock.now();
        const chunk = await step(size);
        const elapsed = this.clock.now() - began;
        this.update(running, { done: running.body.done + chunk.changed });
        if (!chunk.more) {
          outcome = { status: 'done', count: running.body.done };
          break;
        }
        // Only a full chunk tells the pace: the last one may hold a few jobs.
        pacer.record(size, elapsed);
        const rest = pacer.restAfter(elapsed);
        if (rest > 0) await this.timer.delay(rest);
      }
    } catch (error) {
      outcome = {
        status: 'failed',
        reason: reasonOf(error),
      };
    }
    this.update(running, {
      status:
        outcome.status === 'done'
          ? 'done'
          : outcome.status === 'cancelled'
            ? 'cancelled'
            : 'failed',
      finishedAt: new Date(this.clock.now()).toISOString(),
      reason: outcome.status === 'failed' ? outcome.reason : null,
    });
    await finish(outcome);
  }

  /** The next chunk of an operation, each call going on from where the last one ended. */
  private stepOf(queueName: string, request: BulkRequest, startedAt: number): Step {
    switch (request.action) {
      case 'retry-all': {
        const filter = request.filter;
        if (filter.name === undefined && filter.reason === undefined) {
          // Only jobs that failed before the start: one that fails again is not retried twice.
          return (max) => this.control.retryFailed(queueName, startedAt, max);
        }
        let skip = 0;
        return async (max) => {
          const chunk = await this.control.retryMatching(queueName, filter, startedAt, skip, max);
          skip += chunk.passed;
          return chunk;
        };
      }
      case 'promote-all':
        return (max) => this.control.promoteDelayed(queueName, max);
      case 'clean': {
        const olderThan = startedAt - request.graceMs;
        return (max) => this.control.clean(queueName, request.state, olderThan, max);
      }
    }
  }

  private async totalOf(
    queueName: string,
    request: BulkRequest,
    startedAt: number,
  ): Promise<number | null> {
    switch (request.action) {
      case 'retry-all':
        // With a filter, how many match is known only once all are looked at.
        return request.filter.name === undefined && request.filter.reason === undefined
          ? this.control.count(queueName, 'failed', startedAt)
          : null;
      case 'promote-all':
        return this.control.count(queueName, 'delayed');
      case 'clean':
        // Every job of the state: those younger than the grace period stay, so done ≤ total.
        return this.control.count(queueName, request.state);
    }
  }

  private update(running: Running, change: Partial<OperationBody>): void {
    running.body = { ...running.body, ...change };
    this.progress.publish(running.body);
  }

  private keep(running: Running): void {
    this.operations.set(running.body.id, running);
    const finished = [...this.operations.values()].filter((each) => each.body.status !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - this.options.keepFinished))) {
      this.operations.delete(old.body.id);
    }
  }
}

function filterOf(request: BulkRequest): Readonly<Record<string, unknown>> | null {
  switch (request.action) {
    case 'retry-all':
      return { ...request.filter };
    case 'promote-all':
      return null;
    case 'clean':
      return { state: request.state, graceMs: request.graceMs };
  }
}
