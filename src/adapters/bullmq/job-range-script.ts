import type { ListableState } from '../../application/contract/console.js';

/** Where each listable state lives, and whether it is a list or a sorted set. */
export const listableStateKeys: Readonly<
  Record<ListableState, { suffix: string; kind: 'list' | 'zset' }>
> = {
  waiting: { suffix: 'wait', kind: 'list' },
  paused: { suffix: 'paused', kind: 'list' },
  active: { suffix: 'active', kind: 'list' },
  prioritized: { suffix: 'prioritized', kind: 'zset' },
  delayed: { suffix: 'delayed', kind: 'zset' },
  'waiting-children': { suffix: 'waiting-children', kind: 'zset' },
  completed: { suffix: 'completed', kind: 'zset' },
  failed: { suffix: 'failed', kind: 'zset' },
};

/**
 * A page of one state in one EVALSHA: the ids by position, then each job's fields, read at one
 * moment. The cost is O(log n + page) for a sorted set, O(position + page) for a list (LRANGE
 * walks from the nearer end), and the page's HMGETs.
 *
 * KEYS: the state's list or sorted set.
 * ARGV: the job-hash key prefix (`<prefix>:<queue>:`), `zset` or `list`, `1` for newest first,
 * the start index, the count, the id of the job before the start (`''` for none) and its score
 * (`''` for none), then the fields to read of each job.
 *
 * The job before the start finds the place again when jobs moved: in a sorted set by its rank
 * (or, when it left the set, by its score: the jobs on the same side of it), in a list by looking
 * for it near where it was (at most 10,000 entries from the end the page counts from).
 *
 * Reply: total, the start used, the ids, their scores (a sorted set only), each job's fields.
 */
export const jobRangeScript = `
local key = KEYS[1]
local prefix = ARGV[1]
local newest = ARGV[3] == '1'
local start = tonumber(ARGV[4])
local count = tonumber(ARGV[5])
local afterId = ARGV[6]
local afterScore = ARGV[7]
local fields = {}
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
local total = 0
local ids = {}
local scores = {}
if ARGV[2] == 'zset' then
  total = redis.call('ZCARD', key)
  if afterId ~= '' then
    local rank
    if newest then rank = redis.call('ZREVRANK', key, afterId)
    else rank = redis.call('ZRANK', key, afterId) end
    if rank then
      start = rank + 1
    elseif afterScore ~= '' then
      if newest then start = redis.call('ZCOUNT', key, '(' .. afterScore, '+inf')
      else start = redis.call('ZCOUNT', key, '-inf', '(' .. afterScore) end
    end
  end
  local reply
  if newest then reply = redis.call('ZREVRANGE', key, start, start + count - 1, 'WITHSCORES')
  else reply = redis.call('ZRANGE', key, start, start + count - 1, 'WITHSCORES') end
  for i = 1, #reply, 2 do
    ids[#ids + 1] = reply[i]
    scores[#scores + 1] = reply[i + 1]
  end
else
  total = redis.call('LLEN', key)
  if afterId ~= '' and start > 0 then
    local here
    if newest then here = redis.call('LINDEX', key, start - 1)
    else here = redis.call('LINDEX', key, -start) end
    if here ~= afterId then
      local rank = 1
      if not newest then rank = -1 end
      local found = redis.call('LPOS', key, afterId, 'RANK', rank, 'MAXLEN', math.min(start + 1000, 10000))
      if found then
        if newest then start = found + 1 else start = total - found end
      end
    end
  end
  local reply
  if newest then
    reply = redis.call('LRANGE', key, start, start + count - 1)
  else
    reply = {}
    local backwards = redis.call('LRANGE', key, -(start + count), -(start + 1))
    if start < total then
      for i = #backwards, 1, -1 do reply[#reply + 1] = backwards[i] end
    end
  end
  for i = 1, #reply do ids[#ids + 1] = reply[i] end
end
local rows = {}
for i = 1, #ids do
  rows[i] = redis.call('HMGET', prefix .. ids[i], unpack(fields))
end
return { total, start, ids, scores, rows }
`;

/**
 * Where a job that exists is: the sorted sets first (O(log n)), then the active list (short: the
 * jobs being worked on); a job in none of them is waiting. `keyOf(s)` names its queue's
 * completed, failed, delayed, prioritized, waiting-children and active keys, for s = 1 to 6: a
 * key is named only when it is read (most jobs are found in the first set).
 */
