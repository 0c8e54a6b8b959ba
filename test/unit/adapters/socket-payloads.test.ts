import { expect } from 'chai';
import {
  parseJobRequest,
  parseQueueRequest,
} from '../../../src/adapters/socketio/socket-payloads.js';

// Counterexamples the property tests in test/property/adapters/socket-payloads.test.ts found.
describe('socket payloads', () => {
  describe('parseQueueRequest', () => {
    describe('having no queue name, or one of another type', () => {
      it('should say queueName must be a string, not "Invalid input"', () => {
        expect(parseQueueRequest({})).to.deep.equal({
          ok: false,
          message: 'queueName must be a string',
        });
        expect(parseQueueRequest({ queueName: 5 })).to.deep.equal({
          ok: false,
          message: 'queueName must be a string',
        });
      });
    });

    describe('having an empty queue name', () => {
      it('should say it is empty, and not that it holds a colon', () => {
        expect(parseQueueRequest({ queueName: '' })).to.deep.equal({
          ok: false,
          message: 'queueName must not be empty',
        });
      });
    });

    describe('having "*"', () => {
      it('should accept it as every queue', () => {
        expect(parseQueueRequest({ queueName: '*' })).to.deep.equal({
          ok: true,
          value: { queueName: '*' },
        });
      });
    });
  });

  describe('parseJobRequest', () => {
    describe('having an empty array for jobId', () => {
      it('should say jobId must be a string, and not that it is empty', () => {
        expect(parseJobRequest({ jobId: [] })).to.deep.equal({
          ok: false,
          message: 'jobId must be a string',
        });
      });
    });

    describe('having unknown fields with odd or long names', () => {
      it('should list them on one short line, quoted and shortened', () => {
        const result = parseJobRequest({ jobId: 'a', 'a\nb': 1, ['x'.repeat(300)]: 2 });
        expect(result).to.deep.equal({
          ok: false,
          message: `unknown field: "a\\nb", "${'x'.repeat(40)}…"`,
        });
      });

      it('should name the first three and count the rest', () => {
        const result = parseJobRequest({ jobId: 'a', b: 1, c: 2, d: 3, e: 4, f: 5 });
        expect(result).to.deep.equal({
          ok: false,
          message: 'unknown field: b, c, d and 2 more',
        });
      });

      it('should escape control characters JSON leaves as they are', () => {
        const result = parseJobRequest({ jobId: 'a', 'a\u0085b\u2028': 1 });
        expect(result).to.deep.equal({ ok: false, message: 'unknown field: "a\\u0085b\\u2028"' });
      });
    });

    describe('having a binary payload', () => {
      it('should refuse it in one line, without listing every method of a Buffer', () => {
        const result = parseJobRequest(Buffer.from('{"jobId":"1"}'));
        expect(result.ok).to.equal(false);
        if (!result.ok) {
          expect(result.message).to.match(
            /^jobId must be a string; unknown field: 0, \w+, \w+ and \d+ more$/,
          );
        }
      });
    });

    describe('having 256 emoji for jobId', () => {
      it('should accept them: a character is a code point', () => {
        expect(parseJobRequest({ jobId: '💥'.repeat(256) }).ok).to.equal(true);
        expect(parseJobRequest({ jobId: '💥'.repeat(257) }).ok).to.equal(false);
      });
    });
  });
});
