import { reasonOf } from '../wording/reason.js';
/** How a matcher compares a label: equal, not equal, matches a regular expression, or not. */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** One condition on an alert's labels; a missing label reads as the empty string. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

const compiled = new Map<string, RegExp>();

/** The anchored expression of a `=~` / `!~` matcher; it must match the whole label. */
function expression(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) {
    regex = new RegExp(`^(?:${source})$`, 'u');
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

/** Why `matcher` cannot be used (an empty label, an invalid expression), or `null`. */
export function matcherProblem(matcher: LabelMatcher): string | null {
  if (matcher.label.length === 0) return 'a matcher needs a label name';
  if (matcher.op === '=~' || matcher.op === '!~') {
    try {
      expression(matcher.value);
    } catch (error) {
      return `"${matcher.value}" is not a valid regular expression (${reasonOf(error)})`;
    }
  }
  return null;
}

/** Does `labels` satisfy `matcher`? */
export function matchesLabel(
  matcher: LabelMatcher,
  labels: Readonly<Record<string, string>>,
): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return expression(matcher.value).test(value);
    case '!~':
      return !expression(matcher.value).test(value);
  }
}

/** Does `labels` satisfy every matcher (true for none)? */
export function matchesAll(
  matchers: readonly LabelMatcher[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return matchers.every((matcher) => matchesLabel(matcher, labels));
}

/** `queue=~"pay.*"`: a matcher as people write it. */
export function describeMatcher(matcher: LabelMatcher): string {
  return `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;
}
