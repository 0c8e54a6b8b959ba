import type { Alert, DeliveryStatus } from '../../../src/application/contract/index.js';
import type { Tone } from '../components/status-pill.js';

/** The tone of each severity: the two most urgent in red. */
export const severityTones: Readonly<Record<Alert['severity'], Tone>> = {
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'info',
};

/** The tone of a notification's delivery to one destination. */
export const deliveryTones: Readonly<Record<DeliveryStatus['state'], Tone>> = {
  delivered: 'ok',
  pending: 'neutral',
  retrying: 'warn',
  failed: 'bad',
};
