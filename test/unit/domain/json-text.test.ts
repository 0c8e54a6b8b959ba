import { expect } from 'chai';
import { cutText, utf8Bytes } from '../../../src/domain/console/json-text.js';

describe('json-text', () => {
  describe('.cutText', () => {
    it('should keep a text that fits whole', () => {
      expect(cutText('{"a":1}')).to.deep.equal({ text: '{"a":1}', bytes: 7, truncated: false });
    });

    it('should cut a long text at the limit and keep the size of the whole', () => {
      const text = 'x'.repeat(70_000);
      const cut = cutText(text);
      expect(cut).to.include({ bytes: 70_000, truncated: true });
      expect(cut.text).to.equal('x'.repeat(64 * 1024));
    });

    it('should never split a character of several bytes', () => {
      const cut = cutText('é'.repeat(10), undefined, 5);
      expect(cut).to.deep.equal({ text: 'éé', bytes: 20, truncated: true });
      expect(cutText('a😀b', undefined, 3)).to.deep.equal({ text: 'a', bytes: 6, truncated: true });
    });

    it('should say truncated when the reader already cut the text, and drop a half character', () => {
      expect(cutText('ab\uFFFD', 10_000)).to.deep.equal({
        text: 'ab',
        bytes: 10_000,
        truncated: true,
      });
    });
  });

  describe('.utf8Bytes', () => {
    it('should count as UTF-8 does', () => {
      for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€']) {
        expect(utf8Bytes(text), text).to.equal(new TextEncoder().encode(text).length);
      }
    });
  });
});