const placeOfJob = `
local function placeOf(keyOf, id)
  if redis.call('ZSCORE', keyOf(1), id) then return 'completed'
  elseif redis.call('ZSCORE', keyOf(2), id) then return 'failed'
  elseif redis.call('ZSCORE', keyOf(3), id) then return 'delayed'
  elseif redis.call('ZSCORE', keyOf(4), id) then return 'prioritized'
  elseif redis.call('ZSCORE', keyOf(5), id) then return 'waiting-children'
  elseif redis.call('LPOS', keyOf(6), id, 'MAXLEN', 10000) then return 'active' end
  return 'waiting'
end
`;

/**
 * The state of one job: where it is (placeOfJob) (O(log n)), then the active list (short: the jobs
 * being worked on); a job in none of them is waiting. Its 11 keys start at KEYS[k]: the job hash,
 * completed, failed, delayed, prioritized, waiting-children, active, and the job's dependencies,
 * processed, failed-children and unsuccessful keys.
 * Answers `false` when the job hash does not exist, else { state, name, children counted }.
 */
const stateOfJob = `${placeOfJob}
local function stateOf(k, id)
  if redis.call('EXISTS', KEYS[k]) == 0 then return false end
  local state = placeOf(function(s) return KEYS[k + s] end, id)
  local children = redis.call('SCARD', KEYS[k + 7]) + redis.call('HLEN', KEYS[k + 8])
    + redis.call('HLEN', KEYS[k + 9]) + redis.call('ZCARD', KEYS[k + 10])
  return { state, redis.call('HGET', KEYS[k], 'name') or '', children }
end
`;

/** Keys the state of one job needs. */
export const stateKeyCount = 11;

/**
 * The state of one job in one EVALSHA (beside its detail, in the same pipeline).
 * KEYS: the job's 11 keys (see stateOfJob). ARGV: the job id.
 */
export const jobStateScript = `${stateOfJob}
return stateOf(1, ARGV[1])
`;

/**
 * The states of several jobs (a flow's, or one id found in many queues) in one EVALSHA: one call
 * to build, send and parse rather than one per job.
 * KEYS: each job's 11 keys, in turn. ARGV: the job ids, in the same order.
 * Reply: one answer per job, `false` for a job whose hash does not exist.
 */
export const jobStatesScript = `${stateOfJob}
local states = {}
for i = 1, #ARGV do states[i] = stateOf((i - 1) * 11 + 1, ARGV[i]) end
return states
`;

/**
 * Where a job of one id is, in every queue that holds one, in one EVALSHA: a lookup by id across
 * every queue is one command to build, send and parse, and one round trip. The queues' keys come
 * as one argument (a JSON array, the same for every lookup while the watched queues stay the
 * same), not one key each: building and sending a hundred arguments cost the caller more than the
 * lookup cost Redis. A queue's state keys are read only when the job hash exists in it, and named
 * one at a time, as they are asked.
 * KEYS[1]: the job's hash in the first queue (on a cluster, the slot the call goes to: every queue
 * must share one hash tag, as the range script's job hashes must). ARGV[1]: the job id. ARGV[2]:
 * the queue keys (`<prefix>:<name>`), as a JSON array. Reply: for each queue that holds the job,
 * its 1-based position and the state.
 */
export const jobLocationsScript = `${placeOfJob}
local suffixes = { ':completed', ':failed', ':delayed', ':prioritized', ':waiting-children', ':active' }
local id = ARGV[1]
local found = {}
for i, queueKey in ipairs(cjson.decode(ARGV[2])) do
  if redis.call('EXISTS', queueKey .. ':' .. id) == 1 then
    found[#found + 1] = i
    found[#found + 1] = placeOf(function(s) return queueKey .. suffixes[s] end, id)
  end
end
return found
`;

/** Jobs whose states one script call reads at most (11 keys each). */
export const statesPerCall = 100;

/** The keys the state script reads for one job, in its order. */
export function stateKeysOf(ref: { readonly queueKey: string; readonly id: string }): string[] {
  const jobKey = `${ref.queueKey}:${ref.id}`;
  return [
    jobKey,
    `${ref.queueKey}:completed`,
    `${ref.queueKey}:failed`,
    `${ref.queueKey}:delayed`,
    `${ref.queueKey}:prioritized`,
    `${ref.queueKey}:waiting-children`,
    `${ref.queueKey}:active`,
    `${jobKey}:dependencies`,
    `${jobKey}:processed`,
    `${jobKey}:failed`,
    `${jobKey}:unsuccessful`,
  ];
}
