import { matchesAll, type LabelMatcher } from './label-matcher.js';

/**
 * While an alert matching `source` fires, alerts matching `target` are inhibited: recorded, not
 * sent — when they agree with it on every label in `equal`.
 */
export interface InhibitRule {
  readonly source: readonly LabelMatcher[];
  readonly target: readonly LabelMatcher[];
  readonly equal: readonly string[];
}

/** Rules about a queue's backlog, which a pause makes grow on purpose. */
const backlogRules = 'backlog|oldest-waiting|wait-p95|drain-time|no-workers';

/**
 * By default: while Redis is unreachable, every queue alert is inhibited (one Redis alert, not
 * fifty queue alerts); while a queue is paused, its backlog alerts are.
 */
export const defaultInhibitRules: readonly InhibitRule[] = [
  {
    source: [{ label: 'rule', op: '=', value: 'redis-down' }],
    target: [{ label: 'queue', op: '=~', value: '.+' }],
    equal: [],
  },
  {
    source: [{ label: 'rule', op: '=', value: 'queue-paused' }],
    target: [{ label: 'rule', op: '=~', value: backlogRules }],
    equal: ['queue'],
  },
];

/** One firing alert that may inhibit others: its id and labels. */
export interface FiringLabels {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The ids of the firing alerts that inhibit an alert with `labels` (itself excepted). */
export function inhibitorsOf(
  rules: readonly InhibitRule[],
  firing: readonly FiringLabels[],
  target: { readonly id: string; readonly labels: Readonly<Record<string, string>> },
): string[] {
  const by = new Set<string>();
  for (const rule of rules) {
    if (!matchesAll(rule.target, target.labels)) continue;
    for (const source of firing) {
      if (source.id === target.id || !matchesAll(rule.source, source.labels)) continue;
      if (rule.equal.every((name) => (source.labels[name] ?? '') === (target.labels[name] ?? ''))) {
        by.add(source.id);
      }
    }
  }
  return [...by];
}
