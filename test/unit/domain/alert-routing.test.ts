import { expect } from 'chai';
import type { AlertSeverity, MemberAlert } from '../../../src/domain/alerting/alert.js';
import {
  flushDecision,
  groupFingerprint,
  groupNotification,
  type GroupHistory,
  type GroupMember,
} from '../../../src/domain/alerting/alert-group.js';
import { groupOf, matchRoutes, type AlertRoute } from '../../../src/domain/alerting/alert-route.js';
import {
  defaultInhibitRules,
  inhibitorsOf,
  type FiringLabels,
} from '../../../src/domain/alerting/inhibition.js';
import {
  matchesAll,
  matchesLabel,
  matcherProblem,
  type LabelMatcher,
} from '../../../src/domain/alerting/label-matcher.js';
import {
  silenceProblem,
  silencesOf,
  silenceStatus,
  type Silence,
  type SilenceDraft,
} from '../../../src/domain/alerting/silence.js';

/** A route that takes everything and sends nowhere, with `overrides` on top. */
function route(id: string, overrides: Partial<AlertRoute> = {}): AlertRoute {
  return {
    id,
    matchers: [],
    minSeverity: null,
    continue: false,
    destinations: [],
    routes: [],
    groupBy: ['rule'],
    groupWaitMs: 0,
    groupIntervalMs: 1_000,
    repeatIntervalMs: 60_000,
    ...overrides,
  };
}

const is = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
const like = (label: string, value: string): LabelMatcher => ({ label, op: '=~', value });

/** The ids of the routes an alert with `labels` goes to. */
function routed(root: AlertRoute, labels: Record<string, string>): string[] {
  return matchRoutes(root, labels).map((each) => each.id);
}

