import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-topology.js';
import type {
  FlowRecord,
  FlowRef,
  JobBrowser,
  JobDetailRecord,
  JobLocation,
  JobRange,
  RangeRequest,
  SchedulerRecord,
} from '../../application/ports/job-browser.port.js';
import type { JobState } from '../../application/queues/job-status.js';
import { detailFields, jobDetailScript, type DetailReply } from './job-detail-script.js';
import {
  attemptsAllowedOf,
  numberOr,
  progressOf,
  recordOf,
  rowFields,
  stacktracesOf,
} from './job-fields.js';
import {
  jobRangeScript,
  jobStateScript,
  jobLocationsScript,
  jobStatesScript,
  listableStateKeys,
  stateKeyCount,
  stateKeysOf,
  statesPerCall,
} from './job-range-script.js';
import { readSchedulers } from './scheduler-reader.js';

/** How many bytes of a job's data, options and return value cross the network at most. */
const cutBytes = 64 * 1024 + 4;

type Reply = [Error | null, unknown][];

/** One reply of a pipeline: its value, or its error thrown. */
function valueOf(reply: [Error | null, unknown] | undefined): unknown {
  const [error, value] = reply ?? [new Error('no reply'), null];
  if (error) throw error;
  return value;
}

/** The script commands `defineCommand` adds to the connection and its pipelines. */
interface BrowsingCommands {
  queuewatchRange(...keysAndArgs: (string | number)[]): Promise<unknown>;
  queuewatchJobStates(keyCount: number, ...keysAndArgs: string[]): Promise<unknown>;
  queuewatchLocations(firstJobKey: string, jobId: string, queueKeys: string): Promise<unknown>;
}
type StatePipeline = ChainableCommander & {
  queuewatchJobState(...keysAndArgs: (string | number)[]): StatePipeline;
  queuewatchDetail(...keysAndArgs: (string | number)[]): StatePipeline;
};

/**
 * Reads BullMQ jobs for the console straight from their keys: a page is one script call (ids by
 * position and each job's fields, at one moment), a lookup by id one script over every queue's
 * key (then the state where the job is), a job in full one round trip (its
 * fields cut in Redis, and its state) and one more only for a flow (its parent's and children's
 * states).
 */
