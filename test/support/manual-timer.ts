import type { Timer } from '../../src/application/ports/timer.port.js';

/**
 * A timer whose waits end, and whose repeated tasks run, when the test says so; it remembers how
 * long each wait asked for.
 */
export class ManualTimer implements Timer {
  private readonly waits: { ms: number; resolve: () => void }[] = [];
  private readonly repeated = new Map<number, { ms: number; task: () => void }>();
  private nextTask = 0;
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

  every(ms: number, task: () => void): () => void {
    const id = (this.nextTask += 1);
    this.repeated.set(id, { ms, task });
    return () => {
      this.repeated.delete(id);
    };
  }

  /** Other work is not simulated: the next turn is now. */
  nextTurn(): Promise<void> {
    return Promise.resolve();
  }

  /** The periods of the repeated tasks still running, in ms, in the order they were set. */
  get periods(): number[] {
    return [...this.repeated.values()].map((entry) => entry.ms);
  }

  /** Run once every repeated task whose period is `ms`. */
  tick(ms: number): void {
    for (const entry of [...this.repeated.values()]) if (entry.ms === ms) entry.task();
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
