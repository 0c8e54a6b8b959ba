import { expect } from 'chai';
import {
  destinationDependencies,
  isDestinationConfigError,
  type DestinationConfigError,
} from '../../../src/adapters/alerting/destination-factory.js';
import {
  createDestinations,
  destinationTypes,
  type DestinationEntry,
} from '../../../src/adapters/alerting/destination-registry.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const deps = destinationDependencies(new RecordingLogger());
const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

async function configError(entries: readonly DestinationEntry[]): Promise<DestinationConfigError> {
  try {
    await createDestinations(entries, deps, '/etc/queuewatch');
  } catch (error) {
    if (isDestinationConfigError(error)) return error;
    throw error;
  }
  return expect.fail('expected a DestinationConfigError');
}

describe('destination registry', () => {
  it('should know log, slack, webhook, module, pagerduty, opsgenie, discord, teams and email', () => {
    expect(destinationTypes).to.deep.equal([
      'log',
      'slack',
      'webhook',
      'module',
      'pagerduty',
      'opsgenie',
      'discord',
      'teams',
      'email',
    ]);
  });

  it('should build every configured destination, in order, under its name', async () => {
    const destinations = await createDestinations(
      [
        { name: 'console', type: 'log', options: {} },
        { name: 'team', type: 'slack', options: { url: 'https://hooks.slack.com/services/T/B/X' } },
        { name: 'ops', type: 'webhook', options: { url: 'https://ops.example.com/', secret } },
      ],
      deps,
      '/etc/queuewatch',
    );
    expect(destinations.map(({ name, type }) => ({ name, type }))).to.deep.equal([
      { name: 'console', type: 'log' },
      { name: 'team', type: 'slack' },
      { name: 'ops', type: 'webhook' },
    ]);
  });

  it('should refuse an unknown type, naming the destination and the known types', async () => {
    const error = await configError([{ name: 'pager', type: 'pagerdooty', options: {} }]);
    expect(error.code).to.equal('QW_CONFIG_INVALID');
    expect(error.destination).to.equal('pager');
    expect(error.message).to.equal(
      'alerts.destinations "pager": unknown type "pagerdooty"; the known types are log, slack, webhook, module, pagerduty, opsgenie, discord, teams, email',
    );
  });

  it('should not take an inherited property for a type', async () => {
    const error = await configError([{ name: 'odd', type: 'toString', options: {} }]);
    expect(error.message).to.contain('unknown type "toString"');
  });

  it('should refuse two destinations with one name', async () => {
    const error = await configError([
      { name: 'ops', type: 'log', options: {} },
      { name: 'ops', type: 'log', options: {} },
    ]);
    expect(error.message).to.equal(
      'alerts.destinations "ops": the name is used twice; each name must be unique',
    );
  });

  it('should check every name and type before building any destination', async () => {
    const error = await configError([
      { name: 'plugin', type: 'module', options: { module: './missing.js' } },
      { name: 'typo', type: 'slak', options: {} },
    ]);
    expect(error.destination).to.equal('typo');
  });

  it('should name the destination whose options are wrong, and say what is wrong', async () => {
    expect(
      (await configError([{ name: 'console', type: 'log', options: { level: 'x' } }])).message,
    ).to.equal('alerts.destinations "console": unknown option "level"');
    expect(
      (
        await configError([
          { name: 'team', type: 'slack', options: { url: 'http://hooks.slack.com/x' } },
        ])
      ).message,
    ).to.equal(
      'alerts.destinations "team": url must be an https URL (http only for localhost or 127.0.0.1)',
    );
    expect(
      (
        await configError([
          {
            name: 'team',
            type: 'slack',
            options: { url: 'https://h.example/x', timeoutMs: 90_000 },
          },
        ])
      ).message,
    ).to.equal('alerts.destinations "team": timeoutMs must be at most 60000');
    expect(
      (await configError([{ name: 'team', type: 'slack', options: 'nope' }])).message,
    ).to.equal('alerts.destinations "team": must be an object');
    expect(
      (
        await configError([
          { name: 'ops', type: 'webhook', options: { url: 'https://h.example/', secret: 'x' } },
        ])
      ).message,
    ).to.equal('alerts.destinations "ops": secret must start with whsec_');
  });

  it('should accept a log destination with no options at all', async () => {
    const [destination] = await createDestinations(
      [{ name: 'console', type: 'log', options: undefined }],
      deps,
      '/etc/queuewatch',
    );
    expect(destination?.type).to.equal('log');
  });

  it('should not let a config set the base directory of a module', async () => {
    const error = await configError([
      { name: 'plugin', type: 'module', options: { module: './p.js', baseDir: '/tmp' } },
    ]);
    expect(error.message).to.contain('baseDir is not an option');
  });
});
