import type { QueueFigures, QueueSamples } from '../../application/ports/queue.port.js';
import type { JobCounts } from '../../domain/queue-health/index.js';

/**
 * Health readings of many queues in one EVALSHA: a check costs one call per hundred queues, and
 * the client builds one command and parses one reply for them, not fifteen commands plus thirty
 * replies per queue. (A pipeline of one call per queue had ioredis build a command, a promise and
 * a timer per queue: in an allocation profile of full reads of 100 queues, a quarter of all that
 * was allocated, and two fifths of what outlived young-generation collections.)
 *
 * KEYS: each queue's meta hash (`<prefix>:<name>:meta`). A queue's other keys — wait,
 * prioritized, active, completed, failed, delayed, paused, waiting-children, and its job hashes —
 * are named in the script from its meta key, not declared. On a cluster every queue shares one
 * hash tag, so the keys it names are in the declared keys' slot, as with the lookup by id.
 * ARGV: five per queue, in the keys' order: finished since (ms), stale if started by (ms), the
 * active and completed sample sizes, and `1` for a deep read; or only five, for every queue, when
 * the queues share them (the usual case: one check's time, default thresholds).
 *
 * The reply is JSON (one bulk string that JSON.parse reads, rather than about 1,500 RESP integers
 * and arrays per 100 queues that ioredis decodes one by one), with one entry per queue: its
 * reading, or `["error", message]` when reading that queue failed (a key of the wrong type), which
 * leaves the other queues' readings as they are. An empty Lua table encodes as `{}`: the parser
 * takes anything but an array there for no numbers.
 *
 * The counts are BullMQ's own (LLEN/ZCARD like its `getCounts` script). A deep read also walks
 * the active list from its oldest job (BullMQ moves jobs into `active` on the left, so the oldest
 * are on the right) and stops at the first job that is not stale: a healthy queue costs one HGET.
 * Jobs whose hash has no `processedOn` (removed meanwhile) are skipped.
 */
export const inspectQueueScript = `
local function inspect(meta, finishedSince, staleStartedBy, activeSampleSize, completedSampleSize, deep)
  -- The queue's key with its trailing colon: the meta key without 'meta'.
  local base = string.sub(meta, 1, -5)
  local completedKey, failedKey, activeKey = base .. 'completed', base .. 'failed', base .. 'active'
  local counts = {
    redis.call('LLEN', base .. 'wait'),
    redis.call('ZCARD', base .. 'prioritized'),
    redis.call('LLEN', activeKey),
    redis.call('ZCARD', completedKey),
    redis.call('ZCARD', failedKey),
    redis.call('ZCARD', base .. 'delayed'),
    redis.call('LLEN', base .. 'paused'),
    redis.call('ZCARD', base .. 'waiting-children'),
    redis.call('HEXISTS', meta, 'paused'),
    redis.call('ZCOUNT', completedKey, finishedSince, '+inf'),
    redis.call('ZCOUNT', failedKey, finishedSince, '+inf'),
  }
  if deep ~= '1' then return counts end
  local lastFinished = -1
  local function finishedAt(score)
    score = tonumber(score)
    if score and score > lastFinished then lastFinished = score end
  end
  local times = {}
  local completedSample = tonumber(completedSampleSize)
  if counts[4] > 0 then
    -- The latest completed jobs, with their finish times: the newest also gives the last finish.
    local latest = redis.call('ZREVRANGE', completedKey, 0, math.max(completedSample, 1) - 1, 'WITHSCORES')
    finishedAt(latest[2])
    for index = 1, math.min(#latest, completedSample * 2), 2 do
      local pair = redis.call('HMGET', base .. latest[index], 'processedOn', 'finishedOn')
      local processed, finished = tonumber(pair[1]), tonumber(pair[2])
      if processed and finished and finished >= processed then
        times[#times + 1] = finished - processed
      end
    end
  end
  if counts[5] > 0 then
    finishedAt(redis.call('ZREVRANGE', failedKey, 0, 0, 'WITHSCORES')[2])
  end
  local started = {}
  local activeSample = tonumber(activeSampleSize)
  if counts[3] > 0 and activeSample > 0 then
    local staleBy = tonumber(staleStartedBy)
    local ids = redis.call('LRANGE', activeKey, -activeSample, -1)
    for index = #ids, 1, -1 do
      local at = tonumber(redis.call('HGET', base .. ids[index], 'processedOn'))
      if at and at > 0 then
        started[#started + 1] = at
        if at > staleBy then break end
      end
    end
  end
  counts[12] = lastFinished
  counts[13] = started
  counts[14] = times
  return counts
end

local readings = {}
local shared = #ARGV == 5
for index = 1, #KEYS do
  local at = shared and 0 or (index - 1) * 5
  local ok, reading = pcall(inspect, KEYS[index], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5])
  if ok then
    readings[index] = reading
  else
    -- redis.call raises its error reply as a table with an err field.
    readings[index] = { 'error', type(reading) == 'table' and tostring(reading.err) or tostring(reading) }
  end
end
return cjson.encode(readings)
`;

