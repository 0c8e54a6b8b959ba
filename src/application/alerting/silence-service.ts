import { alertRuleTypes, alertSeverities } from '../../domain/alerting/alert.js';
import type { LabelMatcher } from '../../domain/alerting/label-matcher.js';
import {
  silenceProblem,
  silenceStatus,
  type Silence,
  type SilenceDraft,
} from '../../domain/alerting/silence.js';
import type { SilenceBody, SilencesBody } from '../contract/alerts.js';
import type { Clock } from '../ports/clock.port.js';
import type { SilenceStore } from '../ports/silence-store.port.js';

/** A silence the API refuses: the message says what is wrong. */
export class SilenceRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SilenceRejected';
  }
}

/** A silence read for a flush stays fresh this long (ms): a burst of flushes reads Redis once. */
const cacheMs = 1_000;

/**
 * Silences: created (checked first: it must be able to match an alert), listed, expired early;
 * read by every flush. `knownLabels` are the label names alerts carry (rule, severity, queue and
 * the queues' own labels).
 */
export class SilenceService {
  private cached: { at: number; silences: Promise<Silence[]> } | undefined;
  /** The silences as last read, for when Redis cannot be read. */
  private known: readonly Silence[] = [];

  constructor(
    private readonly store: SilenceStore,
    private readonly clock: Clock,
    private readonly knownLabels: () => ReadonlySet<string>,
    private readonly newId: () => string,
  ) {}

  /** Create a silence; without `startsAt` it starts now. */
  async create(
    asked: Omit<SilenceDraft, 'startsAt'> & { readonly startsAt?: number },
    createdBy: string,
  ): Promise<SilenceBody> {
    const now = this.clock.now();
    const draft: SilenceDraft = { ...asked, startsAt: asked.startsAt ?? now };
    const problem = silenceProblem(draft, now, (matcher) => this.canMatch(matcher));
    if (problem !== null) throw new SilenceRejected(problem);
    const silence: Silence = { ...draft, id: this.newId(), createdBy, createdAt: now };
    await this.store.put(silence);
    this.cached = undefined;
    return bodyOf(silence, now);
  }

  /** Expire a silence now; `null` when there is none with this id. */
  async expire(id: string): Promise<SilenceBody | null> {
    const silence = await this.store.get(id);
    if (!silence) return null;
    const now = this.clock.now();
    const expired =
      silenceStatus(silence, now) === 'expired'
        ? silence
        : {
            ...silence,
            endsAt: Math.max(silence.startsAt, now),
            ...(now < silence.startsAt ? { startsAt: now } : {}),
          };
    await this.store.put(expired);
    this.cached = undefined;
    return bodyOf(expired, now);
  }

  async list(): Promise<SilencesBody> {
    const now = this.clock.now();
    const order = { active: 0, pending: 1, expired: 2 } as const;
    const silences = (await this.store.list()).sort(
      (a, b) =>
        order[silenceStatus(a, now)] - order[silenceStatus(b, now)] || b.createdAt - a.createdAt,
    );
    return { silences: silences.map((silence) => bodyOf(silence, now)) };
  }

  /** The silences in force at `now` (read at most once a second). */
  async active(now: number): Promise<Silence[]> {
    if (!this.cached || now - this.cached.at >= cacheMs || now < this.cached.at) {
      const silences = this.store.list();
      this.cached = { at: now, silences };
      silences.then(
        (read) => {
          this.known = read;
        },
        () => {
          this.cached = undefined;
        },
      );
    }
    const all = await this.cached.silences;
    return all.filter((silence) => silenceStatus(silence, now) === 'active');
  }

  /** The silences in force at `now` as last read, without asking Redis. */
  lastKnown(now: number): Silence[] {
    return this.known.filter((silence) => silenceStatus(silence, now) === 'active');
  }

  /** Can `matcher` ever match an alert? Equality on a label or value no alert carries cannot. */
  private canMatch(matcher: LabelMatcher): string | null {
    if (matcher.op !== '=' || matcher.value === '') return null;
    if (!this.knownLabels().has(matcher.label)) {
      return `no alert carries the label "${matcher.label}" (labels: ${[...this.knownLabels()].sort().join(', ')})`;
    }
    if (
      matcher.label === 'rule' &&
      !(alertRuleTypes as readonly string[]).includes(matcher.value)
    ) {
      return `"${matcher.value}" is not a rule (rules: ${alertRuleTypes.join(', ')})`;
    }
    if (
      matcher.label === 'severity' &&
      !(alertSeverities as readonly string[]).includes(matcher.value)
    ) {
      return `"${matcher.value}" is not a severity (${alertSeverities.join(', ')})`;
    }
    return null;
  }
}

function bodyOf(silence: Silence, now: number): SilenceBody {
  return {
    id: silence.id,
    matchers: silence.matchers,
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: new Date(silence.endsAt).toISOString(),
    comment: silence.comment,
    createdBy: silence.createdBy,
    createdAt: new Date(silence.createdAt).toISOString(),
    status: silenceStatus(silence, now),
  };
}
