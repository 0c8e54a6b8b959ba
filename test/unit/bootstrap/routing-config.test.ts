import { expect } from 'chai';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import {
  inhibitRules,
  routingTree,
  type DestinationFilter,
  type RoutingInput,
} from '../../../src/bootstrap/config/routing-config.js';
import { matchRoutes, type AlertRoute } from '../../../src/domain/alerting/alert-route.js';
import { defaultInhibitRules, inhibitorsOf } from '../../../src/domain/alerting/inhibition.js';

const destinations: DestinationFilter[] = [
  { name: 'pager', minSeverity: 'high', queues: ['payments', 'a.b'] },
  { name: 'chat', minSeverity: 'low', queues: null },
];

const tree = (input: RoutingInput): AlertRoute => routingTree(input, destinations, 3_600_000);

/** The ids of the routes an alert with `labels` goes to. */
function routed(root: AlertRoute, labels: Record<string, string>): string[] {
  return matchRoutes(root, labels).map((route) => route.id);
}

/** The one route with `id` in the tree. */
function find(root: AlertRoute, id: string): AlertRoute {
  if (root.id === id) return root;
  for (const child of root.routes) {
    try {
      return find(child, id);
    } catch {
      // Not under this child.
    }
  }
  throw new Error(`no route ${id} under ${root.id}`);
}

