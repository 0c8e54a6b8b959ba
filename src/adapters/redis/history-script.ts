/**
 * Counts queues' new event-stream entries into their minute and hour points, many queues in one
 * call. Each queue's stream position read so far is kept in Redis, so with several Queuewatch
 * instances on one Redis each entry is counted once, by whichever instance runs the script first,
 * and none is left out while one instance is stopped. Also takes each queue's backlog and active
 * readings.
 *
 * KEYS: eight per queue: the events stream, the position key, the running-jobs hash (job id →
 * start of its attempt; `r:<job id>` → when a job not started yet could start), then the queue's
 * wait, paused, prioritized, delayed and active keys.
 * ARGV: the most entries to read per queue, the minute points' and hour points' lifetimes (s), the
 * most running jobs kept, and how long the call may spend on entries (µs); then four per queue:
 * the job key prefix (`bull:<queue>:`), the point key prefix, the worker count (-1 unknown), and
 * `1` to take the queue's readings or `0` when an earlier call of the round took them.
 * Entries are read and counted 100 at a time; once the call's time is spent a queue stops there
 * and says there is more, and the queues after it read no entries and say there is more only
 * when their stream holds entries past their position, so a burst of events never holds Redis
 * for long and a quiet queue behind a busy one is not called again. The first queue always
 * counts its first hundred.
 *
 * Besides the points, `<point prefix>total` holds every count and duration bucket since the
 * history began (for Prometheus's counters and histograms), the latest readings, and
 * `oldestWaitingAt`: the creation time of the job that has waited longest in `wait`.
 *
 * Returns one entry per queue: `{ entries counted, more (0/1), missed (0/1) }` (`missed` is 1 when
 * entries after the position were trimmed from the stream before they were read), or
 * `{'error', message}` when that queue could not be recorded; the others are recorded as usual.
 *
 * Durations go into buckets exactly as latency-histogram.ts's `bucketOf` does.
 */
