import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  destinationDependencies,
  isDestinationConfigError,
} from '../../../src/adapters/alerting/destination-factory.js';
import { createModuleDestination } from '../../../src/adapters/alerting/module/module-destination.js';
import { sampleAlert } from '../../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../../support/recording-logger.js';

describe('module destination (plugin loader)', () => {
  let baseDir: string;
  let logger: RecordingLogger;
  before(async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'queuewatch-plugins-'));
    const plugins: Record<string, string> = {
      'named.js': `export function createDestination(options, { logger, fetch }) {
        logger.info('plugin ready', { greeting: options.greeting, hasFetch: typeof fetch === 'function' });
        return { name: 'ignored', type: 'ignored', send: async (alert, attempt) => {
          logger.debug('sent', { alertId: alert.id, deliveryId: attempt.id });
          return { outcome: 'delivered' };
        } };
      }`,
      'default.js': `export default async () => ({ send: async () => ({ outcome: 'failed', retryable: true, reason: 'busy', retryAfterMs: 1000 }) });`,
      'no-factory.js': `export const version = 1;`,
      'throws.js': `export function createDestination() { throw new Error('options.url is required'); }`,
      'no-send.js': `export function createDestination() { return { deliver() {} }; }`,
      'send-throws.js': `export function createDestination() { return { send() { throw new Error('oops'); } }; }`,
      'bad-result.js': `export function createDestination() { return { send: async () => ({ ok: true }) }; }`,
      'syntax-error.js': `export function createDestination( {`,
    };
    for (const [file, source] of Object.entries(plugins))
      await writeFile(join(baseDir, file), source, 'utf8');
  });
  after(async () => {
    await rm(baseDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    logger = new RecordingLogger();
  });

  const create = (module: string, options?: unknown) =>
    createModuleDestination(
      'my-plugin',
      options === undefined ? { module, baseDir } : { module, options, baseDir },
      destinationDependencies(logger),
    );

  async function loadError(module: string): Promise<string> {
    try {
      await create(module);
    } catch (error) {
      expect(isDestinationConfigError(error), String(error)).to.equal(true);
      return (error as Error).message;
    }
    return expect.fail('expected a DestinationConfigError');
  }

  it('should load createDestination from a path relative to the config directory', async () => {
    const destination = await create('./named.js', { greeting: 'hi' });

    expect(destination.name).to.equal('my-plugin');
    expect(destination.type).to.equal('module');
    expect(await destination.send(sampleAlert(), { id: 'd-1', attempt: 1 })).to.deep.equal({
      outcome: 'delivered',
    });
    // The plugin's log lines carry the destination's name.
    expect(logger.lines.map((line) => line.context)).to.deep.equal([
      { destination: 'my-plugin', greeting: 'hi', hasFetch: true },
      { destination: 'my-plugin', alertId: 'alert-emails-failures', deliveryId: 'd-1' },
    ]);
  });

  it('should take the default export when there is no createDestination', async () => {
    const destination = await create(join(baseDir, 'default.js'));
    expect(await destination.send(sampleAlert(), { id: 'd-1', attempt: 1 })).to.deep.equal({
      outcome: 'failed',
      retryable: true,
      reason: 'busy',
      retryAfterMs: 1000,
    });
  });

  it('should say which module is missing, and where it was looked for', async () => {
    expect(await loadError('./missing.js')).to.equal(
      `alerts.destinations "my-plugin": module "./missing.js": not found at ${join(baseDir, 'missing.js')}`,
    );
    expect(await loadError('queuewatch-plugin-that-does-not-exist')).to.match(
      /^alerts\.destinations "my-plugin": module "queuewatch-plugin-that-does-not-exist": cannot be loaded: /,
    );
  });

  it('should refuse a module without a factory', async () => {
    expect(await loadError('./no-factory.js')).to.equal(
      'alerts.destinations "my-plugin": module "./no-factory.js": exports no factory: export a function createDestination, or a default function',
    );
  });

  it('should report a factory that throws, with its message', async () => {
    expect(await loadError('./throws.js')).to.equal(
      'alerts.destinations "my-plugin": module "./throws.js": its factory threw: options.url is required',
    );
  });

  it('should refuse a factory that returns something without send', async () => {
    expect(await loadError('./no-send.js')).to.contain(
      'module "./no-send.js": its factory returned no destination (an object with a send method)',
    );
  });

  it('should report a module that cannot be parsed', async () => {
    expect(await loadError('./syntax-error.js')).to.contain(
      'module "./syntax-error.js": cannot be loaded:',
    );
  });

  it('should refuse options other than module and options', async () => {
    try {
      await createModuleDestination(
        'my-plugin',
        { module: './named.js', baseDir, url: 'https://x.example' },
        destinationDependencies(logger),
      );
      expect.fail('expected a DestinationConfigError');
    } catch (error) {
      expect((error as Error).message).to.equal(
        'alerts.destinations "my-plugin": unknown option "url"',
      );
    }
  });

  it('should hold a plugin to the contract: a throw is retryable, a malformed result is not', async () => {
    const attempt = { id: 'd-1', attempt: 1 };
    expect(await (await create('./send-throws.js')).send(sampleAlert(), attempt)).to.deep.equal({
      outcome: 'failed',
      retryable: true,
      reason: 'the plugin threw: oops',
    });
    expect(await (await create('./bad-result.js')).send(sampleAlert(), attempt)).to.deep.equal({
      outcome: 'failed',
      retryable: false,
      reason: 'the plugin returned no valid DeliveryResult',
    });
  });
});