/** One queue as the script reads it. */
export interface InspectCall {
  readonly name: string;
  readonly finishedSince: number | string;
  readonly staleStartedBy: number;
  readonly activeSample: number;
  readonly completedSample: number;
  readonly deep: boolean;
}

/** The script's ARGV for `calls`: five for every queue when they all share them, else five each. */
export function inspectArgs(calls: readonly InspectCall[]): (number | string)[] {
  const argsOf = (call: InspectCall) => [
    call.finishedSince,
    call.staleStartedBy,
    call.activeSample,
    call.completedSample,
    call.deep ? 1 : 0,
  ];
  const first = calls[0];
  const shared =
    first !== undefined &&
    calls.every(
      (call) =>
        call.finishedSince === first.finishedSince &&
        call.staleStartedBy === first.staleStartedBy &&
        call.activeSample === first.activeSample &&
        call.completedSample === first.completedSample &&
        call.deep === first.deep,
    );
  return shared ? argsOf(first) : calls.flatMap(argsOf);
}

/** One queue's entry of the script's reply, parsed: figures always, samples for a deep read. */
export function parseInspectReply(reply: unknown): {
  figures: QueueFigures;
  samples: QueueSamples | null;
} {
  if (Array.isArray(reply) && reply[0] === 'error') throw new Error(String(reply[1]));
  if (!Array.isArray(reply) || reply.length < 11) throw new Error('unexpected inspect reply');
  const values = reply as unknown[];
  const number = (index: number): number => {
    const value = Number(values[index]);
    if (!Number.isFinite(value)) throw new Error(`unexpected inspect reply at ${String(index)}`);
    return value;
  };
  const numbers = (index: number): number[] => {
    const value = values[index];
    return Array.isArray(value) ? value.map(Number).filter(Number.isFinite) : [];
  };
  const waiting = number(0) + number(1);
  const isPaused = number(8) === 1;
  // BullMQ 5+ keeps a paused queue's jobs in `wait`; older versions moved them to a `paused` list.
  const counts: JobCounts = {
    waiting,
    prioritized: number(1),
    active: number(2),
    completed: number(3),
    failed: number(4),
    delayed: number(5),
    paused: number(6) + (isPaused ? waiting : 0),
    waitingChildren: number(7),
  };
  const figures = {
    counts,
    isPaused,
    finishedInWindow: { completed: number(9), failed: number(10) },
  };
  if (values.length < 14) return { figures, samples: null };
  const lastFinished = number(11);
  return {
    figures,
    samples: {
      lastFinishedAt: lastFinished < 0 ? null : lastFinished,
      activeStartedAt: numbers(12),
      recentProcessingTimesMs: numbers(13),
    },
  };
}
