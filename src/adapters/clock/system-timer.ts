import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Timer } from '../../application/ports/timer.port.js';

/** Waits on the machine's timers; a pending wait does not keep the process alive. */
export const systemTimer: Timer = {
  delay: async (ms, signal) => {
    // Many waits may share one signal (every write kept while Redis refuses them).
    if (signal) setMaxListeners(0, signal);
    await sleep(ms, undefined, { ref: false, ...(signal ? { signal } : {}) });
  },
};
