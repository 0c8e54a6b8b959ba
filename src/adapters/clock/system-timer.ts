import { setMaxListeners } from 'node:events';
import { setImmediate as afterIo, setTimeout as sleep } from 'node:timers/promises';
import type { Timer } from '../../application/ports/timer.port.js';

/** Waits and repeats on the machine's timers. */
export const systemTimer: Timer = {
  delay: async (ms, signal) => {
    // Many waits may share one signal (every write kept while Redis refuses them).
    if (signal) setMaxListeners(0, signal);
    // A pending wait does not keep the process alive.
    await sleep(ms, undefined, { ref: false, ...(signal ? { signal } : {}) });
  },
  every: (ms, task) => {
    const interval = setInterval(task, ms);
    return () => {
      clearInterval(interval);
    };
  },
  nextTurn: async () => {
    await afterIo();
  },
};
