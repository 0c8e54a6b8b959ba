import type { RedisClient } from './redis-connection.js';
import type {
  AlertGroups,
  FlushOutcome,
  GroupFlush,
  StoredGroup,
} from '../../application/ports/alert-groups.port.js';
import type { MemberAlert } from '../../domain/alerting/alert.js';

/**
 * Put a member in a group (creating the group) and fix its next flush unless one is fixed:
 * after the group wait for a new group, else a group interval after its last flush.
 * KEYS: group hash, members hash. ARGV: id, routeId, labels, now, incidentKey, member,
 * groupWaitMs, groupIntervalMs. Returns id, seq, dueAt.
 */
const addScript = `
if redis.call('HEXISTS', KEYS[1], 'id') == 0 then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'route', ARGV[2], 'labels', ARGV[3],
    'createdAt', ARGV[4], 'seq', 0, 'announced', '[]')
end
redis.call('HSET', KEYS[2], ARGV[5], ARGV[6])
local due = redis.call('HGET', KEYS[1], 'due')
if not due then
  local last = redis.call('HGET', KEYS[1], 'lastFlushAt')
  if last then
    due = math.max(tonumber(ARGV[4]), tonumber(last) + tonumber(ARGV[8]))
  else
    due = tonumber(ARGV[4]) + tonumber(ARGV[7])
  end
  redis.call('HSET', KEYS[1], 'due', due)
end
return { redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'seq'), tostring(due) }
`;

/**
 * Take in a flush once: only for the group and number it was scheduled with. Drops the members
 * as read (a newer write stays), records what was sent and what is announced and held, clears
 * the flush's plan, and fixes the next flush while members remain; an empty group is deleted.
 * KEYS: group hash, members hash. ARGV: group id, seq, now, groupIntervalMs, fingerprint sent
 * ('' when nothing was), announced (JSON), held (JSON), drop (JSON [[incidentKey, raw], …]).
 * Lists are stored as given: cjson would write an empty one back as an object.
 */
const commitScript = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'seq') ~= ARGV[2] then
  return false
end
local now = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'seq', tonumber(ARGV[2]) + 1, 'lastFlushAt', ARGV[3],
  'announced', ARGV[6], 'held', ARGV[7])
redis.call('HDEL', KEYS[1], 'plan:' .. ARGV[2], 'due')
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'lastSentAt', ARGV[3], 'fingerprint', ARGV[5])
end
for _, pair in ipairs(cjson.decode(ARGV[8])) do
  if redis.call('HGET', KEYS[2], pair[1]) == pair[2] then redis.call('HDEL', KEYS[2], pair[1]) end
end
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return false
end
local due = now + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'due', due)
return { redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'seq'), tostring(due) }
`;

/**
 * Fix what flush `seq` of the group does, once: a flush that runs again (cut short, retried)
 * finds the plan of its first run and carries out the same. KEYS: group hash. ARGV: group id,
 * seq, plan (JSON). Returns the plan in force, or false when the flush is not the group's next.
 */
const planScript = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'seq') ~= ARGV[2] then
  return false
end
redis.call('HSETNX', KEYS[1], 'plan:' .. ARGV[2], ARGV[3])
return redis.call('HGET', KEYS[1], 'plan:' .. ARGV[2])
`;

interface WithGroupScripts {
  queuewatchGroupAdd(...args: string[]): Promise<[string, string, string]>;
  queuewatchGroupCommit(...args: string[]): Promise<[string, string, string] | null>;
  queuewatchGroupPlan(...args: string[]): Promise<string | null>;
}

/** Alert groups in Redis: a hash per group (its state) and a hash of its members. */
export class RedisAlertGroups implements AlertGroups {
  constructor(
    private readonly connection: RedisClient,
    private readonly keyPrefix = 'queuewatch:alerts:group',
  ) {
    connection.defineCommand('queuewatchGroupAdd', { numberOfKeys: 2, lua: addScript });
    connection.defineCommand('queuewatchGroupCommit', { numberOfKeys: 2, lua: commitScript });
    connection.defineCommand('queuewatchGroupPlan', { numberOfKeys: 1, lua: planScript });
  }

