import { expect } from 'chai';
import { servedIndex } from '../../../src/adapters/http/dashboard.js';

/** The shape of Vite's build of web/index.html with `base: './'`. */
const built = [
  '<!doctype html>',
  '<html lang="en">',
  '  <head>',
  '    <meta charset="UTF-8" />',
  '    <script type="module" crossorigin src="./assets/index-abc.js"></script>',
  '    <link rel="stylesheet" crossorigin href="./assets/index-def.css">',
  '  </head>',
  '  <body><div id="root"></div></body>',
  '</html>',
].join('\n');

describe('servedIndex', () => {
  describe('under a mount path', () => {
    const html = servedIndex(built, '/queues', '/queues/socket.io');

    it('should make the relative asset URLs absolute under the mount', () => {
      expect(html).to.contain('src="/queues/assets/index-abc.js"');
      expect(html).to.contain('href="/queues/assets/index-def.css"');
      expect(html).to.not.contain('"./');
    });

    it('should tell the page its mount path and socket path at the top of <head>', () => {
      expect(html).to.contain(
        '<meta charset="UTF-8" /><meta name="queuewatch-mount-path" content="/queues">' +
          '<meta name="queuewatch-socket-path" content="/queues/socket.io">',
      );
    });
  });

  describe('at the root', () => {
    it('should serve the assets from /', () => {
      const html = servedIndex(built, '', '/socket.io');
      expect(html).to.contain('src="/assets/index-abc.js"');
      expect(html).to.contain('<meta name="queuewatch-mount-path" content="">');
    });
  });

  describe('having a mount path with markup in it', () => {
    it('should escape it, in the tags and in the URLs', () => {
      const html = servedIndex(built, '/a"><script>x</script>', '/s');
      expect(html).to.not.contain('<script>x');
      expect(html).to.contain('content="/a&#34;&#62;&#60;script&#62;x&#60;/script&#62;"');
      expect(html).to.contain('src="/a&#34;&#62;&#60;script&#62;x&#60;/script&#62;/assets/');
    });
  });

  describe('having a page without <head>', () => {
    it('should put the tags after the doctype, not before it', () => {
      const html = servedIndex('<!doctype html><title>Queuewatch</title>', '/q', '/q/socket.io');
      expect(html.startsWith('<!doctype html><meta name="queuewatch-mount-path"')).to.equal(true);
    });

    it('should put them after a charset it has', () => {
      const html = servedIndex('<meta charset="utf-8"><title>Q</title>', '/q', '/q/socket.io');
      expect(html.startsWith('<meta charset="utf-8"><meta name="queuewatch-mount-path"')).to.equal(
        true,
      );
    });
  });
});
