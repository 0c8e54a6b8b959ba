import type { Caller } from '../../domain/console/caller.js';
import {
  stateAllows,
  statesAllowing,
  type SingleJobAction,
} from '../../domain/console/job-action-rules.js';
import type {
  DrainBody,
  JobActionBody,
  QueuePauseBody,
  ReenqueueBody,
} from '../contract/console.js';
import type { JobState } from '../contract/jobs.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.port.js';
import type { ControlOutcome, JobControl, JobTemplate } from '../ports/job-control.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import type {
  CommandRefusal,
  CommandResult,
  ConsoleCommands,
  Performed,
} from './console-commands.js';

/**
 * The console's changes to one job or one queue: each checked (role, read-only), carried out in
 * one atomic step, and audited through ConsoleCommands. A job not in a state the action starts
 * from is refused naming its state; so is the loser of a race, whose step BullMQ refuses.
 */
export class JobActions {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly control: JobControl,
    private readonly deadLetters: Pick<DeadLetterStore, 'get'>,
    private readonly commands: ConsoleCommands,
  ) {}

  retry(caller: Caller, queueName: string, jobId: string): Promise<CommandResult<JobActionBody>> {
    return this.onJob(caller, 'retry', queueName, jobId, null, (state) =>
      this.control.retry(queueName, jobId, state === 'completed' ? 'completed' : 'failed'),
    );
  }

  promote(caller: Caller, queueName: string, jobId: string): Promise<CommandResult<JobActionBody>> {
    return this.onJob(caller, 'promote', queueName, jobId, null, () =>
      this.control.promote(queueName, jobId),
    );
  }

  remove(
    caller: Caller,
    queueName: string,
    jobId: string,
    children: boolean,
  ): Promise<CommandResult<JobActionBody>> {
    return this.onJob(caller, 'remove', queueName, jobId, { children }, () =>
      this.control.remove(queueName, jobId, children),
    );
  }

  /** A new job with the same name, data and options (but no id of its own) as this one. */
  duplicate(
    caller: Caller,
    queueName: string,
    jobId: string,
  ): Promise<CommandResult<JobActionBody>> {
    const target = { action: 'duplicate', queueName, jobIds: [jobId], filter: null } as const;
    return this.commands.run(caller, target, async () => {
      const unknown = this.unknownQueue(queueName);
      if (unknown) return unknown;
      const template = await this.control.templateOf(queueName, jobId);
      if (!template) return notFound(queueName, jobId);
      const newJobId = await this.control.add(queueName, template);
      const state = (await this.control.stateOf(queueName, newJobId)) ?? 'unknown';
      return {
        done: true,
        value: { action: 'duplicate', queueName, jobId, state, newJobId },
        count: 1,
        jobIds: [newJobId],
      };
    });
  }

  pause(caller: Caller, queueName: string): Promise<CommandResult<QueuePauseBody>> {
    return this.onQueue(caller, 'pause', queueName, async () => {
      await this.control.pause(queueName);
      return { queueName, paused: true };
    });
  }

  resume(caller: Caller, queueName: string): Promise<CommandResult<QueuePauseBody>> {
    return this.onQueue(caller, 'resume', queueName, async () => {
      await this.control.resume(queueName);
      return { queueName, paused: false };
    });
  }

  drain(caller: Caller, queueName: string, delayed: boolean): Promise<CommandResult<DrainBody>> {
    const target = { action: 'drain', queueName, jobIds: [], filter: { delayed } } as const;
    return this.commands.run(caller, target, async () => {
      const unknown = this.unknownQueue(queueName);
      if (unknown) return unknown;
      const count = await this.control.drain(queueName, delayed);
      return { done: true, value: { queueName, count }, count };
    });
  }

  /**
   * Add a dead-letter record's job to its original queue again: a copy of the job while it still
   * exists there (its data whole), else the record's name and data, when the record holds all of
   * the data (a preview cut short cannot be sent as the job's data).
   */
  reenqueue(caller: Caller, recordId: string): Promise<CommandResult<ReenqueueBody>> {
    return this.commands.run(
      caller,
      { action: 'reenqueue', queueName: null, jobIds: [], filter: { recordId } },
      async (): Promise<Performed<ReenqueueBody>> => {
        const record = await this.deadLetters.get(recordId);
        if (!record) {
          return refusal({
            code: 'QW_NOT_FOUND',
            message: `there is no dead-letter record "${recordId}"`,
          });
        }
        const queueName = record.queueName;
        const unknown = this.unknownQueue(queueName);
        if (unknown) return unknown;
        const template =
          (await this.control.templateOf(queueName, record.jobId)) ?? templateOfRecord(record);
        if (!template) {
          return refusal({
            code: 'QW_INVALID_STATE',
            state: 'unknown',
            message:
              `job "${record.jobId}" is gone from "${queueName}" and the record keeps only the ` +
              'start of its data, so it cannot be added again',
          });
        }
        const jobId = await this.control.add(queueName, template);
        return { done: true, value: { queueName, jobId }, count: 1, jobIds: [jobId], queueName };
      },
    );
  }

  private onJob(
    caller: Caller,
    action: Exclude<SingleJobAction, 'duplicate'>,
    queueName: string,
    jobId: string,
    filter: Readonly<Record<string, unknown>> | null,
    change: (state: JobState) => Promise<ControlOutcome>,
  ): Promise<CommandResult<JobActionBody>> {
    const target = { action, queueName, jobIds: [jobId], filter };
    return this.commands.run(caller, target, async () => {
      const unknown = this.unknownQueue(queueName);
      if (unknown) return unknown;
      const state = await this.control.stateOf(queueName, jobId);
      if (state === null) return notFound(queueName, jobId);
      if (!stateAllows(action, state)) return invalidState(action, jobId, state);
      const outcome = await change(state);
      if (!outcome.ok) {
        return outcome.state === null
          ? notFound(queueName, jobId)
          : invalidState(action, jobId, outcome.state);
      }
      const now =
        action === 'remove'
          ? 'unknown'
          : ((await this.control.stateOf(queueName, jobId)) ?? 'unknown');
      return { done: true, value: { action, queueName, jobId, state: now }, count: 1 };
    });
  }

  private onQueue<T>(
    caller: Caller,
    action: 'pause' | 'resume',
    queueName: string,
    change: () => Promise<T>,
  ): Promise<CommandResult<T>> {
    const target = { action, queueName, jobIds: [], filter: null };
    return this.commands.run(caller, target, async () => {
      const unknown = this.unknownQueue(queueName);
      if (unknown) return unknown;
      return { done: true, value: await change(), count: 0 };
    });
  }

  /** Only watched queues are changed, so the console cannot reach arbitrary keys. */
  private unknownQueue(queueName: string): Refused | null {
    if (this.queues.get(queueName)) return null;
    return refusal({
      code: 'QW_NOT_FOUND',
      message: `queue "${queueName}" is not watched by Queuewatch`,
    });
  }
}

/** A command not carried out. */
type Refused = Extract<Performed<unknown>, { readonly done: false }>;

function refusal(reason: CommandRefusal): Refused {
  return { done: false, refusal: reason };
}

function notFound(queueName: string, jobId: string): Refused {
  return refusal({ code: 'QW_NOT_FOUND', message: `queue "${queueName}" has no job "${jobId}"` });
}

function invalidState(action: SingleJobAction, jobId: string, state: JobState): Refused {
  return refusal({
    code: 'QW_INVALID_STATE',
    state,
    message:
      `cannot ${action} job "${jobId}": it is ${state}; ${action} starts from ` +
      statesAllowing(action).join(' or '),
  });
}

/** The job a record describes, when its data preview is the whole data (valid JSON). */
function templateOfRecord(record: {
  readonly jobName: string | null;
  readonly dataPreview: string | null;
}): JobTemplate | null {
  if (record.jobName === null || record.dataPreview === null) return null;
  try {
    return { name: record.jobName, data: JSON.parse(record.dataPreview) as unknown, options: {} };
  } catch {
    return null;
  }
}