function refusal(input: RoutingInput): string {
  try {
    tree(input);
  } catch (error) {
    expect(isConfigError(error), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('routing configuration', () => {
  describe('routingTree', () => {
    describe('having no alerts.route', () => {
      it('should give each destination a continuing route of its minSeverity and queues', () => {
        const root = tree({});
        expect(root).to.deep.include({
          id: 'root',
          matchers: [],
          destinations: [],
          groupBy: ['rule'],
          groupWaitMs: 5_000,
          groupIntervalMs: 60_000,
          repeatIntervalMs: 3_600_000,
        });
        expect(root.routes.map((route) => route.id)).to.deep.equal([
          'destination-pager',
          'destination-chat',
        ]);
        expect(root.routes.map((route) => route.destinations)).to.deep.equal([['pager'], ['chat']]);
        expect(root.routes.every((route) => route.continue)).to.equal(true);

        const labels = { rule: 'failure-rate', severity: 'high', queue: 'payments' };
        expect(routed(root, labels)).to.deep.equal(['destination-pager', 'destination-chat']);
        expect(routed(root, { ...labels, severity: 'medium' })).to.deep.equal(['destination-chat']);
        expect(routed(root, { ...labels, queue: 'emails' })).to.deep.equal(['destination-chat']);
        expect(routed(root, { ...labels, queue: 'a.b' })).to.include('destination-pager');
        expect(
          routed(root, { ...labels, queue: 'axb' }),
          'a queue name is not a pattern',
        ).to.deep.equal(['destination-chat']);
      });

      it('should send nowhere without destinations, and refuse named routes', () => {
        const root = routingTree({}, [], 60_000);
        expect(root.routes).to.deep.equal([]);
        expect(routed(root, { rule: 'backlog' })).to.deep.equal(['root']);
        expect(refusal({ routes: { payments: {} } })).to.equal(
          'config file: alerts.routes: named routes need alerts.route to use them',
        );
      });
    });

    describe('having alerts.route', () => {
      it('should let every route inherit destinations and timing it does not set', () => {
        const root = tree({
          route: {
            groupWaitMs: 0,
            routes: [
              {
                match: { queue: 'payments' },
                destinations: ['pager'],
                groupBy: ['rule', 'queue'],
                routes: [{ match: { rule: 'backlog' }, repeatIntervalMs: 600_000 }],
              },
              { match: { queue: 'emails' } },
            ],
          },
        });
        expect(root).to.deep.include({
          id: 'root',
          destinations: ['pager', 'chat'],
          groupBy: ['rule'],
          groupWaitMs: 0,
          groupIntervalMs: 60_000,
          repeatIntervalMs: 3_600_000,
          continue: false,
          minSeverity: null,
        });
        expect(find(root, 'root.0')).to.deep.include({
          destinations: ['pager'],
          groupBy: ['rule', 'queue'],
          groupWaitMs: 0,
          repeatIntervalMs: 3_600_000,
        });
        expect(find(root, 'root.0.0')).to.deep.include({
          destinations: ['pager'],
          groupBy: ['rule', 'queue'],
          groupWaitMs: 0,
          groupIntervalMs: 60_000,
          repeatIntervalMs: 600_000,
        });
        expect(find(root, 'root.1')).to.deep.include({
          destinations: ['pager', 'chat'],
          groupBy: ['rule'],
          groupWaitMs: 0,
        });
        const labels = { rule: 'backlog', severity: 'low', queue: 'payments' };
        expect(routed(root, labels)).to.deep.equal(['root.0.0']);
        expect(routed(root, { ...labels, rule: 'stalled' })).to.deep.equal(['root.0']);
        expect(routed(root, { ...labels, queue: 'reports' })).to.deep.equal(['root']);
      });

      it('should take minSeverity and continue from a route', () => {
        const root = tree({
          route: {
            routes: [
              { minSeverity: 'critical', continue: true, destinations: ['pager'] },
              { destinations: ['chat'] },
            ],
          },
        });
        expect(find(root, 'root.0')).to.deep.include({ minSeverity: 'critical', continue: true });
        expect(routed(root, { rule: 'backlog', severity: 'critical' })).to.deep.equal([
          'root.0',
          'root.1',
        ]);
        expect(routed(root, { rule: 'backlog', severity: 'high' })).to.deep.equal(['root.1']);
      });

      it('should build named routes where they are used, under their own name or the parent’s', () => {
        const root = tree({
          route: {
            destinations: ['chat'],
            routes: ['payments', { match: { queue: 'emails' }, routes: ['team-shop'] }],
          },
          routes: {
            payments: { match: { queue: 'pay*' }, destinations: ['pager'] },
            'team-shop': { name: 'shop', match: { labels: { team: 'shop' } } },
          },
        });
        expect(root.routes.map((route) => route.id)).to.deep.equal(['root.payments', 'root.1']);
        expect(find(root, 'root.payments').destinations).to.deep.equal(['pager']);
        expect(find(root, 'shop').destinations, 'inherited where it is used').to.deep.equal([
          'chat',
        ]);
        expect(routed(root, { rule: 'backlog', queue: 'payments-eu' })).to.deep.equal([
          'root.payments',
        ]);
        expect(routed(root, { rule: 'backlog', queue: 'emails', team: 'shop' })).to.deep.equal([
          'shop',
        ]);
      });

      it('should build a named route with children under every parent that uses it, each with its own ids', () => {
        const root = tree({
          route: {
            routes: [
              { match: { severity: 'critical' }, destinations: ['pager'], routes: ['team'] },
              { match: { severity: 'low' }, destinations: ['chat'], routes: ['team'] },
            ],
          },
          routes: {
            team: { match: { labels: { team: 'shop' } }, routes: [{ match: { queue: 'a*' } }] },
          },
        });
        expect(find(root, 'root.0.team.0').destinations).to.deep.equal(['pager']);
        expect(find(root, 'root.1.team.0').destinations).to.deep.equal(['chat']);
        expect(
          routed(root, { rule: 'backlog', severity: 'low', team: 'shop', queue: 'api' }),
        ).to.deep.equal(['root.1.team.0']);
      });

      describe('refusing what cannot work, naming where and why', () => {
        it('should refuse an unknown destination', () => {
          expect(refusal({ route: { destinations: ['sms'] } })).to.equal(
            'config file: alerts.route: unknown destination "sms" (destinations: pager, chat)',
          );
          expect(
            refusal({ route: { routes: [{}, { destinations: ['pager', 'mail'] }] } }),
          ).to.equal(
            'config file: alerts.route.routes[1]: unknown destination "mail" (destinations: pager, chat)',
          );
          expect(() => routingTree({ route: { destinations: ['x'] } }, [], 1)).to.throw(
            'unknown destination "x" (destinations: none)',
          );
        });

        it('should refuse a cycle through named routes, and a name no route has', () => {
          expect(
            refusal({
              route: { routes: ['a'] },
              routes: { a: { routes: ['b'] }, b: { routes: ['a'] } },
            }),
          ).to.equal('config file: alerts.routes.b.routes[0]: the routes form a cycle: a → b → a');
          expect(refusal({ route: { routes: ['a'] }, routes: { a: { routes: ['a'] } } })).to.equal(
            'config file: alerts.routes.a.routes[0]: the routes form a cycle: a → a',
          );
          expect(refusal({ route: { routes: [{}, 'nope'] }, routes: {} })).to.equal(
            'config file: alerts.route.routes[1]: no route is named "nope" in alerts.routes',
          );
        });

        it('should refuse a glob that does not parse, in a route and in an inhibition rule', () => {
          expect(refusal({ route: { routes: [{ match: { queue: ['pay*', 'pay['] } }] } })).to.match(
            /^config file: alerts\.route\.routes\[0\]\.match\.queue: "pay\[" is not a valid glob \(.+\)$/,
          );
          expect(refusal({ route: { routes: [{ match: { labels: { team: '[a' } } }] } })).to.match(
            /^config file: alerts\.route\.routes\[0\]\.match\.labels\.team: "\[a" is not a valid glob/,
          );
          expect(() =>
            inhibitRules({
              inhibitRules: [{ source: { rule: 'stalled' }, target: { queue: 'x[' } }],
            }),
          ).to.throw(
            /^config file: alerts\.inhibitRules\[0\]\.target\.queue: "x\[" is not a valid glob/,
          );
        });

        it('should refuse a rule or a severity that does not exist', () => {
          expect(
            refusal({ route: { routes: [{ match: { rule: ['backlog', 'backlogs'] } }] } }),
          ).to.match(
            /^config file: alerts\.route\.routes\[0\]\.match\.rule: "backlogs" is not a rule \(rules: failure-rate, backlog, /,
          );
          expect(refusal({ route: { routes: [{ match: { severity: 'urgent' } }] } })).to.equal(
            'config file: alerts.route.routes[0].match.severity: "urgent" is not a severity (critical, high, medium, low)',
          );
        });

        it('should refuse match, minSeverity or continue on the root', () => {
          const message =
            'config file: alerts.route: the root route takes every alert; put match, minSeverity and continue on its routes';
          expect(refusal({ route: { match: { queue: 'payments' } } })).to.equal(message);
          expect(refusal({ route: { minSeverity: 'high' } })).to.equal(message);
          expect(refusal({ route: { continue: false } })).to.equal(message);
        });

        it('should refuse a route name used twice', () => {
          expect(refusal({ route: { routes: [{ name: 'pay' }, { name: 'pay' }] } })).to.equal(
            'config file: alerts.route.routes[1]: the route name "pay" is used twice',
          );
          expect(refusal({ route: { routes: [{ name: 'root' }] } })).to.equal(
            'config file: alerts.route.routes[0]: the route name "root" is used twice',
          );
        });
      });
    });

    describe('glob matching on real labels', () => {
      /** Does a route matching `queue` (or `team`, as a label glob) take an alert with `value`? */
      const takes = (match: Record<string, unknown>, labels: Record<string, string>): boolean => {
        const root = tree({ route: { routes: [{ name: 'it', match }] } });
        return routed(root, { rule: 'backlog', severity: 'high', ...labels }).includes('it');
      };

      it('should match * across the rest of a name, dots included', () => {
        const match = { queue: 'pay*' };
        expect(takes(match, { queue: 'payments' })).to.equal(true);
        expect(takes(match, { queue: 'pay' })).to.equal(true);
        expect(takes(match, { queue: 'pay.eu' })).to.equal(true);
        expect(takes(match, { queue: 'repay' })).to.equal(false);
        expect(takes(match, {})).to.equal(false);
      });

      it('should match one of {a,b} and exactly one character for ?', () => {
        expect(takes({ queue: '{a,b}' }, { queue: 'a' })).to.equal(true);
        expect(takes({ queue: '{a,b}' }, { queue: 'b' })).to.equal(true);
        expect(takes({ queue: '{a,b}' }, { queue: 'ab' })).to.equal(false);
        expect(takes({ queue: '{a,b}' }, { queue: '{a,b}' })).to.equal(false);
        expect(takes({ queue: 'q?' }, { queue: 'q1' })).to.equal(true);
        expect(takes({ queue: 'q?' }, { queue: 'q' })).to.equal(false);
        expect(takes({ queue: 'q?' }, { queue: 'q12' })).to.equal(false);
      });

      it('should match any glob of a list, and every field of a match', () => {
        const match = { queue: ['emails', 'pay*'], labels: { team: 'shop' }, severity: 'high' };
        expect(takes(match, { queue: 'emails', team: 'shop' })).to.equal(true);
        expect(takes(match, { queue: 'payments', team: 'shop' })).to.equal(true);
        expect(takes(match, { queue: 'payments', team: 'growth' })).to.equal(false);
        expect(takes(match, { queue: 'reports', team: 'shop' })).to.equal(false);
      });

      it('should match globs and names holding -, :, and other punctuation literally', () => {
        expect(takes({ queue: 'billing-*' }, { queue: 'billing-eu' })).to.equal(true);
        expect(takes({ queue: 'billing-*' }, { queue: 'billing_eu' })).to.equal(false);
        expect(takes({ labels: { team: 'shop-{eu,us}' } }, { team: 'shop-us' })).to.equal(true);
        expect(takes({ queue: 'jobs:high' }, { queue: 'jobs:high' })).to.equal(true);
        expect(takes({ queue: 'jobs:high' }, { queue: 'jobs-high' })).to.equal(false);
        expect(takes({ queue: 'a+b' }, { queue: 'a+b' })).to.equal(true);
      });
    });
  });

  describe('inhibitRules', () => {
    it('should be the defaults when the file has none', () => {
      expect(inhibitRules({})).to.equal(defaultInhibitRules);
    });

    it('should make the file’s rules from label globs, and replace the defaults', () => {
      const rules = inhibitRules({
        inhibitRules: [
          {
            source: { rule: 'stalled', queue: 'pay*' },
            target: { rule: 'backlog' },
            equal: ['queue'],
          },
        ],
      });
      expect(rules).to.have.length(1);
      expect(rules[0]?.equal).to.deep.equal(['queue']);
      const stalled = { id: 's', labels: { rule: 'stalled', queue: 'payments' } };
      const backlog = (queue: string) => ({ id: `b/${queue}`, labels: { rule: 'backlog', queue } });
      expect(inhibitorsOf(rules, [stalled], backlog('payments'))).to.deep.equal(['s']);
      expect(inhibitorsOf(rules, [stalled], backlog('emails'))).to.deep.equal([]);
      const redisDown = { id: 'r', labels: { rule: 'redis-down' } };
      expect(inhibitorsOf(rules, [redisDown], backlog('payments'))).to.deep.equal([]);
      expect(inhibitRules({ inhibitRules: [] })).to.deep.equal([]);
    });
  });
});
