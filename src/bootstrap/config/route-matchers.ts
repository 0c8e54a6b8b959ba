import picomatch from 'picomatch';
import { alertRuleTypes, alertSeverities } from '../../domain/alerting/alert.js';
import { matcherProblem, type LabelMatcher } from '../../domain/alerting/label-matcher.js';
import { ConfigError } from './config-error.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** What a route's `match` says, as written. */
export interface RouteMatchInput {
  readonly queue?: string | readonly string[] | undefined;
  readonly rule?: string | readonly string[] | undefined;
  readonly severity?: string | readonly string[] | undefined;
  readonly labels?: Readonly<Record<string, string | readonly string[]>> | undefined;
}

/** A route's `match` as label matchers; a glob, rule or severity that cannot work is refused. */
export function matchersOf(match: RouteMatchInput | undefined, where: string): LabelMatcher[] {
  if (!match) return [];
  const matchers: LabelMatcher[] = [];
  if (match.queue !== undefined)
    matchers.push(globMatcher('queue', match.queue, `${where}.match.queue`));
  if (match.rule !== undefined) {
    const rules = [match.rule].flat();
    for (const rule of rules) {
      if (!(alertRuleTypes as readonly string[]).includes(rule)) {
        throw new ConfigError(
          `${where}.match.rule: "${rule}" is not a rule (rules: ${alertRuleTypes.join(', ')})`,
        );
      }
    }
    matchers.push(exactly('rule', rules));
  }
  if (match.severity !== undefined) {
    const severities = [match.severity].flat();
    for (const severity of severities) {
      if (!(alertSeverities as readonly string[]).includes(severity)) {
        throw new ConfigError(
          `${where}.match.severity: "${severity}" is not a severity (${alertSeverities.join(', ')})`,
        );
      }
    }
    matchers.push(exactly('severity', severities));
  }
  matchers.push(...labelGlobs(match.labels ?? {}, `${where}.match.labels`));
  return matchers;
}

/** Label globs (`{ team: 'grow*' }`) as matchers. */
export function labelGlobs(
  labels: Readonly<Record<string, string | readonly string[]>>,
  where: string,
): LabelMatcher[] {
  return Object.entries(labels).map(([label, value]) =>
    globMatcher(label, value, `${where}.${label}`),
  );
}

/** A label matching any of `globs` (`*`, `?`, `[a-z]`, `{a,b}`); a glob that does not parse is refused. */
function globMatcher(
  label: string,
  globs: string | readonly string[],
  where: string,
): LabelMatcher {
  const sources = [globs].flat().map((glob) => {
    let source: string;
    try {
      source = unicodeSafe(picomatch.makeRe(glob, { strictBrackets: true, dot: true }).source);
    } catch (error) {
      throw new ConfigError(`${where}: "${glob}" is not a valid glob (${reasonOf(error)})`);
    }
    const problem = matcherProblem({ label, op: '=~', value: source });
    if (problem !== null)
      throw new ConfigError(`${where}: "${glob}" is not a valid glob (${problem})`);
    return source;
  });
  return { label, op: '=~', value: sources.map((source) => `(?:${source})`).join('|') };
}

/**
 * picomatch escapes punctuation (`pay\-*`), which label matchers, compiled with the `u` flag,
 * refuse outside a character class: keep only the escapes `u` allows, so `pay-*` matches.
 */
function unicodeSafe(source: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source.charAt(index);
    if (char === '\\' && index + 1 < source.length) {
      index += 1;
      const next = source.charAt(index);
      const allowed = /[A-Za-z0-9^$\\.*+?()[\]{}|/]/u.test(next) || (inClass && next === '-');
      out += allowed ? `\\${next}` : next;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    out += char;
  }
  return out;
}

/** A label equal to one of `values`. */
export function exactly(label: string, values: readonly string[]): LabelMatcher {
  return {
    label,
    op: '=~',
    value: values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  };
}
