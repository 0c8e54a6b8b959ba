import type { GroupHistory, GroupMember } from '../../domain/alerting/alert-group.js';
import type { MemberAlert } from '../../domain/alerting/alert.js';

/** A flush a group needs: its number and when it is due (ms epoch). */
export interface GroupFlush {
  readonly groupKey: string;
  /** The group's incident id: stable from its first alert until it empties. */
  readonly groupId: string;
  readonly seq: number;
  readonly dueAt: number;
}

/** A group as stored: its members, what it has sent, and which flush is next. */
export interface StoredGroup extends GroupHistory {
  readonly groupKey: string;
  readonly id: string;
  readonly routeId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly seq: number;
  /** When its next flush is due (ms); `null` when none is fixed. */
  readonly dueAt: number | null;
  /** Members with the version of the write that put each there. */
  readonly members: readonly (GroupMember & { readonly raw: string })[];
}

/** What a flush did, for the group to take in atomically. */
export interface FlushOutcome {
  /** The fingerprint of the notification sent; `null` when nothing was sent. */
  readonly sentFingerprint: string | null;
  /** Incidents announced as firing and not yet as resolved (replaces the group's list). */
  readonly announced: readonly string[];
  /** Incidents held back while firing and never announced (replaces the group's list). */
  readonly held: readonly string[];
  /** Members to drop (resolved ones that were dealt with), as read: a newer write stays. */
  readonly drop: readonly { readonly incidentKey: string; readonly raw: string }[];
}

/**
 * Alert groups shared by every instance: an alert joins its group and the group's next flush is
 * fixed once, whoever adds; a flush is taken in once, for the number it was scheduled with.
 */
export interface AlertGroups {
  /** Put `alert` in the group (creating it as `proposedId`); the flush the group waits for. */
  add(
    group: {
      readonly groupKey: string;
      readonly proposedId: string;
      readonly routeId: string;
      readonly labels: Readonly<Record<string, string>>;
    },
    member: { readonly incidentKey: string; readonly alert: MemberAlert },
    now: number,
    timing: { readonly groupWaitMs: number; readonly groupIntervalMs: number },
  ): Promise<GroupFlush>;
  read(groupKey: string): Promise<StoredGroup | null>;
  /**
   * Fix flush `seq`'s plan once: the plan already fixed when the flush runs again, `null` when
   * `seq` is not the group's next flush.
   */
  plan<T>(groupKey: string, groupId: string, seq: number, plan: T): Promise<T | null>;
  /**
   * Take in flush `seq`'s outcome (no-op when another flush already did): the next flush when
   * members remain, `null` when the group is done.
   */
  commit(
    group: { readonly groupKey: string; readonly id: string },
    seq: number,
    outcome: FlushOutcome,
    now: number,
    groupIntervalMs: number,
  ): Promise<GroupFlush | null>;
}

/** Runs each group flush once, when due, on whichever instance is free; survives restarts. */
export interface GroupFlushQueue {
  /** Schedule `flush`; scheduling the same one twice schedules it once. */
  schedule(flush: GroupFlush, now: number): Promise<void>;
  start(run: (flush: GroupFlush) => Promise<void>): void;
  close(): Promise<void>;
}
