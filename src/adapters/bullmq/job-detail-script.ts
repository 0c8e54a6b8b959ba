/**
 * One job in full in one EVALSHA, its big fields cut in Redis so a 10 MB job data never crosses
 * the network: the data, options and return value come back as their first ARGV[1] bytes and
 * their whole size.
 *
 * KEYS: the job hash, its logs, dependencies, processed, failed-children and unsuccessful keys.
 * ARGV: how many bytes of each big field to send, how many child keys to send at most.
 * Reply: `false` when the job hash does not exist, else { the small fields (in `detailFields`
 * order), data, data size, opts, opts size, returnvalue, its size, stacktrace (cut at 16 times
 * the limit), log count, child keys, children counted }.
 */
export const jobDetailScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local cut = tonumber(ARGV[1])
local most = tonumber(ARGV[2])
local small = redis.call('HMGET', KEYS[1], 'name', 'progress', 'atm', 'timestamp', 'delay',
  'processedOn', 'finishedOn', 'failedReason', 'priority', 'parentKey')
local reply = { small }
for _, field in ipairs({ 'data', 'opts', 'returnvalue' }) do
  local value = redis.call('HGET', KEYS[1], field)
  if value then
    reply[#reply + 1] = string.sub(value, 1, cut)
    reply[#reply + 1] = #value
  else
    reply[#reply + 1] = false
    reply[#reply + 1] = -1
  end
end
local stacks = redis.call('HGET', KEYS[1], 'stacktrace')
if stacks then reply[#reply + 1] = string.sub(stacks, 1, cut * 16) else reply[#reply + 1] = false end
reply[#reply + 1] = redis.call('LLEN', KEYS[2])
local children = {}
local seen = {}
local function add(child)
  if #children < most and not seen[child] then
    seen[child] = true
    children[#children + 1] = child
  end
end
for _, child in ipairs(redis.call('SSCAN', KEYS[3], 0, 'COUNT', most)[2]) do add(child) end
local processed = redis.call('HSCAN', KEYS[4], 0, 'COUNT', most)[2]
for i = 1, #processed, 2 do add(processed[i]) end
local ignored = redis.call('HSCAN', KEYS[5], 0, 'COUNT', most)[2]
for i = 1, #ignored, 2 do add(ignored[i]) end
for _, child in ipairs(redis.call('ZRANGE', KEYS[6], 0, most - 1)) do add(child) end
reply[#reply + 1] = children
reply[#reply + 1] = redis.call('SCARD', KEYS[3]) + redis.call('HLEN', KEYS[4])
  + redis.call('HLEN', KEYS[5]) + redis.call('ZCARD', KEYS[6])
return reply
`;

/** The small fields the detail script reads, in its order. */
export const detailFields = [
  'name',
  'progress',
  'atm',
  'timestamp',
  'delay',
  'processedOn',
  'finishedOn',
  'failedReason',
  'priority',
  'parentKey',
] as const;

/** The detail script's reply for a job that exists (see `jobDetailScript`). */
export type DetailReply = [
  small: (string | null)[],
  data: string | null,
  dataBytes: number,
  opts: string | null,
  optsBytes: number,
  returnValue: string | null,
  returnValueBytes: number,
  stacktrace: string | null,
  logCount: number,
  children: string[],
  childCount: number,
];
