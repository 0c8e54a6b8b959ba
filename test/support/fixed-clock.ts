import type { Clock } from '../../src/application/ports/clock.port.js';

/** A clock that says what it is told. */
export class FixedClock implements Clock {
  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  setTo(time: number): void {
    this.time = time;
  }
}
