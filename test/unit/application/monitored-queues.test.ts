import { expect } from 'chai';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import {
  MonitoredQueues,
  type MonitoredQueuesOptions,
} from '../../../src/application/queues/monitored-queues.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { ScriptedDiscovery } from '../../support/fake-ports.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const defaults = {
  priority: 'medium' as const,
  thresholds: defaultHealthThresholds.queue,
  failureThreshold: defaultFailureThreshold,
};

function setup(options: Partial<MonitoredQueuesOptions> = {}) {
  const discovery = new ScriptedDiscovery();
  const logger = new RecordingLogger();
  const queues = new MonitoredQueues(
    { configured: [], discover: true, defaults, excluded: [], ...options },
    discovery,
    logger,
  );
  return { queues, discovery, logger };
}

describe('MonitoredQueues', () => {
  describe('.refresh', () => {
    it('should add discovered queues with the default settings, sorted by name', async () => {
      const { queues, discovery, logger } = setup();
      discovery.answer = ['zeta', 'alpha'];
      await queues.refresh();
      expect(queues.names()).to.deep.equal(['alpha', 'zeta']);
      expect(queues.get('alpha')).to.deep.equal({ name: 'alpha', ...defaults });
      expect(logger.lines.map((line) => line.message)).to.deep.equal(['queues discovered']);
    });

    it('should keep configured queues and their settings whatever discovery finds', async () => {
      const { queues, discovery } = setup({
        configured: [
          {
            name: 'wallet',
            priority: 'critical',
            thresholds: defaults.thresholds,
            failureThreshold: defaultFailureThreshold,
          },
        ],
      });
      expect(queues.names()).to.deep.equal(['wallet']);
      discovery.answer = ['wallet', 'other'];
      await queues.refresh();
      expect(queues.names()).to.deep.equal(['other', 'wallet']);
      expect(queues.get('wallet')?.priority).to.equal('critical');
    });

    it('should leave out excluded queues, and not say it found them', async () => {
      const { queues, discovery, logger } = setup({ excluded: ['failed-jobs'] });
      discovery.answer = ['failed-jobs', 'work'];
      await queues.refresh();
      expect(queues.names()).to.deep.equal(['work']);
      discovery.answer = ['failed-jobs'];
      await queues.refresh();
      expect(queues.names()).to.deep.equal([]);
      expect(logger.lines.map((line) => [line.message, line.context])).to.deep.equal([
        ['queues discovered', { queues: ['work'] }],
      ]);
    });

    it('should keep the last known queues when discovery fails, and say so', async () => {
      const { queues, discovery, logger } = setup();
      discovery.answer = ['work'];
      await queues.refresh();
      discovery.answer = new Error('Connection is closed.');
      await queues.refresh();
      expect(queues.names()).to.deep.equal(['work']);
      expect(logger.lines.at(-1)).to.deep.include({ level: 'warn' });
      expect(logger.lines.at(-1)?.context).to.deep.equal({ reason: 'Connection is closed.' });
    });

    it('should not ask Redis at all when discovery is off', async () => {
      const { queues, discovery } = setup({ discover: false });
      await queues.refresh();
      expect(discovery.calls).to.equal(0);
    });
  });
});
