import { z } from 'zod';
import type { AlertSeverity } from '../../domain/alerting/alert.js';
import type { AlertRoute, GroupTiming } from '../../domain/alerting/alert-route.js';
import { defaultInhibitRules, type InhibitRule } from '../../domain/alerting/inhibition.js';
import { ConfigError } from './config-error.js';
import { exactly, labelGlobs, matchersOf } from './route-matchers.js';

/** A group flushes at most this often: each flush is a job and a few Redis calls. */
const flushInterval = z
  .number()
  .int()
  .min(100, 'at least 100 ms: a group flushes at most ten times a second');
const labelName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a label name is letters, digits, - or _');
const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** What a route matches: queue globs, rule types, severities and label globs. */
const routeMatch = z
  .object({
    queue: globs.optional(),
    rule: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    severity: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    labels: z.record(labelName, globs).optional(),
  })
  .strict();

/** One route as written: match, destinations, grouping and children (inline or by name). */
export interface RouteInput {
  name?: string | undefined;
  match?: z.infer<typeof routeMatch> | undefined;
  minSeverity?: AlertSeverity | undefined;
  continue?: boolean | undefined;
  destinations?: string[] | undefined;
  groupBy?: string[] | undefined;
  groupWaitMs?: number | undefined;
  groupIntervalMs?: number | undefined;
  repeatIntervalMs?: number | undefined;
  routes?: (RouteInput | string)[] | undefined;
}

const routeInput: z.ZodType<RouteInput> = z.lazy(() =>
  z
    .object({
      name: z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
          'a route name is 1-64 letters, digits, ., - or _',
        )
        .optional(),
      match: routeMatch.optional(),
      minSeverity: z.enum(['critical', 'high', 'medium', 'low']).optional(),
      continue: z.boolean().optional(),
      destinations: z.array(z.string()).optional(),
      groupBy: z.array(labelName).optional(),
      groupWaitMs: z.number().int().min(0).optional(),
      groupIntervalMs: flushInterval.optional(),
      repeatIntervalMs: flushInterval.optional(),
      routes: z.array(z.union([routeInput, z.string()])).optional(),
    })
    .strict(),
);

/** One inhibition rule as written: label globs of the source and target, labels to agree on. */
const inhibitInput = z
  .object({
    source: z.record(labelName, globs),
    target: z.record(labelName, globs),
    equal: z.array(labelName).optional(),
  })
  .strict();

/** The routing parts of the `alerts` section. */
export const routingSection = {
  route: routeInput.optional(),
  /** Routes named here may be used by name in any route's `routes`. */
  routes: z.record(z.string(), routeInput).optional(),
  inhibitRules: z.array(inhibitInput).optional(),
  dashboardUrl: z.url().optional(),
};

/** The routing parts, as written. */
export interface RoutingInput {
  readonly route?: RouteInput | undefined;
  readonly routes?: Record<string, RouteInput> | undefined;
  readonly inhibitRules?: z.infer<typeof inhibitInput>[] | undefined;
}

/** A destination's own filters, for the tree built when none is configured. */
export interface DestinationFilter {
  readonly name: string;
  readonly minSeverity: AlertSeverity;
  readonly queues: readonly string[] | null;
}

/** Group settings at the root unless the file says otherwise. */
export function defaultTiming(repeatIntervalMs: number): GroupTiming {
  return { groupBy: ['rule'], groupWaitMs: 5_000, groupIntervalMs: 60_000, repeatIntervalMs };
}

/**
 * The routing tree. Without `alerts.route`, each destination is a child of the root that takes
 * the alerts its `minSeverity` and `queues` ask for (`continue`, so every destination that wants
 * an alert gets it). With it, every route is checked: names of destinations and of routes that
 * exist, globs that parse, rules and severities that exist, no cycle through named routes.
 */
