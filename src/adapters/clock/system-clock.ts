import type { Clock } from '../../application/ports/clock.port.js';

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };
