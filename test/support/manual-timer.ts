import type { Timer } from '../../src/application/ports/timer.port.js';

/** A timer whose waits end when the test says so; it remembers how long each asked to wait. */
export class ManualTimer implements Timer {
  private readonly waits: { ms: number; resolve: () => void }[] = [];
  /** Every wait ever asked for, in ms, oldest first. */
  readonly asked: number[] = [];

  delay(ms: number, signal?: AbortSignal): Promise<void> {
    this.asked.push(ms);
    return new Promise((resolve, reject) => {
      const wait = { ms, resolve };
      this.waits.push(wait);
      signal?.addEventListener('abort', () => {
        this.waits.splice(this.waits.indexOf(wait), 1);
        reject(new Error('aborted'));
      });
    });
  }

  /** Waits not yet ended. */
  get pending(): number {
    return this.waits.length;
  }

  /** End every wait now, then let the promise callbacks that follow run. */
  async elapse(): Promise<void> {
    for (const wait of this.waits.splice(0)) wait.resolve();
    await settle();
  }
}

/** Let queued promise callbacks run (a few rounds of them). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await Promise.resolve();
}
