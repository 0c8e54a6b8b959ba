import { matchesAll, matcherProblem, type LabelMatcher } from './label-matcher.js';

/** A silence: while it is active, alerts it matches are recorded but not sent. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  /** ms epoch. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  /** The token name of whoever created it. */
  readonly createdBy: string;
  readonly createdAt: number;
}

/** Where a silence stands at a moment. */
export type SilenceStatus = 'pending' | 'active' | 'expired';

export function silenceStatus(silence: Silence, now: number): SilenceStatus {
  if (now < silence.startsAt) return 'pending';
  return now < silence.endsAt ? 'active' : 'expired';
}

/** The active silences that match `labels`. */
export function silencesOf(
  silences: readonly Silence[],
  labels: Readonly<Record<string, string>>,
  now: number,
): Silence[] {
  return silences.filter(
    (silence) => silenceStatus(silence, now) === 'active' && matchesAll(silence.matchers, labels),
  );
}

/** What a new silence says, before it is given an id. */
export interface SilenceDraft {
  readonly matchers: readonly LabelMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
}

/**
 * Why a silence cannot be created, or `null`. `canMatch` says whether a matcher can ever match
 * an alert (a label no alert carries, a rule that does not exist): a silence must be able to.
 */
export function silenceProblem(
  draft: SilenceDraft,
  now: number,
  canMatch: (matcher: LabelMatcher) => string | null,
): string | null {
  if (draft.matchers.length === 0) return 'a silence needs at least one matcher';
  for (const matcher of draft.matchers) {
    const problem = matcherProblem(matcher) ?? canMatch(matcher);
    if (problem !== null) return problem;
  }
  if (draft.matchers.every((matcher) => matchesAll([matcher], {}))) {
    return 'a silence needs a matcher that does not match every alert (all of these match an empty label)';
  }
  if (draft.endsAt <= draft.startsAt) return 'endsAt must be after startsAt';
  if (draft.endsAt <= now) return 'endsAt is already past';
  if (draft.comment.trim().length === 0) return 'a silence needs a comment saying why';
  return null;
}
