/**
 * Spreading periodic re-reads of many quiet queues over their period: each queue gets a moment
 * of its own in the period (a hash of its name, the same on every instance), and is due once the
 * clock has passed that moment since its last read. So each queue is re-read once in every
 * period — never older than it — and thousands of queues read at the same time do not all fall
 * due together again.
 */

/** A moment in `periodMs` drawn from the name (FNV-1a); 0 for a period of 0. */
export function phaseOf(name: string, periodMs: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index += 1) {
    hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  }
  return periodMs <= 0 ? 0 : hash % periodMs;
}

/**
 * Has the queue's moment (`phase`) come round since `lastAt`, by `now`? A period of 0: always. A
 * clock set back before `lastAt`: at once, rather than not again until it has caught up.
 */
export function dueAgain(phase: number, periodMs: number, lastAt: number, now: number): boolean {
  if (periodMs <= 0 || now < lastAt) return true;
  // Asked for every watched queue on every check: plain arithmetic, nothing allocated.
  return Math.floor((now - phase) / periodMs) > Math.floor((lastAt - phase) / periodMs);
}