describe('alert routing (domain)', () => {
  describe('matchRoutes', () => {
    const labels = { rule: 'backlog', severity: 'high', queue: 'payments', team: 'shop' };

    it('should follow only the first matching child', () => {
      const root = route('root', {
        routes: [
          route('emails', { matchers: [is('queue', 'emails')] }),
          route('payments', { matchers: [is('queue', 'payments')] }),
          route('pay-any', { matchers: [like('queue', 'pay.*')] }),
        ],
      });
      expect(routed(root, labels)).to.deep.equal(['payments']);
    });

    it('should go on to later siblings while each matched one says continue', () => {
      const root = route('root', {
        routes: [
          route('audit', { continue: true }),
          route('not-this', { matchers: [is('queue', 'emails')], continue: true }),
          route('shop', { matchers: [is('team', 'shop')], continue: true }),
          route('payments', { matchers: [is('queue', 'payments')] }),
          route('after-a-stop', {}),
        ],
      });
      expect(routed(root, labels)).to.deep.equal(['audit', 'shop', 'payments']);
    });

    it('should let a route none of whose children match take the alert itself', () => {
      const root = route('root', {
        routes: [
          route('shop', {
            matchers: [is('team', 'shop')],
            routes: [route('shop-emails', { matchers: [is('queue', 'emails')] })],
          }),
        ],
      });
      expect(routed(root, labels)).to.deep.equal(['shop']);
      expect(routed(root, { ...labels, queue: 'emails' })).to.deep.equal(['shop-emails']);
      expect(routed(root, { ...labels, team: 'growth' })).to.deep.equal(['root']);
    });

    it('should take an alert on a minSeverity route only when it is at least that urgent', () => {
      const root = route('root', {
        routes: [route('urgent', { minSeverity: 'high' })],
      });
      expect(routed(root, { ...labels, severity: 'critical' })).to.deep.equal(['urgent']);
      expect(routed(root, { ...labels, severity: 'high' })).to.deep.equal(['urgent']);
      expect(routed(root, { ...labels, severity: 'medium' })).to.deep.equal(['root']);
      expect(routed(root, { rule: 'backlog', queue: 'payments' })).to.deep.equal(['root']);
    });
  });

  describe('groupOf', () => {
    it('should key a group by the route and the values of its groupBy labels, a missing one empty', () => {
      const byRuleAndQueue = route('pager', { groupBy: ['rule', 'queue'] });
      expect(
        groupOf(byRuleAndQueue, { rule: 'backlog', queue: 'orders', team: 'x' }),
      ).to.deep.equal({
        key: 'pager{rule=backlog,queue=orders}',
        labels: { rule: 'backlog', queue: 'orders' },
      });
      expect(groupOf(byRuleAndQueue, { rule: 'redis-down' })).to.deep.equal({
        key: 'pager{rule=redis-down,queue=}',
        labels: { rule: 'redis-down', queue: '' },
      });
      expect(groupOf(route('all', { groupBy: [] }), { rule: 'backlog' })).to.deep.equal({
        key: 'all{}',
        labels: {},
      });
    });
  });

  describe('label matchers', () => {
    const labels = { queue: 'payments', rule: 'backlog' };

    it('should compare with =, !=, =~ (anchored) and !~', () => {
      expect(matchesLabel(is('queue', 'payments'), labels)).to.equal(true);
      expect(matchesLabel(is('queue', 'pay'), labels)).to.equal(false);
      expect(matchesLabel({ label: 'queue', op: '!=', value: 'payments' }, labels)).to.equal(false);
      expect(matchesLabel({ label: 'queue', op: '!=', value: 'emails' }, labels)).to.equal(true);
      expect(matchesLabel(like('queue', 'pay.*'), labels)).to.equal(true);
      expect(matchesLabel(like('queue', 'pay'), labels), 'anchored at the end').to.equal(false);
      expect(matchesLabel(like('queue', 'ments'), labels), 'anchored at the start').to.equal(false);
      expect(matchesLabel(like('queue', 'emails|payments'), labels)).to.equal(true);
      expect(matchesLabel({ label: 'queue', op: '!~', value: 'pay.*' }, labels)).to.equal(false);
      expect(matchesLabel({ label: 'queue', op: '!~', value: 'pay' }, labels)).to.equal(true);
    });

    it('should read a missing label as the empty string', () => {
      expect(matchesLabel(is('team', ''), labels)).to.equal(true);
      expect(matchesLabel({ label: 'team', op: '!=', value: 'shop' }, labels)).to.equal(true);
      expect(matchesLabel(like('team', '.*'), labels)).to.equal(true);
      expect(matchesLabel(like('team', '.+'), labels)).to.equal(false);
      expect(matchesLabel({ label: 'team', op: '!~', value: '.+' }, labels)).to.equal(true);
    });

    it('should need every matcher (none needs nothing), and name what makes one unusable', () => {
      expect(matchesAll([], labels)).to.equal(true);
      expect(matchesAll([is('queue', 'payments'), is('rule', 'backlog')], labels)).to.equal(true);
      expect(matchesAll([is('queue', 'payments'), is('rule', 'stalled')], labels)).to.equal(false);
      expect(matcherProblem(is('', 'x'))).to.equal('a matcher needs a label name');
      expect(matcherProblem(like('queue', '(pay'))).to.match(
        /^"\(pay" is not a valid regular expression/,
      );
      expect(matcherProblem({ label: 'queue', op: '!~', value: '[' })).to.match(
        /is not a valid regular expression/,
      );
      expect(matcherProblem(like('queue', 'pay.*'))).to.equal(null);
    });
  });

  describe('silences', () => {
    const silence = (id: string, matchers: LabelMatcher[], startsAt = 1_000): Silence => ({
      id,
      matchers,
      startsAt,
      endsAt: 2_000,
      comment: 'maintenance',
      createdBy: 'ops',
      createdAt: 500,
    });

    it('should be pending before startsAt, active from it, expired from endsAt', () => {
      const one = silence('s1', [is('queue', 'payments')]);
      expect(silenceStatus(one, 999)).to.equal('pending');
      expect(silenceStatus(one, 1_000)).to.equal('active');
      expect(silenceStatus(one, 1_999)).to.equal('active');
      expect(silenceStatus(one, 2_000)).to.equal('expired');
    });

    it('should find the active silences that match, leaving out pending, expired and other ones', () => {
      const silences = [
        silence('payments', [is('queue', 'payments')]),
        silence('later', [is('queue', 'payments')], 1_600),
        silence('emails', [is('queue', 'emails')]),
        silence('pay-backlog', [like('queue', 'pay.*'), is('rule', 'backlog')]),
      ];
      const labels = { queue: 'payments', rule: 'backlog' };
      expect(silencesOf(silences, labels, 1_500).map((each) => each.id)).to.deep.equal([
        'payments',
        'pay-backlog',
      ]);
      expect(silencesOf(silences, labels, 1_700).map((each) => each.id)).to.deep.equal([
        'payments',
        'later',
        'pay-backlog',
      ]);
      expect(silencesOf(silences, labels, 2_000)).to.deep.equal([]);
    });

    describe('silenceProblem', () => {
      const draft: SilenceDraft = {
        matchers: [is('queue', 'payments')],
        startsAt: 1_000,
        endsAt: 5_000,
        comment: 'provider maintenance',
      };
      const anything: (matcher: LabelMatcher) => string | null = () => null;
      const problem = (changes: Partial<SilenceDraft>, now = 2_000, canMatch = anything) =>
        silenceProblem({ ...draft, ...changes }, now, canMatch);

      it('should accept a silence that can match, ends in the future and says why', () => {
        expect(problem({})).to.equal(null);
      });

      it('should refuse each mistake with what to fix', () => {
        expect(problem({ matchers: [] })).to.equal('a silence needs at least one matcher');
        expect(problem({ matchers: [is('', 'x')] })).to.equal('a matcher needs a label name');
        expect(problem({ matchers: [like('queue', 'pay(')] })).to.match(
          /not a valid regular expression/,
        );
        expect(
          problem({}, 2_000, (matcher) =>
            matcher.label === 'queue' ? 'no alert carries the label "queue"' : null,
          ),
        ).to.equal('no alert carries the label "queue"');
        expect(
          problem({ matchers: [like('queue', '.*'), { label: 'team', op: '!=', value: 'x' }] }),
        ).to.match(/^a silence needs a matcher that does not match every alert/);
        expect(problem({ endsAt: 1_000 })).to.equal('endsAt must be after startsAt');
        expect(problem({ startsAt: 0, endsAt: 1_500 })).to.equal('endsAt is already past');
        expect(problem({ comment: '   ' })).to.equal('a silence needs a comment saying why');
      });

      it('should accept an empty-matching matcher beside one that narrows', () => {
        expect(problem({ matchers: [like('team', '.*'), is('queue', 'payments')] })).to.equal(null);
      });
    });
  });

  describe('inhibitorsOf', () => {
    const redisDown: FiringLabels = {
      id: 'redis-down/redis',
      labels: { rule: 'redis-down', severity: 'critical' },
    };
    const pausedOrders: FiringLabels = {
      id: 'queue-paused/orders',
      labels: { rule: 'queue-paused', severity: 'low', queue: 'orders' },
    };
    const target = (rule: string, queue: string | null) => ({
      id: `${rule}/${queue ?? 'redis'}`,
      labels: { rule, severity: 'high', ...(queue === null ? {} : { queue }) },
    });

    it('should hold back every queue alert while Redis is down, but not Redis alerts', () => {
      const firing = [redisDown];
      for (const rule of ['failure-rate', 'backlog', 'event-gap', 'no-workers', 'stalled']) {
        expect(
          inhibitorsOf(defaultInhibitRules, firing, target(rule, 'emails')),
          rule,
        ).to.deep.equal(['redis-down/redis']);
      }
      expect(inhibitorsOf(defaultInhibitRules, firing, redisDown)).to.deep.equal([]);
      expect(inhibitorsOf(defaultInhibitRules, firing, target('redis-memory', null))).to.deep.equal(
        [],
      );
      expect(inhibitorsOf(defaultInhibitRules, [], target('backlog', 'emails'))).to.deep.equal([]);
    });

    it('should hold back only the paused queue’s backlog-type alerts', () => {
      const firing = [pausedOrders];
      for (const rule of ['backlog', 'oldest-waiting', 'wait-p95', 'drain-time', 'no-workers']) {
        expect(
          inhibitorsOf(defaultInhibitRules, firing, target(rule, 'orders')),
          rule,
        ).to.deep.equal(['queue-paused/orders']);
        expect(
          inhibitorsOf(defaultInhibitRules, firing, target(rule, 'emails')),
          rule,
        ).to.deep.equal([]);
      }
      for (const rule of ['failure-rate', 'stalled', 'event-gap', 'backlogs']) {
        expect(
          inhibitorsOf(defaultInhibitRules, firing, target(rule, 'orders')),
          rule,
        ).to.deep.equal([]);
      }
    });

    it('should name every firing alert that holds one back', () => {
      expect(
        inhibitorsOf(defaultInhibitRules, [pausedOrders, redisDown], target('backlog', 'orders')),
      ).to.have.members(['queue-paused/orders', 'redis-down/redis']);
    });

    it('should need the labels in equal to agree, a missing one reading as empty', () => {
      const rules = [
        { source: [is('rule', 'stalled')], target: [is('rule', 'backlog')], equal: ['team'] },
      ];
      const source = (id: string, team?: string): FiringLabels => ({
        id,
        labels: { rule: 'stalled', ...(team === undefined ? {} : { team }) },
      });
      const backlog = (team?: string) => ({
        id: 'backlog/x',
        labels: { rule: 'backlog', ...(team === undefined ? {} : { team }) },
      });
      const firing = [source('shop', 'shop'), source('no-team')];
      expect(inhibitorsOf(rules, firing, backlog('shop'))).to.deep.equal(['shop']);
      expect(inhibitorsOf(rules, firing, backlog('growth'))).to.deep.equal([]);
      expect(inhibitorsOf(rules, firing, backlog())).to.deep.equal(['no-team']);
    });

    it('should never let an alert hold itself back', () => {
      const rules = [{ source: [like('rule', '.*')], target: [like('rule', '.*')], equal: [] }];
      const one = target('backlog', 'orders');
      expect(inhibitorsOf(rules, [one], one)).to.deep.equal([]);
      expect(inhibitorsOf(rules, [one], target('stalled', 'orders'))).to.deep.equal([one.id]);
    });
  });

  describe('group flushes', () => {
    const member = (
      incidentKey: string,
      status: 'firing' | 'resolved',
      options: { severity?: AlertSeverity; rule?: MemberAlert['rule']; queue?: string } = {},
    ): GroupMember => {
      const queue = options.queue ?? incidentKey.split('/')[1] ?? 'orders';
      const rule = options.rule ?? 'backlog';
      const severity = options.severity ?? 'high';
      return {
        incidentKey,
        alert: {
          id: `${incidentKey}/100`,
          status,
          severity,
          title: `${rule} on ${queue}`,
          message: `${queue} is ${status}`,
          rule,
          labels: { rule, severity, queue },
          values: { waiting: 5 },
          link: `/queues/${queue}`,
          context: { queueName: queue },
          startsAt: new Date(100).toISOString(),
          ...(status === 'resolved' ? { endsAt: new Date(900).toISOString() } : {}),
        },
      };
    };
    const fresh: GroupHistory = {
      lastSentAt: null,
      lastFingerprint: null,
      announced: [],
      held: [],
    };

    describe('flushDecision', () => {
      it('should send a new group’s firing members', () => {
        const members = [member('backlog/orders', 'firing'), member('backlog/emails', 'firing')];
        expect(flushDecision(members, fresh, 1_000, 60_000)).to.deep.equal({ send: true, members });
      });

      it('should send nothing when nothing changed, and the same again once the repeat interval passed', () => {
        const members = [member('backlog/orders', 'firing')];
        const sent: GroupHistory = {
          lastSentAt: 1_000,
          lastFingerprint: groupFingerprint(members),
          announced: ['backlog/orders'],
          held: [],
        };
        expect(flushDecision(members, sent, 60_999, 60_000).send).to.equal(false);
        expect(flushDecision(members, sent, 61_000, 60_000)).to.deep.equal({ send: true, members });
      });

      it('should send a change: a new member, or an announced one resolving', () => {
        const orders = member('backlog/orders', 'firing');
        const sent: GroupHistory = {
          lastSentAt: 1_000,
          lastFingerprint: groupFingerprint([orders]),
          announced: ['backlog/orders'],
          held: [],
        };
        const joined = [orders, member('backlog/emails', 'firing')];
        expect(flushDecision(joined, sent, 2_000, 60_000)).to.deep.equal({
          send: true,
          members: joined,
        });
        const resolved = [member('backlog/orders', 'resolved')];
        expect(flushDecision(resolved, sent, 2_000, 60_000)).to.deep.equal({
          send: true,
          members: resolved,
        });
      });

      it('should not repeat a group whose members have all resolved', () => {
        const resolved = [member('backlog/orders', 'resolved')];
        const sent: GroupHistory = {
          lastSentAt: 1_000,
          lastFingerprint: groupFingerprint(resolved),
          announced: ['backlog/orders'],
          held: [],
        };
        expect(flushDecision(resolved, sent, 500_000, 60_000).send).to.equal(false);
      });

      it('should send a member that fired and resolved within the group wait, as resolved', () => {
        const burst = member('backlog/emails', 'resolved');
        expect(flushDecision([burst], fresh, 2_000, 60_000)).to.deep.equal({
          send: true,
          members: [burst],
        });
      });

      it('should leave out a resolved member that was held back while it fired and never sent', () => {
        const orders = member('backlog/orders', 'firing');
        const sent: GroupHistory = {
          lastSentAt: 1_000,
          lastFingerprint: groupFingerprint([orders]),
          announced: ['backlog/orders'],
          held: ['backlog/emails'],
        };
        const silenced = member('backlog/emails', 'resolved');
        expect(flushDecision([orders, silenced], sent, 2_000, 60_000)).to.deep.equal({
          send: false,
          members: [orders],
        });
        expect(
          flushDecision([silenced], { ...fresh, held: ['backlog/emails'] }, 2_000, 60_000),
        ).to.deep.equal({
          send: false,
          members: [],
        });
      });
    });

    describe('groupNotification', () => {
      const group = { id: 'pager/backlog/100', labels: { rule: 'backlog' }, createdAt: 100 };

      it('should send one member as itself under the group’s id', () => {
        const only = member('backlog/orders', 'firing');
        const alert = groupNotification(group, [only], 5_000);
        expect(alert).to.deep.equal({
          ...only.alert,
          id: 'pager/backlog/100',
          startsAt: new Date(100).toISOString(),
          alerts: [only.alert],
        });
        const resolved = member('backlog/orders', 'resolved');
        expect(groupNotification(group, [resolved], 5_000)).to.deep.include({
          id: 'pager/backlog/100',
          status: 'resolved',
          title: 'backlog on orders',
          endsAt: new Date(5_000).toISOString(),
        });
      });

      it('should count and list several, as urgent as the most urgent firing one', () => {
        const members = [
          member('backlog/orders', 'resolved', { severity: 'critical' }),
          member('backlog/emails', 'firing', { severity: 'medium' }),
          member('backlog/reports', 'firing', { severity: 'low' }),
        ];
        const alert = groupNotification(group, members, 5_000);
        expect(alert).to.deep.include({
          id: 'pager/backlog/100',
          status: 'firing',
          severity: 'medium',
          title: 'backlog alerts: 2 firing, 1 resolved',
          rule: 'backlog',
          labels: { rule: 'backlog' },
          values: { firing: 2, resolved: 1 },
          link: '/alerts',
          context: { queueName: 'orders, emails, reports' },
          startsAt: new Date(100).toISOString(),
        });
        expect(alert).to.not.have.property('endsAt');
        expect(alert.message.split('\n')).to.deep.equal([
          '[RESOLVED] backlog on orders: orders is resolved',
          '[FIRING] backlog on emails: emails is firing',
          '[FIRING] backlog on reports: reports is firing',
        ]);
        expect(alert.alerts).to.deep.equal(members.map((each) => each.alert));
      });

      it('should say Queuewatch for mixed rules and keep the link of a single queue', () => {
        const alert = groupNotification(
          group,
          [
            member('backlog/orders', 'firing'),
            member('stalled/orders', 'firing', { rule: 'stalled', severity: 'critical' }),
          ],
          5_000,
        );
        expect(alert).to.deep.include({
          title: 'Queuewatch alerts: 2 firing',
          severity: 'critical',
          link: '/queues/orders',
          context: { queueName: 'orders' },
        });
      });

      it('should be resolved, with an end, once every member has resolved', () => {
        const alert = groupNotification(
          group,
          [
            member('backlog/orders', 'resolved', { severity: 'low' }),
            member('backlog/emails', 'resolved', { severity: 'high' }),
          ],
          5_000,
        );
        expect(alert).to.deep.include({
          status: 'resolved',
          severity: 'high',
          title: 'backlog alerts: 2 resolved',
          values: { firing: 0, resolved: 2 },
          endsAt: new Date(5_000).toISOString(),
        });
      });
    });
  });
});
