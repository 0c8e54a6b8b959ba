import { expect } from 'chai';
import { decodeCursor, encodeCursor } from '../../../src/adapters/http/console-cursor.js';

const raw = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');

describe('console-cursor', () => {
  describe('.encodeCursor then .decodeCursor', () => {
    it('should give back the position, as a URL-safe text', () => {
      const position = { index: 50, after: { id: 'job:1/ä', score: '1.7e+15' } };
      const cursor = encodeCursor('list', 'failed', 'newest', position);
      expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, 'list', 'failed', 'newest')).to.deep.equal({
        ok: true,
        position,
      });
      const bare = encodeCursor('search', 'waiting', 'oldest', { index: 3, after: null });
      expect(decodeCursor(bare, 'search', 'waiting', 'oldest')).to.deep.equal({
        ok: true,
        position: { index: 3, after: null },
      });
    });
  });

  describe('.decodeCursor', () => {
    const good = { v: 1, k: 'list', s: 'failed', o: 'newest', i: 5, a: 'x', c: '17' };

    it('should refuse a cursor of another read, state or order, saying which', () => {
      const cursor = raw(good);
      expect(decodeCursor(cursor, 'search', 'failed', 'newest')).to.deep.include({ ok: false });
      const other = decodeCursor(cursor, 'list', 'completed', 'newest');
      expect(other.ok).to.equal(false);
      expect(!other.ok && other.message).to.include('state=failed&order=newest');
      expect(decodeCursor(cursor, 'list', 'failed', 'oldest').ok).to.equal(false);
    });

    it('should refuse anything Queuewatch did not make', () => {
      for (const forged of [
        '',
        'not base64!',
        Buffer.from('not json').toString('base64url'),
        raw([]),
        raw({ ...good, v: 2 }),
        raw({ ...good, i: -1 }),
        raw({ ...good, i: 1.5 }),
        raw({ ...good, i: 1e12 }),
        raw({ ...good, i: '5' }),
        raw({ ...good, s: 'stuck' }),
        raw({ ...good, c: '1 2' }),
        raw({ ...good, c: "'); redis.call('FLUSHALL" }),
        raw({ ...good, a: null }),
        raw({ ...good, a: 'x'.repeat(257) }),
        raw({ ...good, extra: 1 }),
        'A'.repeat(2_000),
      ]) {
        expect(decodeCursor(forged, 'list', 'failed', 'newest').ok, forged).to.equal(false);
      }
    });
  });
});
