import { expect } from 'chai';
import {
  PendingWrites,
  WritesStoppedError,
} from '../../../src/application/writes/pending-writes.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer, settle } from '../../support/manual-timer.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A write that fails `failures` times, then succeeds; counts its tries. */
function flakyWrite(failures: number): { write: () => Promise<void>; tries: () => number } {
  let tries = 0;
  return {
    write: () => {
      tries += 1;
      return tries <= failures
        ? Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'"))
        : Promise.resolve();
    },
    tries: () => tries,
  };
}

describe('PendingWrites', () => {
  function setup() {
    const clock = new FixedClock(50_000);
    const timer = new ManualTimer();
    const logger = new RecordingLogger();
    const writes = new PendingWrites(clock, timer, logger, { firstDelayMs: 100, maxDelayMs: 400 });
    return { clock, timer, logger, writes };
  }

  describe('.keep', () => {
    it('should write at once and keep nothing when Redis accepts', async () => {
      const { writes, timer } = setup();
      const flaky = flakyWrite(0);
      await writes.keep('dead-letter', flaky.write);
      expect(flaky.tries()).to.equal(1);
      expect(timer.asked).to.deep.equal([]);
      expect(writes.status()).to.deep.equal({
        deadLetters: 0,
        alerts: 0,
        since: null,
        lastError: null,
      });
    });

    it('having a write refused, should retry it with growing pauses and settle only once it is done', async () => {
      const { writes, timer, clock, logger } = setup();
      const flaky = flakyWrite(4);
      let done = false;
      const kept = writes.keep('alert', flaky.write).then(() => {
        done = true;
      });
      await settle();
      expect(writes.status()).to.deep.include({ deadLetters: 0, alerts: 1, since: 50_000 });
      expect(writes.status().lastError).to.contain('OOM');
      for (let round = 0; round < 3; round += 1) {
        clock.advance(1_000);
        await timer.elapse();
        expect(done, `after retry ${String(round + 1)}`).to.equal(false);
      }
      await timer.elapse();
      await kept;
      expect(done).to.equal(true);
      expect(flaky.tries()).to.equal(5);
      expect(timer.asked).to.deep.equal([100, 200, 400, 400]);
      expect(writes.status().since).to.equal(null);
      expect(logger.lines.map((line) => line.level)).to.deep.equal(['error', 'info']);
    });
  });

  describe('.stop', () => {
    it('should end every waiting write with WritesStoppedError, never as done', async () => {
      const { writes } = setup();
      const kept = writes.keep('dead-letter', flakyWrite(1_000).write);
      await settle();
      writes.stop();
      let ended: unknown;
      try {
        await kept;
      } catch (error) {
        ended = error;
      }
      expect(ended).to.be.instanceOf(WritesStoppedError);
      expect(writes.size).to.equal(0);
    });
  });
});
