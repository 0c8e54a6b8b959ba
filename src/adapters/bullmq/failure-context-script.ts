/**
 * What a batch's failures need from Redis, read in one atomic script per queue: the failed jobs'
 * hashes, and the stream entries of those jobs written after the batch. Read together, the two
 * agree: a hash field that a later attempt overwrote is matched by that attempt's entry, so the
 * attempt counter and the reason can be taken back to the failure being read.
 *
 * KEYS: the queue's event stream, then each job's hash key.
 * ARGV: the first stream id after the batch, the most entries to scan, then each job id (in KEYS
 * order).
 *
 * Returns `{ truncated, after, jobs }`: `truncated` is 1 when the scan stopped at its limit;
 * `after` is a flat list of `jobId, event, prev` for the entries of these jobs, oldest first; `jobs`
 * holds for each job its `atm`, `failedReason`, `stacktrace`, `name` and `data` (false when absent).
 */
export const failureContextScript = `
local wanted = {}
for index = 3, #ARGV do wanted[ARGV[index]] = true end
local limit = tonumber(ARGV[2])
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', limit)
local after = {}
for _, entry in ipairs(entries) do
  local fields = entry[2]
  local event, jobId, prev = '', nil, ''
  for index = 1, #fields, 2 do
    local name = fields[index]
    if name == 'event' then event = fields[index + 1]
    elseif name == 'jobId' then jobId = fields[index + 1]
    elseif name == 'prev' then prev = fields[index + 1] end
  end
  if jobId and wanted[jobId] then
    after[#after + 1] = jobId
    after[#after + 1] = event
    after[#after + 1] = prev
  end
end
local jobs = {}
for index = 2, #KEYS do
  jobs[#jobs + 1] = redis.call('HMGET', KEYS[index], 'atm', 'failedReason', 'stacktrace', 'name', 'data')
end
return { #entries >= limit and 1 or 0, after, jobs }
`;

/** The fields the script reads of each job, in its order. */
export const failureContextFields = ['atm', 'failedReason', 'stacktrace', 'name', 'data'] as const;

/** One stream entry of a job, written after the batch. */
export interface LaterEntry {
  readonly jobId: string;
  readonly event: string;
  readonly prev: string;
}

/** The script's reply, parsed; `null` for a reply of another shape. */
export interface FailureContextReply {
  readonly truncated: boolean;
  readonly after: readonly LaterEntry[];
  /** Per job (in the order asked): its fields, or `null` when the job's hash is gone. */
  readonly jobs: readonly (Map<string, string | null> | null)[];
}

/** The first stream id after `id` (XRANGE's start is inclusive). */
export function nextStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${(BigInt(seq) + 1n).toString()}`;
}

/** Parse the script's reply. */
export function parseFailureContext(reply: unknown): FailureContextReply | null {
  if (!Array.isArray(reply) || reply.length !== 3) return null;
  const [truncated, flat, jobs] = reply as [unknown, unknown, unknown];
  if (!Array.isArray(flat) || !Array.isArray(jobs)) return null;
  const after: LaterEntry[] = [];
  for (let index = 0; index + 2 < flat.length; index += 3) {
    after.push({
      jobId: String(flat[index]),
      event: String(flat[index + 1]),
      prev: String(flat[index + 2]),
    });
  }
  return {
    truncated: truncated === 1,
    after,
    jobs: jobs.map((values: unknown) => {
      if (!Array.isArray(values)) return null;
      const fields = new Map<string, string | null>();
      failureContextFields.forEach((field, index) => {
        const value: unknown = values[index];
        fields.set(field, typeof value === 'string' ? value : null);
      });
      // A job hash always has `name` and `data`: without either, the job is gone.
      return fields.get('name') === null && fields.get('data') === null ? null : fields;
    }),
  };
}
