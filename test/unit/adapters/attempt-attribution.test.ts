import { expect } from 'chai';
import {
  attributeAttempts,
  unknownReason,
} from '../../../src/adapters/bullmq/attempt-attribution.js';
import type { BatchLookups } from '../../../src/adapters/bullmq/batch-lookups.js';
import type { LaterEntry } from '../../../src/adapters/bullmq/failure-context-script.js';
import { StreamEventParser } from '../../../src/adapters/bullmq/stream-event-parser.js';
import { AttemptCounter } from '../../../src/domain/job-events/attempt-counter.js';
import type { JobEvent } from '../../../src/domain/job-events/job-event.js';

/** A stream entry as BullMQ writes it: its id and fields. */
type Entry = [id: string, fields: Record<string, string>];

/** A job hash as the failure-context script reads it. */
interface JobHash {
  readonly atm: number;
  readonly failedReason: string;
  /** One stack per failed attempt, oldest first. */
  readonly stacks: readonly string[];
}

const stack = (message: string): string => `Error: ${message}\n    at work (worker.js:1:1)`;

function setup() {
  const parser = new StreamEventParser(100);
  const counter = new AttemptCounter(100);
  /** Read one batch of `orders` entries; `jobs` are the hashes and `later` the entries after it. */
  const read = (
    entries: readonly Entry[],
    jobs: Record<string, JobHash | null> = {},
    later: readonly LaterEntry[] = [],
  ): JobEvent[] => {
    const pending = entries.flatMap(([id, fields]) => {
      const event = parser.parse('orders', id, new Map(Object.entries(fields)));
      return event ? [event] : [];
    });
    const jobIds = Object.keys(jobs);
    const lookups: BatchLookups = {
      timings: new Map(),
      failures: new Map(
        jobIds.length === 0
          ? []
          : [
              [
                'orders',
                {
                  jobIds,
                  reply: {
                    truncated: false,
                    after: later,
                    jobs: jobIds.map((jobId) => {
                      const hash = jobs[jobId];
                      if (!hash) return null;
                      return new Map<string, string | null>([
                        ['atm', String(hash.atm)],
                        ['failedReason', hash.failedReason],
                        ['stacktrace', JSON.stringify(hash.stacks)],
                        ['name', 'charge'],
                        ['data', '{}'],
                      ]);
                    }),
                  },
                },
              ],
            ],
      ),
    };
    return attributeAttempts(pending, lookups, counter, (queueName, jobId) =>
      parser.isRunning(queueName, jobId),
    );
  };
  return { read, counter };
}

const failures = (events: readonly JobEvent[]) =>
  events.flatMap((event) =>
    event.kind === 'failed'
      ? [
          {
            jobId: event.jobId,
            attemptsMade: event.attemptsMade,
            willRetry: event.willRetry,
            failedReason: event.failedReason,
          },
        ]
      : [],
  );

describe('attributeAttempts', () => {
  describe('having seen the job added', () => {
    it('should number each attempt from the events, whatever the hash says by now', () => {
      const { read } = setup();
      // By the time the hash is read, the job made 3 attempts: its first two failed.
      const events = read(
        [
          ['1-0', { event: 'added', jobId: 'a', name: 'charge' }],
          ['1-1', { event: 'active', jobId: 'a', prev: 'waiting' }],
          ['1-2', { event: 'waiting', jobId: 'a', prev: 'active' }],
          ['1-3', { event: 'active', jobId: 'a', prev: 'waiting' }],
          ['1-4', { event: 'waiting', jobId: 'a', prev: 'active' }],
          ['1-5', { event: 'active', jobId: 'a', prev: 'waiting' }],
          ['1-6', { event: 'failed', jobId: 'a', failedReason: 'third', prev: 'active' }],
          ['1-7', { event: 'retries-exhausted', jobId: 'a', attemptsMade: '3' }],
        ],
        {
          a: {
            atm: 3,
            failedReason: 'third',
            stacks: [stack('first'), stack('second'), stack('third')],
          },
        },
      );
      expect(failures(events)).to.deep.equal([
        { jobId: 'a', attemptsMade: 1, willRetry: true, failedReason: 'first' },
        { jobId: 'a', attemptsMade: 2, willRetry: true, failedReason: 'second' },
        { jobId: 'a', attemptsMade: 3, willRetry: false, failedReason: 'third' },
      ]);
    });

    it('should not count a stall (a move back to waiting, then `stalled`) as a failed attempt', () => {
      const { read } = setup();
      const events = read(
        [
          ['1-0', { event: 'added', jobId: 'a', name: 'charge' }],
          ['1-1', { event: 'active', jobId: 'a', prev: 'waiting' }],
          ['1-2', { event: 'waiting', jobId: 'a', prev: 'active' }],
          ['1-3', { event: 'stalled', jobId: 'a' }],
          ['1-4', { event: 'active', jobId: 'a', prev: 'waiting' }],
          ['1-5', { event: 'failed', jobId: 'a', failedReason: 'boom', prev: 'active' }],
        ],
        { a: { atm: 1, failedReason: 'boom', stacks: [stack('boom')] } },
      );
      expect(failures(events)).to.deep.equal([
        { jobId: 'a', attemptsMade: 1, willRetry: false, failedReason: 'boom' },
      ]);
    });
  });

  describe('having first seen the job mid-way', () => {
    it('should take the hash back by the attempts that ended after, in the batch and after it', () => {
      const { read, counter } = setup();
      // Attempt 2 fails in this batch; attempts 3 (failed) and 4 (completed) ended after it.
      const events = read(
        [
          ['5-0', { event: 'active', jobId: 'b', prev: 'waiting' }],
          ['5-1', { event: 'delayed', jobId: 'b', delay: '99' }],
        ],
        {
          b: {
            atm: 4,
            failedReason: 'third',
            stacks: [stack('first'), stack('second'), stack('third')],
          },
        },
        [
          { jobId: 'b', event: 'active', prev: 'delayed' },
          { jobId: 'b', event: 'delayed', prev: '' },
          { jobId: 'b', event: 'active', prev: 'delayed' },
          { jobId: 'b', event: 'completed', prev: 'active' },
        ],
      );
      expect(failures(events)).to.deep.equal([
        { jobId: 'b', attemptsMade: 2, willRetry: true, failedReason: 'second' },
      ]);
      expect(counter.knows('orders', 'b')).to.equal(true);
    });

    it('should say the reason is unknown rather than guess when the job is gone', () => {
      const { read } = setup();
      const events = read(
        [
          ['5-0', { event: 'active', jobId: 'c', prev: 'waiting' }],
          ['5-1', { event: 'waiting', jobId: 'c', prev: 'active' }],
        ],
        { c: null },
      );
      expect(failures(events)).to.deep.equal([
        { jobId: 'c', attemptsMade: null, willRetry: true, failedReason: unknownReason },
      ]);
    });
  });

  it('should not take a processor moving its job back (no failure reason kept) for a failure', () => {
    const { read } = setup();
    const events = read(
      [
        ['1-0', { event: 'added', jobId: 'd', name: 'charge' }],
        ['1-1', { event: 'active', jobId: 'd', prev: 'waiting' }],
        ['1-2', { event: 'delayed', jobId: 'd', delay: '5' }],
      ],
      { d: { atm: 0, failedReason: '', stacks: [] } },
    );
    expect(failures(events)).to.deep.equal([]);
  });
});
