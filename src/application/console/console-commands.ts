import type { Caller } from '../../domain/console/caller.js';
import {
  allowedActions,
  minimumRole,
  refusalOf,
  type ConsoleAction,
} from '../../domain/console/permissions.js';
import type { ActionOutcome, AuditBody, MeBody } from '../contract/console.js';
import type { AuditRecord, AuditTrail } from '../ports/audit-trail.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Why a command was not carried out; the codes are the API's (docs/errors.md). */
export type CommandRefusal =
  | {
      readonly code: 'QW_READ_ONLY' | 'QW_FORBIDDEN_ROLE' | 'QW_NOT_FOUND' | 'QW_BAD_REQUEST';
      readonly message: string;
    }
  | { readonly code: 'QW_INVALID_STATE'; readonly message: string; readonly state: string };

/** What a command acts on, as the audit trail records it. */
export interface CommandTarget {
  readonly action: ConsoleAction;
  readonly queueName: string | null;
  readonly jobIds: readonly string[];
  /** The filter or the options of the command, as given (state, name, reason, grace…). */
  readonly filter: Readonly<Record<string, unknown>> | null;
}

/** What carrying a command out gave: a value and how many jobs it touched, or a refusal. */
export type Performed<T> =
  | {
      readonly done: true;
      readonly value: T;
      readonly count: number;
      /** Jobs the command made (a duplicate's new id), recorded beside the target's. */
      readonly jobIds?: readonly string[];
      /** The queue it acted on, when only carrying it out told (a dead-letter record's). */
      readonly queueName?: string;
    }
  | { readonly done: false; readonly refusal: CommandRefusal };

/** How a command ended for the caller. */
export type CommandResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: CommandRefusal };

/** A command allowed to start that ends later (a bulk operation): record how it ended. */
export type Finish = (outcome: ActionOutcome) => Promise<void>;

/**
 * The one way into every console change. It checks the caller's role and the read-only switch,
 * carries the change out, and appends what happened — done, refused or failed — to the audit
 * trail and the log. A route that changes anything calls `run` (or `begin`), so nothing escapes
 * the trail.
 */
export class ConsoleCommands {
  constructor(
    private readonly trail: AuditTrail,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly readOnly: boolean,
  ) {}

  /** Who the caller is and what it may do. */
  me(caller: Caller): MeBody {
    return {
      name: caller.name,
      role: caller.role,
      readOnly: this.readOnly,
      may: allowedActions(caller.role, this.readOnly),
    };
  }

  /** The latest entries of the audit trail, newest first. */
  async audit(limit: number): Promise<AuditBody> {
    return { entries: await this.trail.recent(limit) };
  }

  /** Check, carry out and record a command that ends within the request. */
  async run<T>(
    caller: Caller,
    target: CommandTarget,
    perform: () => Promise<Performed<T>>,
  ): Promise<CommandResult<T>> {
    const refusal = this.refusalFor(caller, target.action);
    if (refusal) {
      await this.record(caller, target, refusedOutcome(refusal));
      return { ok: false, refusal };
    }
    let performed: Performed<T>;
    try {
      performed = await perform();
    } catch (error) {
      await this.record(caller, target, { status: 'failed', reason: reasonOf(error) });
      throw error;
    }
    if (!performed.done) {
      await this.record(caller, target, refusedOutcome(performed.refusal));
      return { ok: false, refusal: performed.refusal };
    }
    const jobIds = [...target.jobIds, ...(performed.jobIds ?? [])];
    await this.record(caller, { ...target, jobIds }, { status: 'done', count: performed.count });
    return { ok: true, value: performed.value };
  }

  /**
   * Check a command that runs on after the request; a refusal is recorded at once, an allowed
   * command is recorded by the `finish` it is given, when it ends.
   */
  async begin(
    caller: Caller,
    target: CommandTarget,
  ): Promise<
    { readonly ok: true; readonly finish: Finish } | { readonly ok: false; refusal: CommandRefusal }
  > {
    const refusal = this.refusalFor(caller, target.action);
    if (refusal) {
      await this.record(caller, target, refusedOutcome(refusal));
      return { ok: false, refusal };
    }
    return { ok: true, finish: (outcome) => this.record(caller, target, outcome) };
  }

  /** Record a command refused before it was checked here (an unknown queue, a bad filter). */
  async refuse(caller: Caller, target: CommandTarget, refusal: CommandRefusal): Promise<void> {
    await this.record(caller, target, refusedOutcome(refusal));
  }

  private refusalFor(caller: Caller, action: ConsoleAction): CommandRefusal | null {
    switch (refusalOf(caller.role, action, this.readOnly)) {
      case null:
        return null;
      case 'read-only':
        return {
          code: 'QW_READ_ONLY',
          message: `Queuewatch is read-only (QUEUEWATCH_READ_ONLY=true, or readOnly when embedded): ${action} is refused whatever the role`,
        };
      case 'role-too-low':
        return {
          code: 'QW_FORBIDDEN_ROLE',
          message: `${action} needs the ${minimumRole[action]} role; the token "${caller.name}" is ${caller.role}`,
        };
    }
  }

  /** The log gets every entry; a trail that cannot take one is logged, not thrown at the caller. */
  private async record(caller: Caller, target: CommandTarget, outcome: ActionOutcome) {
    const record: AuditRecord = {
      at: new Date(this.clock.now()).toISOString(),
      who: caller.name,
      role: caller.role,
      action: target.action,
      queueName: target.queueName,
      jobIds: target.jobIds,
      filter: target.filter,
      outcome,
    };
    this.logger.info('console action', { ...record });
    try {
      await this.trail.append(record);
    } catch (error) {
      this.logger.error('the audit trail did not take an entry; it is only in this log', {
        action: record.action,
        who: record.who,
        reason: reasonOf(error),
      });
    }
  }
}

function refusedOutcome(refusal: CommandRefusal): ActionOutcome {
  return { status: 'refused', code: refusal.code, reason: refusal.message };
}