export class BullmqJobBrowser implements JobBrowser {
  private readonly commands: BrowsingCommands;
  /** The watched queues of the last lookup by id, and their keys as the script takes them. */
  private lastQueueKeys: { readonly names: readonly string[]; readonly json: string } | null = null;

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
  ) {
    connection.defineCommand('queuewatchRange', { numberOfKeys: 1, lua: jobRangeScript });
    connection.defineCommand('queuewatchJobState', { numberOfKeys: 11, lua: jobStateScript });
    connection.defineCommand('queuewatchDetail', { numberOfKeys: 6, lua: jobDetailScript });
    // The number of keys is given with each call: 11 per job.
    connection.defineCommand('queuewatchJobStates', { lua: jobStatesScript });
    connection.defineCommand('queuewatchLocations', { numberOfKeys: 1, lua: jobLocationsScript });
    this.commands = connection as unknown as BrowsingCommands;
  }

  async range(request: RangeRequest): Promise<JobRange> {
    const where = listableStateKeys[request.state];
    const queueKey = this.queueKey(request.queueName);
    const fields = request.withData ? [...rowFields, 'data'] : [...rowFields];
    const reply = (await this.commands.queuewatchRange(
      `${queueKey}:${where.suffix}`,
      `${queueKey}:`,
      where.kind,
      request.order === 'newest' ? 1 : 0,
      request.from.index,
      request.count,
      request.from.after?.id ?? '',
      request.from.after?.score ?? '',
      ...fields,
    )) as [number, number, string[], string[], (string | null)[][]];
    const [total, start, ids, scores, rows] = reply;
    const entries = ids.flatMap((id, index) => {
      const job = recordOf(id, rows[index] ?? []);
      const after = { index: start + index + 1, after: { id, score: scores[index] ?? null } };
      return job ? [{ job, after }] : [];
    });
    const lastIndex = ids.length - 1;
    const lastId = ids[lastIndex];
    const end = start + ids.length;
    return {
      total,
      start,
      entries,
      next:
        ids.length < request.count || end >= total || lastId === undefined
          ? null
          : { index: end, after: { id: lastId, score: scores[lastIndex] ?? null } },
    };
  }

  async locate(queueNames: readonly string[], jobId: string): Promise<JobLocation[]> {
    const firstName = queueNames[0];
    if (firstName === undefined) return [];
    const found = (await this.commands.queuewatchLocations(
      `${this.queueKey(firstName)}:${jobId}`,
      jobId,
      this.queueKeysOf(queueNames),
    )) as (number | JobState)[];
    const locations: JobLocation[] = [];
    for (let index = 0; index + 1 < found.length; index += 2) {
      const queueName = queueNames[Number(found[index]) - 1];
      if (queueName !== undefined) {
        locations.push({ queueName, state: found[index + 1] as JobState });
      }
    }
    return locations;
  }

  /** The queues' keys as the lookup script takes them, made again only when the queues change. */
  private queueKeysOf(queueNames: readonly string[]): string {
    const last = this.lastQueueKeys;
    if (
      last !== null &&
      last.names.length === queueNames.length &&
      last.names.every((name, index) => name === queueNames[index])
    ) {
      return last.json;
    }
    const json = JSON.stringify(queueNames.map((name) => this.queueKey(name)));
    this.lastQueueKeys = { names: [...queueNames], json };
    return json;
  }

  async detail(
    queueName: string,
    jobId: string,
    maxChildren: number,
  ): Promise<JobDetailRecord | null> {
    const jobKey = `${this.queueKey(queueName)}:${jobId}`;
    const self: FlowRef = { queueKey: this.queueKey(queueName), queueName, id: jobId };
    // The job and its state together; the flow's other states only when it has a flow.
    const pipeline = (this.connection.pipeline() as StatePipeline).queuewatchDetail(
      jobKey,
      `${jobKey}:logs`,
      `${jobKey}:dependencies`,
      `${jobKey}:processed`,
      `${jobKey}:failed`,
      `${jobKey}:unsuccessful`,
      cutBytes,
      maxChildren,
    );
    this.askState(pipeline, self);
    const [detailReply, stateReply] = ((await pipeline.exec()) ?? []) as Reply;
    const reply = valueOf(detailReply) as DetailReply | null;
    if (reply === null) return null;
    const selfNode = this.nodeOf(self, valueOf(stateReply));
    const [small, data, dataBytes, opts, optsBytes, value, valueBytes, stacks, logCount, kids] =
      reply;
    const field = (name: (typeof detailFields)[number]): string | null =>
      small[detailFields.indexOf(name)] ?? null;
    const parentKey = field('parentKey');
    const parentRef = parentKey ? this.refOf(parentKey) : null;
    const childRefs = kids.map((key) => this.refOf(key));
    const flow = [...(parentRef ? [parentRef] : []), ...childRefs];
    const nodes = flow.length > 0 ? await this.states(flow) : [];
    // A parent or child whose hash is gone is shown as unknown rather than left out.
    const flowNode = (ref: FlowRef): FlowRecord =>
      nodes.find((node) => node.queueKey === ref.queueKey && node.id === ref.id) ?? {
        ...ref,
        name: null,
        state: 'unknown',
        childCount: 0,
      };
    return {
      id: jobId,
      name: field('name'),
      progress: progressOf(field('progress')),
      attemptsMade: numberOr(field('atm'), 0),
      attemptsAllowed: attemptsAllowedOf(opts),
      createdAt: numberOr(field('timestamp'), null),
      delay: numberOr(field('delay'), 0),
      processedOn: numberOr(field('processedOn'), null),
      finishedOn: numberOr(field('finishedOn'), null),
      failedReason: field('failedReason'),
      state: selfNode?.state ?? 'unknown',
      data,
      dataText: data === null ? null : { head: data, bytes: dataBytes },
      optionsText: opts === null ? null : { head: opts, bytes: optsBytes },
      returnValueText: value === null ? null : { head: value, bytes: valueBytes },
      stacktraces: stacktracesOf(stacks),
      priority: numberOr(field('priority'), 0),
      logCount,
      parent: parentRef ? flowNode(parentRef) : null,
      children: childRefs.map(flowNode),
    };
  }

  async logs(
    queueName: string,
    jobId: string,
    offset: number,
    limit: number,
  ): Promise<{ lines: string[]; total: number } | null> {
    const jobKey = `${this.queueKey(queueName)}:${jobId}`;
    const replies = await this.connection
      .pipeline()
      .exists(jobKey)
      .llen(`${jobKey}:logs`)
      .lrange(`${jobKey}:logs`, offset, offset + limit - 1)
      .exec();
    const [exists, total, lines] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as [number, number, string[]];
    return exists === 0 ? null : { lines, total };
  }

  schedulers(queueName: string, limit: number): Promise<SchedulerRecord[]> {
    return readSchedulers(this.connection, this.queueKey(queueName), limit);
  }

  /**
   * Name, state and children counted of each job that exists: one script call per 100 jobs (a
   * numeric id is often in every queue: BullMQ counts ids per queue).
   */
  private async states(refs: readonly FlowRef[]): Promise<FlowRecord[]> {
    const records: FlowRecord[] = [];
    for (let start = 0; start < refs.length; start += statesPerCall) {
      const chunk = refs.slice(start, start + statesPerCall);
      const replies = (await this.commands.queuewatchJobStates(
        chunk.length * stateKeyCount,
        ...chunk.flatMap((ref) => stateKeysOf(ref)),
        ...chunk.map((ref) => ref.id),
      )) as unknown[];
      chunk.forEach((ref, index) => {
        const node = this.nodeOf(ref, replies[index] ?? null);
        if (node) records.push(node);
      });
    }
    return records;
  }

  /** Add the state script of one job to a pipeline. */
  private askState(pipeline: StatePipeline, ref: FlowRef): void {
    pipeline.queuewatchJobState(...stateKeysOf(ref), ref.id);
  }

  /** A state script's answer as a flow node; `null` when the job does not exist. */
  private nodeOf(ref: FlowRef, value: unknown): FlowRecord | null {
    if (value === null) return null;
    const [state, name, childCount] = value as [JobState, string, number];
    return { ...ref, state, name: name === '' ? null : name, childCount };
  }

  private queueKey(queueName: string): string {
    return `${this.prefix}:${queueName}`;
  }

  /**
   * A job key (`<prefix>:<queue>:<id>`) as queue key and id. Under Queuewatch's prefix the queue
   * is the segment after it (queue names have no colon; ids may, `repeat:<id>:<ms>`); under
   * another prefix the id is taken to be the last segment.
   */
  private refOf(jobKey: string): FlowRef {
    const own = `${this.prefix}:`;
    const split = jobKey.startsWith(own) ? jobKey.indexOf(':', own.length) : -1;
    if (split > own.length) {
      const queueKey = jobKey.slice(0, split);
      return { queueKey, queueName: queueKey.slice(own.length), id: jobKey.slice(split + 1) };
    }
    const cut = jobKey.lastIndexOf(':');
    const queueKey = jobKey.slice(0, Math.max(0, cut));
    return { queueKey, queueName: queueKey, id: jobKey.slice(cut + 1) };
  }
}