export function routingTree(
  input: RoutingInput,
  destinations: readonly DestinationFilter[],
  repeatIntervalMs: number,
): AlertRoute {
  const base = defaultTiming(repeatIntervalMs);
  const known = new Set(destinations.map((destination) => destination.name));
  if (!input.route) {
    if (input.routes) {
      throw new ConfigError(
        'config file: alerts.routes: named routes need alerts.route to use them',
      );
    }
    return {
      ...base,
      id: 'root',
      matchers: [],
      minSeverity: null,
      continue: false,
      destinations: [],
      routes: destinations.map((destination) => ({
        ...base,
        id: `destination-${destination.name}`,
        matchers: destination.queues === null ? [] : [exactly('queue', destination.queues)],
        minSeverity: destination.minSeverity,
        continue: true,
        destinations: [destination.name],
        routes: [],
      })),
    };
  }
  if (input.route.match || input.route.minSeverity || input.route.continue !== undefined) {
    throw new ConfigError(
      'config file: alerts.route: the root route takes every alert; put match, minSeverity and continue on its routes',
    );
  }
  const named = input.routes ?? {};
  const ids = new Set<string>();
  // A route's id is its name, or its place under its parent (`root.0.1`): the same route keeps
  // its id however the routes of other parents change.
  const build = (
    route: RouteInput,
    parent: { id: string | null; destinations: readonly string[]; timing: GroupTiming },
    path: string,
    via: readonly string[],
    place: string,
  ): AlertRoute => {
    const where = `config file: alerts.${path}`;
    const id = route.name ?? (parent.id === null ? 'root' : `${parent.id}.${place}`);
    if (ids.has(id)) throw new ConfigError(`${where}: the route name "${id}" is used twice`);
    ids.add(id);
    const destinationNames = route.destinations ?? parent.destinations;
    for (const name of destinationNames) {
      if (!known.has(name)) {
        throw new ConfigError(
          `${where}: unknown destination "${name}" (destinations: ${[...known].join(', ') || 'none'})`,
        );
      }
    }
    const timing: GroupTiming = {
      groupBy: route.groupBy ?? parent.timing.groupBy,
      groupWaitMs: route.groupWaitMs ?? parent.timing.groupWaitMs,
      groupIntervalMs: route.groupIntervalMs ?? parent.timing.groupIntervalMs,
      repeatIntervalMs: route.repeatIntervalMs ?? parent.timing.repeatIntervalMs,
    };
    const children = (route.routes ?? []).map((child, index) => {
      const childPath = `${path}.routes[${String(index)}]`;
      if (typeof child !== 'string') {
        return build(
          child,
          { id, destinations: destinationNames, timing },
          childPath,
          via,
          String(index),
        );
      }
      const target = named[child];
      if (!target) {
        throw new ConfigError(
          `config file: alerts.${childPath}: no route is named "${child}" in alerts.routes`,
        );
      }
      if (via.includes(child)) {
        throw new ConfigError(
          `config file: alerts.${childPath}: the routes form a cycle: ${[...via, child].join(' → ')}`,
        );
      }
      return build(
        target,
        { id, destinations: destinationNames, timing },
        `routes.${child}`,
        [...via, child],
        child,
      );
    });
    return {
      ...timing,
      id,
      matchers: matchersOf(route.match, where),
      minSeverity: route.minSeverity ?? null,
      continue: route.continue ?? false,
      destinations: destinationNames,
      routes: children,
    };
  };
  return build(input.route, { id: null, destinations: [...known], timing: base }, 'route', [], '');
}

/** The inhibition rules: the file's, or the defaults. */
export function inhibitRules(input: RoutingInput): readonly InhibitRule[] {
  if (!input.inhibitRules) return defaultInhibitRules;
  return input.inhibitRules.map((rule, index) => {
    const where = `config file: alerts.inhibitRules[${String(index)}]`;
    return {
      source: labelGlobs(rule.source, `${where}.source`),
      target: labelGlobs(rule.target, `${where}.target`),
      equal: rule.equal ?? [],
    };
  });
}
