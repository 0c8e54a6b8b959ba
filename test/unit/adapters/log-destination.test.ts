import { expect } from 'chai';
import { destinationDependencies } from '../../../src/adapters/alerting/destination-factory.js';
import { createLogDestination } from '../../../src/adapters/alerting/log/log-destination.js';
import { sampleAlert } from '../../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../../support/recording-logger.js';

describe('log destination', () => {
  it('should warn when an alert fires and inform when it resolves, always delivered', async () => {
    const logger = new RecordingLogger();
    const destination = await createLogDestination('console', {}, destinationDependencies(logger));
    const attempt = { id: 'delivery-1', attempt: 1 };

    expect(await destination.send(sampleAlert(), attempt)).to.deep.equal({ outcome: 'delivered' });
    const resolved = sampleAlert({ status: 'resolved', endsAt: '2025-01-01T10:20:00.000Z' });
    expect(await destination.send(resolved, attempt)).to.deep.equal({ outcome: 'delivered' });

    expect(logger.lines.map(({ level, message }) => ({ level, message }))).to.deep.equal([
      { level: 'warn', message: 'alert firing: Failures on emails' },
      { level: 'info', message: 'alert resolved: Failures on emails' },
    ]);
    expect(logger.lines[0]!.context).to.include({
      destination: 'console',
      alertId: 'alert-emails-failures',
      severity: 'critical',
      queue: 'emails',
      failureCount: 12,
      threshold: 10,
      recentJobId: '4711',
    });
    expect(logger.lines[1]!.context).to.include({ endsAt: '2025-01-01T10:20:00.000Z' });
  });
});
