import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { statusOf } from '../../../src/adapters/http/api-error.js';
import { ListenError } from '../../../src/adapters/http/http-server.js';
import {
  connectErrorCodes,
  socketErrorCodes,
} from '../../../src/adapters/socketio/socket-payloads.js';
import { ConfigError } from '../../../src/bootstrap/config/config-error.js';
import { EmbedError } from '../../../src/bootstrap/embed/embed-error.js';

describe('docs/errors.md', () => {
  it('should list every error code with its HTTP status or exit code', async () => {
    const docs = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, status] of Object.entries(statusOf)) {
      expect(docs, code).to.match(
        new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${String(status)}\\s*\\|`),
      );
    }
    const startup = [
      new ConfigError('x').code,
      new ListenError('QW_PORT_IN_USE', 'x').code,
      new ListenError('QW_LISTEN_FAILED', 'x').code,
      new EmbedError('x').code,
    ];
    for (const code of [...startup, ...socketErrorCodes, ...connectErrorCodes])
      expect(docs, code).to.contain(`\`${code}\``);
  });
});
