import type { MetricsRecorder } from '../../src/application/ports/metrics.port.js';
import { MonitoredQueues } from '../../src/application/queues/monitored-queues.js';
import {
  defaultFailureThreshold,
  type FailureThreshold,
} from '../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../src/domain/queue-health/index.js';
import { ScriptedDiscovery } from './fake-ports.js';
import { RecordingLogger } from './recording-logger.js';

/** A tight rule for unit tests: 3 failures in 10 s fire, 1 or fewer clears. */
export const tightThreshold: FailureThreshold = {
  ...defaultFailureThreshold,
  count: 3,
  clearCount: 1,
  windowMs: 10_000,
};

/** Watched queues holding only `payments` (priority critical), no discovery. */
export function paymentsOnly(threshold: FailureThreshold = tightThreshold): MonitoredQueues {
  return new MonitoredQueues(
    {
      configured: [
        {
          name: 'payments',
          priority: 'critical',
          thresholds: defaultHealthThresholds.queue,
          failureThreshold: threshold,
        },
      ],
      discover: false,
      defaults: {
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: threshold,
      },
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
}

/** Metrics nobody reads. */
export const ignoredMetrics: MetricsRecorder = {
  jobFailed: () => undefined,
  alertNotified: () => undefined,
  deliveryFinished: () => undefined,
  eventRead: () => undefined,
};
