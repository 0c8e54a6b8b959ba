import { expect } from 'chai';
import { servedAtOf } from '../../web/src/api/mount-path.js';

/** A page whose <head> holds `html`. */
function page(html: string): Document {
  const doc = document.implementation.createHTMLDocument('page');
  doc.head.innerHTML = html;
  return doc;
}

describe('servedAtOf', () => {
  describe('having the meta tags Queuewatch writes', () => {
    it('should answer the mount path and the socket path', () => {
      const servedAt = servedAtOf(
        page(
          '<meta name="queuewatch-mount-path" content="/queues">' +
            '<meta name="queuewatch-socket-path" content="/queues/socket.io">',
        ),
      );
      expect(servedAt).to.deep.equal({ mountPath: '/queues', socketPath: '/queues/socket.io' });
    });

    it('should take the root for an empty mount path', () => {
      const servedAt = servedAtOf(
        page(
          '<meta name="queuewatch-mount-path" content="">' +
            '<meta name="queuewatch-socket-path" content="/socket.io">',
        ),
      );
      expect(servedAt).to.deep.equal({ mountPath: '', socketPath: '/socket.io' });
    });
  });

  describe('having only the mount path', () => {
    it('should put the socket under it and drop a trailing slash', () => {
      const servedAt = servedAtOf(page('<meta name="queuewatch-mount-path" content="/ops/qw/">'));
      expect(servedAt).to.deep.equal({ mountPath: '/ops/qw', socketPath: '/ops/qw/socket.io' });
    });
  });

  describe('having neither (the Vite dev server)', () => {
    it('should answer the root', () => {
      expect(servedAtOf(page(''))).to.deep.equal({ mountPath: '', socketPath: '/socket.io' });
    });
  });
});
