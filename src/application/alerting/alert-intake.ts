import type { Alert, MemberAlert } from '../../domain/alerting/alert.js';
import { groupOf, matchRoutes, type AlertRoute } from '../../domain/alerting/alert-route.js';
import type { AlertGroups, GroupFlushQueue } from '../ports/alert-groups.port.js';
import type { FiringAlerts } from '../ports/firing-alerts.port.js';

/** How alerts are taken in: the routing tree, and the dashboard's address for links. */
export interface AlertIntakeOptions {
  readonly root: AlertRoute;
  /** Makes an alert's dashboard path a full URL; `null` keeps paths. */
  readonly dashboardUrl: string | null;
}

/**
 * Takes in each alert transition the dispatcher claimed: keeps the shared list of firing alerts
 * (what inhibits, and what the API lists), then routes the alert through the tree and puts it in
 * the group of every route it reaches, whose flush is scheduled once for all instances.
 */
export class AlertIntake {
  constructor(
    private readonly groups: AlertGroups,
    private readonly flushes: GroupFlushQueue,
    private readonly firing: FiringAlerts,
    private readonly options: AlertIntakeOptions,
  ) {}

  /** The routes `alert` went to (none when it is never routed or no route names a destination). */
  async accept(incidentKey: string, alert: Alert, now: number): Promise<AlertRoute[]> {
    const member = this.member(alert);
    if (member.status === 'firing') await this.firing.put(incidentKey, member, now);
    else await this.firing.remove(incidentKey);
    if (member.notify === false) return [];
    const routes = this.routesOf(member.labels);
    for (const route of routes) {
      const group = groupOf(route, member.labels);
      const values = route.groupBy.map((name) => group.labels[name] ?? '');
      const flush = await this.groups.add(
        {
          groupKey: group.key,
          proposedId: [route.id, ...values, String(now)].join('/'),
          routeId: route.id,
          labels: group.labels,
        },
        { incidentKey, alert: member },
        now,
        route,
      );
      await this.flushes.schedule(flush, now);
    }
    return routes;
  }

  /** The routes an alert with `labels` reaches that send somewhere. */
  routesOf(labels: Readonly<Record<string, string>>): AlertRoute[] {
    return matchRoutes(this.options.root, labels).filter((route) => route.destinations.length > 0);
  }

  private member(alert: Alert): MemberAlert {
    const member = memberOf(alert);
    const base = this.options.dashboardUrl;
    if (base === null || member.link === null || /^https?:/.test(member.link)) return member;
    return { ...member, link: `${base.replace(/\/+$/, '')}${member.link}` };
  }
}

/** One alert of a group: a grouped notification's own list is not carried into another group. */
function memberOf(alert: Alert): MemberAlert {
  if (alert.alerts === undefined) return alert;
  return Object.fromEntries(
    Object.entries(alert).filter(([key]) => key !== 'alerts'),
  ) as unknown as MemberAlert;
}
