import {
  flushDecision,
  groupFingerprint,
  groupNotification,
  type GroupMember,
} from '../../domain/alerting/alert-group.js';
import type { Alert } from '../../domain/alerting/alert.js';
import type { AlertRoute } from '../../domain/alerting/alert-route.js';
import { inhibitorsOf, type InhibitRule } from '../../domain/alerting/inhibition.js';
import { silencesOf } from '../../domain/alerting/silence.js';
import type {
  AlertGroups,
  FlushOutcome,
  GroupFlush,
  GroupFlushQueue,
} from '../ports/alert-groups.port.js';
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
    const { groups, firing, silences, log, clock, flushes } = this.parts;
    const group = await groups.read(flush.groupKey);
    if (!group) return;
    const now = clock.now();
    if (group.id !== flush.groupId || group.seq !== flush.seq) {
      // A flush already taken in (or of a group gone since): the group's own next flush is
      // scheduled again, in case the run that took this one in was cut short before it could.
      if (group.dueAt !== null) {
        await flushes.schedule(
          { groupKey: group.groupKey, groupId: group.id, seq: group.seq, dueAt: group.dueAt },
          now,
        );
      }
      return;
    }
    const route = this.routes.get(group.routeId);
    if (!route) {
      // The route is gone from the configuration: the group is dropped, nothing is sent.
      await groups.commit(
        group,
        group.seq,
        { sentFingerprint: null, announced: [], held: [], drop: group.members },
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
    const announced = new Set(group.announced);
    const held = new Set(group.held);
    const sendable: (GroupMember & { raw: string })[] = [];
    for (const member of group.members) {
      const { incidentKey, alert } = member;
      const silencedBy = silencesOf(active, alert.labels, now).map((silence) => silence.id);
      const inhibitedBy = inhibitorsOf(this.inhibitRules, sources, {
        id: incidentKey,
        labels: alert.labels,
      });
      // The end of an incident someone was told about is always told: it closes their page.
      const closes = alert.status === 'resolved' && announced.has(incidentKey);
      if ((silencedBy.length === 0 && inhibitedBy.length === 0) || closes) {
        sendable.push(member);
        continue;
      }
      const recorded = alert.status === 'firing' && held.has(incidentKey);
      if (!recorded) {
        await log.addSuppressed(
          `${alert.id}/${alert.status}/held`,
          alert,
          { silencedBy, inhibitedBy },
          now,
        );
      }
      if (alert.status === 'firing' && !announced.has(incidentKey)) held.add(incidentKey);
    }
    const decision = flushDecision(
      sendable,
      { ...group, held: [...held] },
      now,
      route.repeatIntervalMs,
    );
    if (decision.send) {
      for (const member of decision.members) {
        held.delete(member.incidentKey);
        if (member.alert.status === 'firing') announced.add(member.incidentKey);
        else announced.delete(member.incidentKey);
      }
    }
    const resolved = group.members.filter((member) => member.alert.status === 'resolved');
    for (const member of resolved) held.delete(member.incidentKey);
    const planned: FlushPlan = {
      notification: decision.send ? groupNotification(group, decision.members, now) : null,
      outcome: {
        sentFingerprint: decision.send ? groupFingerprint(decision.members) : null,
        announced: [...announced],
        held: [...held],
        drop: resolved.map(({ incidentKey, raw }) => ({ incidentKey, raw })),
      },
    };
    // A flush that runs again carries out what its first run decided, whatever changed since.
    const plan = await groups.plan(group.groupKey, group.id, group.seq, planned);
    if (!plan) return;
    if (plan.notification)
      await this.send(route, plan.notification, `${group.id}/${String(group.seq)}`, now);
    const next = await groups.commit(group, group.seq, plan.outcome, now, route.groupIntervalMs);
    if (next) await flushes.schedule(next, now);
  }

  private async send(route: AlertRoute, alert: Alert, key: string, now: number): Promise<void> {
    const { log, outbox, metrics, logger } = this.parts;
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
      alerts: (alert.alerts ?? []).map(
        (member) => `${member.context.queueName}:${member.rule}=${member.status}`,
      ),
      destinations: route.destinations,
    });
  }
}

/** What one flush does, fixed by its first run. */
interface FlushPlan {
  readonly notification: Alert | null;
  readonly outcome: FlushOutcome;
}
