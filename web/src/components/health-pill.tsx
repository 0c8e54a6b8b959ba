import type { HealthStatus } from '../../../src/application/contract/index.js';
import { StatusPill, type Tone } from './status-pill.js';

const tones: Record<HealthStatus, Tone> = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad' };

/** The tone of a health verdict. */
export const toneOfHealth = (status: HealthStatus): Tone => tones[status];

/** A health verdict as a pill. */
export function HealthPill(props: { status: HealthStatus; testId?: string | undefined }) {
  return (
    <StatusPill tone={toneOfHealth(props.status)} label={props.status} testId={props.testId} />
  );
}
