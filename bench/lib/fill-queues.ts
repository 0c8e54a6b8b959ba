import { Queue, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Writes BullMQ's key layout (as BullMQ 6 leaves it: job hashes, the state lists and sorted
 * sets, meta, id) straight from a Lua script, a few thousand jobs per call: adding a million jobs
 * through `addBulk` and a worker would take minutes, this takes seconds. Job i of a queue is, by
 * i mod 100: completed (80), failed (10), waiting (8) or delayed (2), finished within the last 10
 * minutes; except that the first 10 jobs with i mod 100 = 99 are active: how many jobs run at
 * once depends on the workers' concurrency, not on how many jobs Redis keeps. Checked by
 * `verifyThroughBullmq`, which reads a queue back through BullMQ itself.
 */
const fillScript = `
local base, from, to, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local activeBelow = tonumber(ARGV[5])
for i = from, to - 1 do
  local id = tostring(i)
  local slot = i % 100
  local finished = now - (i * 7919) % 600000
  local created = finished - 1000
  local common = {'name', 'bench', 'data', '{"index":' .. id .. '}', 'opts', '{"attempts":1}',
    'timestamp', created, 'priority', '0'}
  if slot < 90 then
    redis.call('HSET', base .. id, 'delay', '0', 'processedOn', finished - 50, 'ats', '1',
      'atm', '1', 'progress', '100', 'finishedOn', finished, unpack(common))
    if slot < 80 then
      redis.call('HSET', base .. id, 'returnvalue', '{"ok":true}')
      redis.call('ZADD', base .. 'completed', finished, id)
    else
      redis.call('HSET', base .. id, 'failedReason', 'bench failure',
        'stacktrace', '["Error: bench failure"]')
      redis.call('ZADD', base .. 'failed', finished, id)
    end
  elseif slot < 98 then
    redis.call('HSET', base .. id, 'delay', '0', unpack(common))
    redis.call('LPUSH', base .. 'wait', id)
  elseif slot < 99 or i >= activeBelow then
    redis.call('HSET', base .. id, 'delay', '60000', unpack(common))
    redis.call('ZADD', base .. 'delayed', (now + 60000) * 4096 + i % 4096, id)
  else
    redis.call('HSET', base .. id, 'delay', '0', 'processedOn', now, 'ats', '1', unpack(common))
    redis.call('LPUSH', base .. 'active', id)
  end
end
redis.call('HSET', base .. 'meta', 'opts.maxLenEvents', '10000', 'version', 'bullmq:6.7.0')
redis.call('SET', base .. 'id', to)
return to - from
`;

/** Jobs written per script call: each call blocks Redis for a few ms only. */
const batch = 2_000;
/** Ids below this with i mod 100 = 99 are active: 10 active jobs per queue at most. */
const activeBelow = 1_000;

/** Grow each queue from `from` to `to` jobs (ids `from` … `to - 1`). */
export async function fillQueues(
  redis: Redis,
  prefix: string,
  queueNames: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const now = Date.now();
  const sha = String(await redis.script('LOAD', fillScript));
  let pipeline = redis.pipeline();
  let queued = 0;
  for (const name of queueNames) {
    for (let start = from; start < to; start += batch) {
      pipeline.evalsha(
        sha,
        0,
        `${prefix}:${name}:`,
        start,
        Math.min(to, start + batch),
        now,
        activeBelow,
      );
      queued += 1;
      // A few calls in flight keep Redis busy without holding megabytes of replies.
      if (queued % 16 === 0) {
        await pipeline.exec();
        pipeline = redis.pipeline();
      }
    }
  }
  await pipeline.exec();
}

/** The counts BullMQ's getJobCounts() must report for a queue of `size` filled jobs. */
export function expectedCounts(size: number): Record<string, number> {
  // How many i < below have i mod 100 === slot.
  const inSlot = (slot: number, below: number): number =>
    Math.floor(below / 100) + (slot < below % 100 ? 1 : 0);
  const counts = { completed: 0, failed: 0, waiting: 0, delayed: 0, active: 0 };
  for (let slot = 0; slot < 100; slot += 1) {
    const many = inSlot(slot, size);
    if (slot < 80) counts.completed += many;
    else if (slot < 90) counts.failed += many;
    else if (slot < 98) counts.waiting += many;
    else counts.delayed += many;
  }
  counts.active = inSlot(99, Math.min(size, activeBelow));
  counts.delayed -= counts.active;
  return counts;
}

/** Read one filled queue through BullMQ itself: counts, and one job of each state. */
export async function verifyThroughBullmq(
  redisUrl: string,
  prefix: string,
  queueName: string,
  size: number,
): Promise<{ ok: boolean; detail: string }> {
  const queue = new Queue(queueName, { connection: { url: redisUrl }, prefix });
  try {
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
    const expected = expectedCounts(size);
    const wrongCounts = Object.entries(expected).filter(
      ([state, count]) => counts[state] !== count,
    );
    const samples: [string, JobType][] = [
      ['0', 'completed'],
      ['80', 'failed'],
      ['90', 'waiting'],
      ['98', 'delayed'],
      ['99', 'active'],
    ];
    const states = await Promise.all(samples.map(([id]) => queue.getJobState(id)));
    const wrongStates = samples.filter(([, state], index) => size > 99 && states[index] !== state);
    const job = await queue.getJob('0');
    const dataOk = (job?.data as { index?: number } | undefined)?.index === 0;
    const ok = wrongCounts.length === 0 && wrongStates.length === 0 && dataOk;
    return {
      ok,
      detail: ok
        ? `BullMQ reads ${queueName}: ${JSON.stringify(counts)}`
        : `BullMQ disagrees on ${queueName}: counts ${JSON.stringify(counts)} (expected ${JSON.stringify(expected)}), states ${JSON.stringify(states)}, job 0 data ${JSON.stringify(job?.data)}`,
    };
  } finally {
    await queue.close();
  }
}