export const historyScript = `
local limit = tonumber(ARGV[1])
local minuteTtl, hourTtl, runningMax = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local budgetMicros = tonumber(ARGV[5])

local function micros()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local startedAt = micros()

local function bucketOf(duration)
  local ms = math.floor(duration)
  if ms < 1 then return 0 end
  local exponent, power = 0, 1
  while power * 2 <= ms and exponent < 40 do
    power = power * 2
    exponent = exponent + 1
  end
  local sub = math.min(3, math.floor(((ms - power) * 4) / power))
  return math.min(160, exponent * 4 + sub + 1)
end

local function parts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local function after(a, b)
  local ams, aseq = parts(a)
  local bms, bseq = parts(b)
  return ams > bms or (ams == bms and aseq > bseq)
end

local function record(first, jobPrefix, pointPrefix, workers, takeReadings, mayRead)
  local streamKey, positionKey, runningKey = KEYS[first], KEYS[first + 1], KEYS[first + 2]
  local counts = {}
  local totalKey = pointPrefix .. 'total'
  local function bump(key, field, amount)
    local fields = counts[key]
    if not fields then
      fields = {}
      counts[key] = fields
    end
    fields[field] = (fields[field] or 0) + amount
  end
  local function add(ms, field, amount)
    bump(pointPrefix .. 'm:' .. tostring(math.floor(ms / 60000) * 60000), field, amount)
    bump(pointPrefix .. 'h:' .. tostring(math.floor(ms / 3600000) * 3600000), field, amount)
    bump(totalKey, field, amount)
  end

  -- When each job could start (r:<job id>: added, or its delay over), kept until its first start,
  -- so its wait is known even when the job is removed soon after; not kept past half the bound.
  local function remember(jobId, ms)
    if redis.call('HLEN', runningKey) < runningMax / 2 then
      redis.call('HSET', runningKey, 'r:' .. jobId, ms)
    end
  end

  local position = redis.call('GET', positionKey)
  local missed = 0
  -- Whether the stream holds entries past the position, for a queue that may not read them now.
  local unread = false
  if position then
    local ok, info = pcall(redis.call, 'XINFO', 'STREAM', streamKey)
    if ok then
      for index = 1, #info, 2 do
        local field, value = info[index], info[index + 1]
        if field == 'max-deleted-entry-id' and after(value, position) then missed = 1 end
        if field == 'last-generated-id' and after(value, position) then unread = true end
      end
    end
  elseif not mayRead then
    unread = redis.call('XLEN', streamKey) > 0
  end
  local function count(entry)
    local ms = parts(entry[1])
    local fields = entry[2]
    local event, jobId, prev = '', nil, ''
    for index = 1, #fields, 2 do
      local name = fields[index]
      if name == 'event' then event = fields[index + 1]
      elseif name == 'jobId' then jobId = fields[index + 1]
      elseif name == 'prev' then prev = fields[index + 1] end
    end
    if jobId then
      if event == 'added' then
        add(ms, 'added', 1)
        remember(jobId, ms)
      elseif event == 'active' then
        local readyAt = tonumber(redis.call('HGET', runningKey, 'r:' .. jobId))
        if readyAt then
          add(ms, 'w:' .. bucketOf(ms - readyAt), 1)
          redis.call('HDEL', runningKey, 'r:' .. jobId)
        else
          local job = redis.call('HMGET', jobPrefix .. jobId, 'timestamp', 'delay', 'ats')
          local attempt = tonumber(job[3])
          if job[1] and (attempt == nil or attempt <= 1) then
            local ready = tonumber(job[1]) + (tonumber(job[2]) or 0)
            add(ms, 'w:' .. bucketOf(ms - ready), 1)
          end
        end
        redis.call('HSET', runningKey, jobId, ms)
      elseif event == 'completed' then
        add(ms, 'completed', 1)
        local started = tonumber(redis.call('HGET', runningKey, jobId))
        if not started then started = tonumber(redis.call('HGET', jobPrefix .. jobId, 'processedOn')) end
        if started then add(ms, 'p:' .. bucketOf(ms - started), 1) end
        redis.call('HDEL', runningKey, jobId)
      elseif event == 'failed' then
        add(ms, 'failed', 1)
        redis.call('HDEL', runningKey, jobId)
      elseif event == 'waiting' and prev == 'delayed' then
        remember(jobId, ms)
      elseif (event == 'waiting' and prev == 'active') or event == 'delayed' then
        if redis.call('HDEL', runningKey, jobId) == 1 or event == 'waiting' then
          add(ms, 'retried', 1)
        else
          -- Added with a delay: it can start once the delay is over, not now.
          redis.call('HDEL', runningKey, 'r:' .. jobId)
        end
      end
    end
  end

  local counted, lastId, more = 0, nil, mayRead or unread
  local from = position and ('(' .. position) or '-'
  while mayRead and counted < limit do
    local asked = math.min(100, limit - counted)
    local entries = redis.call('XRANGE', streamKey, from, '+', 'COUNT', asked)
    for _, entry in ipairs(entries) do count(entry) end
    counted = counted + #entries
    if #entries > 0 then
      lastId = entries[#entries][1]
      from = '(' .. lastId
    end
    if #entries < asked then
      more = false
      break
    end
    if micros() - startedAt >= budgetMicros then break end
  end
  if lastId then redis.call('SET', positionKey, lastId) end
  if redis.call('HLEN', runningKey) > runningMax then redis.call('DEL', runningKey) end

  if takeReadings then
    local now = math.floor(startedAt / 1000)
    local dueScore = (now + 1) * 4096 - 1
    local waitKey = KEYS[first + 3]
    local backlog = redis.call('LLEN', waitKey) + redis.call('LLEN', KEYS[first + 4])
      + redis.call('ZCARD', KEYS[first + 5]) + redis.call('ZCOUNT', KEYS[first + 6], '-inf', dueScore)
    local active = redis.call('LLEN', KEYS[first + 7])
    for _, step in ipairs({ { 'm:', 60000, minuteTtl }, { 'h:', 3600000, hourTtl }, { 'total' } }) do
      local key = step[2] and (pointPrefix .. step[1] .. tostring(math.floor(now / step[2]) * step[2])) or totalKey
      redis.call('HSET', key, 'backlog', backlog, 'active', active)
      if workers >= 0 then redis.call('HSET', key, 'workers', workers) end
      if step[3] then redis.call('EXPIRE', key, step[3]) end
    end
    local oldest = redis.call('LINDEX', waitKey, -1)
    local oldestAt = oldest and redis.call('HGET', jobPrefix .. oldest, 'timestamp')
    if oldestAt then redis.call('HSET', totalKey, 'oldestWaitingAt', oldestAt)
    else redis.call('HDEL', totalKey, 'oldestWaitingAt') end
  end
  for key, fields in pairs(counts) do
    for field, amount in pairs(fields) do redis.call('HINCRBY', key, field, amount) end
    if key ~= totalKey then
      redis.call('EXPIRE', key, string.sub(key, #pointPrefix + 1, #pointPrefix + 2) == 'm:' and minuteTtl or hourTtl)
    end
  end
  return { counted, more and 1 or 0, missed }
end

local recorded = {}
for index = 1, #KEYS / 8 do
  local at = 5 + (index - 1) * 4
  -- Once the call's time is spent, the queues left read no entries (their readings as asked).
  local mayRead = index == 1 or micros() - startedAt < budgetMicros
  local ok, result = pcall(record, (index - 1) * 8 + 1, ARGV[at + 1], ARGV[at + 2], tonumber(ARGV[at + 3]),
    ARGV[at + 4] == '1', mayRead)
  if ok then
    recorded[index] = result
  else
    -- redis.call raises its error reply as a table with an err field.
    recorded[index] = { 'error', type(result) == 'table' and tostring(result.err) or tostring(result) }
  end
end
return recorded
`;