  async add(
    group: {
      readonly groupKey: string;
      readonly proposedId: string;
      readonly routeId: string;
      readonly labels: Readonly<Record<string, string>>;
    },
    member: { readonly incidentKey: string; readonly alert: MemberAlert },
    now: number,
    timing: { readonly groupWaitMs: number; readonly groupIntervalMs: number },
  ): Promise<GroupFlush> {
    const [id, seq, due] = await this.scripts().queuewatchGroupAdd(
      ...this.keys(group.groupKey),
      group.proposedId,
      group.routeId,
      JSON.stringify(group.labels),
      String(now),
      member.incidentKey,
      JSON.stringify(member.alert),
      String(timing.groupWaitMs),
      String(timing.groupIntervalMs),
    );
    return { groupKey: group.groupKey, groupId: id, seq: Number(seq), dueAt: Number(due) };
  }

  async read(groupKey: string): Promise<StoredGroup | null> {
    const [stateKey, membersKey] = this.keys(groupKey);
    const replies =
      (await this.connection.multi().hgetall(stateKey).hgetall(membersKey).exec()) ?? [];
    const refused = replies.find(([error]) => error !== null)?.[0];
    if (refused) throw refused;
    const state = replies[0]?.[1] as Record<string, string> | undefined;
    const members = (replies[1]?.[1] ?? {}) as Record<string, string>;
    if (!state?.id) return null;
    return {
      groupKey,
      id: state.id,
      routeId: state.route ?? '',
      labels: JSON.parse(state.labels ?? '{}') as Record<string, string>,
      createdAt: Number(state.createdAt),
      seq: Number(state.seq),
      lastSentAt: state.lastSentAt === undefined ? null : Number(state.lastSentAt),
      lastFingerprint: state.fingerprint ?? null,
      announced: listOf(state.announced),
      held: listOf(state.held),
      dueAt: state.due === undefined ? null : Number(state.due),
      members: Object.entries(members)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([incidentKey, raw]) => ({ incidentKey, alert: JSON.parse(raw) as MemberAlert, raw })),
    };
  }

  async plan<T>(groupKey: string, groupId: string, seq: number, plan: T): Promise<T | null> {
    const [stateKey] = this.keys(groupKey);
    const held = await this.scripts().queuewatchGroupPlan(
      stateKey,
      groupId,
      String(seq),
      JSON.stringify(plan),
    );
    return held === null ? null : (JSON.parse(held) as T);
  }

  async commit(
    group: { readonly groupKey: string; readonly id: string },
    seq: number,
    outcome: FlushOutcome,
    now: number,
    groupIntervalMs: number,
  ): Promise<GroupFlush | null> {
    const next = await this.scripts().queuewatchGroupCommit(
      ...this.keys(group.groupKey),
      group.id,
      String(seq),
      String(now),
      String(groupIntervalMs),
      outcome.sentFingerprint ?? '',
      JSON.stringify(outcome.announced),
      JSON.stringify(outcome.held),
      JSON.stringify(outcome.drop.map((member) => [member.incidentKey, member.raw])),
    );
    if (!next) return null;
    const [id, nextSeq, due] = next;
    return { groupKey: group.groupKey, groupId: id, seq: Number(nextSeq), dueAt: Number(due) };
  }

  private scripts(): WithGroupScripts {
    return this.connection as unknown as WithGroupScripts;
  }

  private keys(groupKey: string): [string, string] {
    return [`${this.keyPrefix}:state:${groupKey}`, `${this.keyPrefix}:members:${groupKey}`];
  }
}

/** A stored list of incident keys (`[]` when absent or, as cjson once wrote it, `{}`). */
function listOf(raw: string | undefined): string[] {
  const value: unknown = JSON.parse(raw ?? '[]');
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
