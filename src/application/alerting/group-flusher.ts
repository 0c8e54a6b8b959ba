import {
  flushDecision,
  groupFingerprint,
  groupNotification,
  type GroupMember,
} from '../../domain/alerting/alert-group.js';
import type { AlertRoute } from '../../domain/alerting/alert-route.js';
import { inhibitorsOf, type InhibitRule } from '../../domain/alerting/inhibition.js';
import { silencesOf } from '../../domain/alerting/silence.js';
import type { AlertGroups, GroupFlush, GroupFlushQueue } from '../ports/alert-groups.port.js';
import type { AlertLog } from '../ports/alert-log.port.js';
import type { AlertOutbox } from '../ports/alert-outbox.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { FiringAlerts } from '../ports/firing-alerts.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import type { SilenceService } from './silence-service.js';

/** Where a flush's parts come from. */
export interface GroupFlusherParts {
  readonly groups: AlertGroups;
  readonly flushes: Pick<GroupFlushQueue, 'schedule'>;
  readonly firing: Pick<FiringAlerts, 'all'>;
  readonly silences: Pick<SilenceService, 'active'>;
  readonly log: AlertLog;
  readonly outbox: Pick<AlertOutbox, 'enqueue'>;
  readonly metrics: Pick<MetricsRecorder, 'alertNotified'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One flush of one alert group, run once across instances when it is due: members that a silence
 * or a firing alert holds back are recorded and not sent; the rest go out as one notification to
 * the route's destinations when something changed (or the repeat interval passed); then the
 * group takes the flush in and the next one is scheduled while members remain. A flush cut short
 * runs again: its notification keeps its id, and the outbox queues it once.
 */
export class GroupFlusher {
  private readonly routes: ReadonlyMap<string, AlertRoute>;

  constructor(
    private readonly parts: GroupFlusherParts,
    root: AlertRoute,
    private readonly inhibitRules: readonly InhibitRule[],
  ) {
    const routes = new Map<string, AlertRoute>();
    const visit = (route: AlertRoute): void => {
      routes.set(route.id, route);
      route.routes.forEach(visit);
    };
    visit(root);
    this.routes = routes;
  }

  async flush(flush: GroupFlush): Promise<void> {
    const { groups, firing, silences, log, clock } = this.parts;
    const group = await groups.read(flush.groupKey);
    if (group?.seq !== flush.seq) return;
    const now = clock.now();
    const route = this.routes.get(group.routeId);
    if (!route) {
      // The route is gone from the configuration: the group is dropped, nothing is sent.
      await groups.commit(
        group.groupKey,
        group.seq,
        { sent: null, held: [], drop: group.members },
        now,
        1,
      );
      return;
    }
    const [active, firingNow] = await Promise.all([silences.active(now), firing.all()]);
    const sources = firingNow.map((entry) => ({
      id: entry.incidentKey,
      labels: entry.alert.labels,
    }));
    const sendable: (GroupMember & { raw: string })[] = [];
    const held = new Set(group.held);
    const drop: { incidentKey: string; raw: string }[] = [];
    for (const member of group.members) {
      const silencedBy = silencesOf(active, member.alert.labels, now).map((silence) => silence.id);
      const inhibitedBy = inhibitorsOf(this.inhibitRules, sources, {
        id: member.incidentKey,
        labels: member.alert.labels,
      });
      if (silencedBy.length === 0 && inhibitedBy.length === 0) {
        sendable.push(member);
        continue;
      }
      if (member.alert.status === 'firing') held.add(member.incidentKey);
      await log.addSuppressed(
        `${member.alert.id}/${member.alert.status}/held`,
        member.alert,
        { silencedBy, inhibitedBy },
        now,
      );
      if (member.alert.status === 'resolved') drop.push(member);
    }
    const decision = flushDecision(sendable, group, now, route.repeatIntervalMs);
    if (decision.send) await this.send(group, route, decision.members, flush.seq, now);
    for (const member of sendable) {
      if (member.alert.status === 'resolved') drop.push(member);
    }
    if (decision.send) {
      for (const member of decision.members) held.delete(member.incidentKey);
    }
    for (const member of drop) held.delete(member.incidentKey);
    const next = await groups.commit(
      group.groupKey,
      group.seq,
      {
        sent: decision.send
          ? {
              fingerprint: groupFingerprint(decision.members),
              announced: decision.members
                .filter((member) => member.alert.status === 'firing')
                .map((member) => member.incidentKey),
            }
          : null,
        held: [...held],
        drop,
      },
      now,
      route.groupIntervalMs,
    );
    if (next) await this.parts.flushes.schedule(next, now);
  }

  private async send(
    group: { id: string; labels: Readonly<Record<string, string>>; createdAt: number },
    route: AlertRoute,
    members: readonly GroupMember[],
    seq: number,
    now: number,
  ): Promise<void> {
    const { log, outbox, metrics, logger } = this.parts;
    const alert = groupNotification(group, members, now);
    const key = `${group.id}/${String(seq)}`;
    await log.add(key, alert, route.destinations, now);
    await outbox.enqueue(
      route.destinations.map((destination) => ({
        deliveryId: `${key}/${destination}`,
        logKey: key,
        destination,
        alert,
      })),
    );
    // Counted and logged once queued, never before.
    metrics.alertNotified(alert.status);
    logger.info('alert', {
      id: alert.id,
      status: alert.status,
      route: route.id,
      alerts: members.map((member) => `${member.incidentKey}=${member.alert.status}`),
      destinations: route.destinations,
    });
  }
}
