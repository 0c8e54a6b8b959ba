import { expect } from 'chai';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import { loadConfig, type QueuewatchConfig } from '../../../src/bootstrap/config/load-config.js';
import { defaultConditionRules } from '../../../src/domain/alerting/condition-rules.js';

/** Load a config whose file is `document`. */
function load(document: unknown): Promise<QueuewatchConfig> {
  return loadConfig({ QUEUEWATCH_CONFIG: '/etc/queuewatch.json' }, (path) =>
    path === '/etc/queuewatch.json'
      ? Promise.resolve(JSON.stringify(document))
      : Promise.reject(new Error('ENOENT')),
  );
}

async function refusal(document: unknown): Promise<string> {
  try {
    await load(document);
  } catch (error) {
    expect(isConfigError(error), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function rulesOf(config: QueuewatchConfig, name: string) {
  const queue = config.queues.configured.find((each) => each.name === name);
  return queue?.rules ?? [];
}

describe('condition rules in the config file', () => {
  describe('having no rules written', () => {
    it('should run none: only the failure-rate rule, as before', async () => {
      const config = await load({ queues: [{ name: 'payments' }] });
      expect(rulesOf(config, 'payments')).to.deep.equal([]);
      expect(config.queues.defaults.rules).to.deep.equal([]);
      expect(config.conditionRules).to.deep.equal({ redis: [], anyConfigured: false });
    });
  });

  describe('having alerts.rules and per-queue rules', () => {
    const document = {
      queues: [
        {
          name: 'payments',
          priority: 'critical',
          labels: { team: 'billing' },
          rules: { backlog: { count: 50 }, 'no-workers': { enabled: false } },
        },
        { name: 'emails', rules: { 'queue-paused': { enabled: false } } },
      ],
      alerts: {
        rules: {
          backlog: { count: 1_000, forMs: 60_000 },
          'no-workers': { forMs: 30_000 },
          'redis-down': { forMs: 0 },
          'redis-memory': { fraction: 0.8, severity: 'high' },
        },
      },
    };

    it('should give every queue the defaults, its own entries over them', async () => {
      const config = await load(document);
      expect(rulesOf(config, 'payments')).to.deep.equal([
        { ...defaultConditionRules.backlog, count: 50, clearCount: 40 },
        defaultConditionRules['queue-paused'],
      ]);
      expect(rulesOf(config, 'emails')).to.deep.equal([
        { ...defaultConditionRules.backlog, count: 1_000, clearCount: 800 },
        defaultConditionRules['no-workers'],
      ]);
      expect(config.queues.defaults.rules?.map((rule) => rule.type)).to.deep.equal([
        'backlog',
        'no-workers',
        'queue-paused',
      ]);
    });

    it('should carry the queue labels and the Redis rules', async () => {
      const config = await load(document);
      expect(config.queues.configured[0]?.labels).to.deep.equal({ team: 'billing' });
      expect(config.queues.configured[1]?.labels).to.deep.equal({});
      expect(config.conditionRules).to.deep.equal({
        anyConfigured: true,
        redis: [
          { ...defaultConditionRules['redis-down'], forMs: 0 },
          {
            ...defaultConditionRules['redis-memory'],
            fraction: 0.8,
            clearFraction: 0.75,
            severity: 'high',
          },
        ],
      });
    });
  });

  describe('having mistakes', () => {
    it('should name an unknown rule and the ones it knows', async () => {
      const message = await refusal({ alerts: { rules: { bakclog: {} } } });
      expect(message).to.contain('alerts.rules: unknown rule "bakclog" (known: backlog,');
    });

    it('should refuse a Redis rule on a queue', async () => {
      const message = await refusal({
        queues: [{ name: 'payments', rules: { 'redis-down': {} } }],
      });
      expect(message).to.contain('queues[0].rules: unknown rule "redis-down"');
    });

    for (const [rules, key, expected] of [
      [{ backlog: { count: 0 } }, 'alerts.rules.backlog.count', 'above 0'],
      [{ stalled: { count: -1 } }, 'alerts.rules.stalled.count', 'above 0'],
      [{ 'no-workers': { forMs: -5 } }, 'alerts.rules.no-workers.forMs', '0 or more'],
      [{ 'event-gap': { windowMs: 0 } }, 'alerts.rules.event-gap.windowMs', 'above 0'],
      [{ 'wait-p95': { windowMs: 0.5 } }, 'alerts.rules.wait-p95.windowMs', 'whole number'],
      [{ 'drain-time': { seconds: 0 } }, 'alerts.rules.drain-time.seconds', 'above 0'],
      [{ 'redis-memory': { fraction: 1.5 } }, 'alerts.rules.redis-memory.fraction', 'at most 1'],
      [{ 'redis-memory': { fraction: 0 } }, 'alerts.rules.redis-memory.fraction', 'above 0'],
    ] as const) {
      it(`should name ${key} when it is out of range`, async () => {
        const message = await refusal({ alerts: { rules } });
        expect(message).to.contain(key).and.contain(expected);
      });
    }

    it('should refuse a clear level that is not below its trigger, naming the rule', async () => {
      const message = await refusal({
        queues: [{ name: 'payments', rules: { backlog: { count: 10, clearCount: 10 } } }],
      });
      expect(message).to.equal(
        'config file: queues "payments".rules.backlog: clearCount (10) must be below count (10)',
      );
    });

    it('should refuse an option of another rule, and a label Queuewatch sets', async () => {
      expect(await refusal({ alerts: { rules: { backlog: { ageMs: 5 } } } })).to.contain(
        'alerts.rules.backlog',
      );
      expect(
        await refusal({ queues: [{ name: 'payments', labels: { severity: 'x' } }] }),
      ).to.contain('queues[0].labels.severity');
    });
  });
});
