import { atLeast, type AlertSeverity } from './alert.js';
import { matchesAll, type LabelMatcher } from './label-matcher.js';

/** How a route batches the alerts it takes. */
export interface GroupTiming {
  /** Labels whose values make the group key; alerts with the same values go out together. */
  readonly groupBy: readonly string[];
  /** How long a new group waits for more alerts before its first notification (ms). */
  readonly groupWaitMs: number;
  /** How long after a notification a group's changes are sent (ms). */
  readonly groupIntervalMs: number;
  /** While nothing changes, how long before a firing group is sent again (ms). */
  readonly repeatIntervalMs: number;
}

/** One node of the routing tree, with everything it inherits already filled in. */
export interface AlertRoute extends GroupTiming {
  /** `root`, or its path from the root (`root.0.1`), or the name it was given. */
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  /** Only alerts at least this urgent; `null` for any. */
  readonly minSeverity: AlertSeverity | null;
  /** After this route matched, keep trying its later siblings. */
  readonly continue: boolean;
  /** Destination names; empty: recorded, sent nowhere. */
  readonly destinations: readonly string[];
  readonly routes: readonly AlertRoute[];
}

/** Does `route` itself take an alert with `labels`? */
export function routeMatches(route: AlertRoute, labels: Readonly<Record<string, string>>): boolean {
  if (!matchesAll(route.matchers, labels)) return false;
  const severity = labels.severity as AlertSeverity | undefined;
  return (
    route.minSeverity === null || (severity !== undefined && atLeast(severity, route.minSeverity))
  );
}

/**
 * The routes an alert goes to. From the root down, the first matching child is followed (and the
 * later ones too while each matched one says `continue`); a route none of whose children match
 * takes the alert itself. The root takes every alert.
 */
export function matchRoutes(
  root: AlertRoute,
  labels: Readonly<Record<string, string>>,
): AlertRoute[] {
  return walk(root, labels);
}

function walk(route: AlertRoute, labels: Readonly<Record<string, string>>): AlertRoute[] {
  const found: AlertRoute[] = [];
  for (const child of route.routes) {
    if (!routeMatches(child, labels)) continue;
    found.push(...walk(child, labels));
    if (!child.continue) break;
  }
  return found.length > 0 ? found : [route];
}

/** The group an alert joins on `route`: its key and the labels that make it. */
export function groupOf(
  route: AlertRoute,
  labels: Readonly<Record<string, string>>,
): { readonly key: string; readonly labels: Readonly<Record<string, string>> } {
  const grouped: Record<string, string> = {};
  for (const name of route.groupBy) grouped[name] = labels[name] ?? '';
  const values = route.groupBy.map((name) => `${name}=${grouped[name] ?? ''}`).join(',');
  return { key: `${route.id}{${values}}`, labels: grouped };
}
