import { expect } from 'chai';
import { destinationDependencies } from '../../../src/adapters/alerting/destination-factory.js';
import { createDestinations } from '../../../src/adapters/alerting/destination-registry.js';
import type { AlertPort } from '../../../src/application/ports/alert.port.js';
import { LocalEndpoint, sampleAlert } from '../../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/**
 * What each incident and chat destination sends, as received by a real local HTTP server, against
 * the shapes the services publish (PagerDuty Events API v2, Opsgenie Alert API, Discord webhooks,
 * Teams Adaptive Cards).
 */
describe('incident and chat destinations (what arrives)', () => {
  let endpoint: LocalEndpoint;
  beforeEach(async () => {
    endpoint = await LocalEndpoint.start();
    endpoint.respond = (response) => {
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end('{"status":"success"}');
    };
  });
  afterEach(async () => {
    await endpoint.close();
  });

  async function destination(type: string, options: Record<string, unknown>): Promise<AlertPort> {
    const [built] = await createDestinations(
      [{ name: `test-${type}`, type, options }],
      destinationDependencies(new RecordingLogger()),
      '.',
    );
    return built!;
  }

  const firing = sampleAlert();
  const resolved = sampleAlert({ status: 'resolved', endsAt: '2025-01-01T10:12:00.000Z' });
  const attempt = { id: 'delivery-1', attempt: 1 };
  const bodies = () => endpoint.requests.map((request) => JSON.parse(request.body) as unknown);

  describe('pagerduty', () => {
    it('should trigger with the payload fields and resolve with the same dedup_key', async () => {
      const pagerDuty = await destination('pagerduty', {
        routingKey: 'R0UT1NGKEY',
        url: `${endpoint.origin}/v2/enqueue`,
        source: 'prod-queues',
      });
      expect(await pagerDuty.send(firing, attempt)).to.deep.equal({ outcome: 'delivered' });
      expect(await pagerDuty.send(resolved, attempt)).to.deep.equal({ outcome: 'delivered' });
      expect(endpoint.requests.map((request) => request.url)).to.deep.equal([
        '/v2/enqueue',
        '/v2/enqueue',
      ]);
      const [trigger, resolve] = bodies() as Record<string, unknown>[];
      expect(trigger).to.deep.include({
        routing_key: 'R0UT1NGKEY',
        event_action: 'trigger',
        dedup_key: firing.id,
        client: 'Queuewatch',
      });
      expect(trigger!.payload).to.deep.include({
        summary: `[CRITICAL] ${firing.title}: ${firing.message}`,
        source: 'prod-queues',
        severity: 'critical',
        timestamp: firing.startsAt,
        component: 'emails',
      });
      expect((trigger!.payload as { custom_details: object }).custom_details).to.deep.include({
        Queue: 'emails',
        Failures: '12',
        Threshold: '10',
        Window: '5 min',
        'Recent job': '4711',
      });
      expect(resolve).to.deep.equal({
        routing_key: 'R0UT1NGKEY',
        event_action: 'resolve',
        dedup_key: firing.id,
      });
    });

    it('should map each severity to one PagerDuty knows, and refuse a config without a routing key', async () => {
      const pagerDuty = await destination('pagerduty', {
        routingKey: 'K',
        url: `${endpoint.origin}/v2/enqueue`,
      });
      for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
        await pagerDuty.send(sampleAlert({ severity }), attempt);
      }
      expect(
        bodies().map((body) => (body as { payload: { severity: string } }).payload.severity),
      ).to.deep.equal(['critical', 'error', 'warning', 'info']);
      await expectRefused('pagerduty', { url: `${endpoint.origin}/x` }, /routingKey is required/);
    });
  });

  describe('opsgenie', () => {
    it('should create an alert under the incident id as alias, then close it by that alias', async () => {
      const opsgenie = await destination('opsgenie', {
        apiKey: 'g3nie-k3y',
        url: endpoint.origin,
        responders: [{ type: 'team', name: 'payments' }],
      });
      await opsgenie.send(firing, attempt);
      await opsgenie.send(resolved, attempt);
      const [create, close] = endpoint.requests;
      expect(create!.url).to.equal('/v2/alerts');
      expect(create!.headers.authorization).to.equal('GenieKey g3nie-k3y');
      expect(JSON.parse(create!.body)).to.deep.include({
        message: `[CRITICAL] ${firing.title}`,
        alias: firing.id,
        priority: 'P1',
        source: 'Queuewatch',
        entity: 'emails',
        tags: ['queuewatch', 'queue:emails', 'critical'],
        responders: [{ type: 'team', name: 'payments' }],
      });
      expect(close!.url).to.equal(`/v2/alerts/${firing.id}/close?identifierType=alias`);
      expect(JSON.parse(close!.body)).to.deep.equal({ source: 'Queuewatch', note: firing.message });
    });

    it('should cut the message at 130 characters and refuse a responder with no name or id', async () => {
      const opsgenie = await destination('opsgenie', { apiKey: 'k', url: endpoint.origin });
      await opsgenie.send(sampleAlert({ title: 'x'.repeat(300) }), attempt);
      const [body] = bodies() as { message: string }[];
      expect(body!.message).to.have.length(130);
      expect(body!.message.endsWith('…')).to.equal(true);
      await expectRefused(
        'opsgenie',
        { apiKey: 'k', responders: [{ type: 'team' }] },
        /needs a name, an id or a username/,
      );
    });
  });

  describe('discord', () => {
    it('should send one embed coloured by severity, pinging nobody', async () => {
      const discord = await destination('discord', {
        url: `${endpoint.origin}/api/webhooks/1/t0ken`,
        username: 'Queuewatch',
      });
      await discord.send(sampleAlert({ message: 'ping @everyone' }), attempt);
      await discord.send(resolved, attempt);
      const [fired, ended] = bodies() as {
        content: string;
        username: string;
        embeds: { title: string; description: string; color: number; fields: object[] }[];
        allowed_mentions: object;
      }[];
      expect(fired).to.deep.include({
        username: 'Queuewatch',
        content: `[CRITICAL] ${firing.title}`,
        allowed_mentions: { parse: [] },
      });
      expect(fired!.embeds).to.have.length(1);
      expect(fired!.embeds[0]).to.deep.include({
        title: firing.title,
        description: 'ping @everyone',
        color: 0xc62828,
      });
      expect(fired!.embeds[0]!.fields).to.deep.include({
        name: 'Queue',
        value: 'emails',
        inline: true,
      });
      expect(ended!.content).to.equal(`[RESOLVED] ${firing.title}`);
      expect(ended!.embeds[0]!.color).to.equal(0x2e7d32);
    });
  });

  describe('teams', () => {
    it('should send an Adaptive Card 1.4 with the headline, the message and the facts', async () => {
      const teams = await destination('teams', {
        url: `${endpoint.origin}/workflows/1/invoke?sig=s1g`,
      });
      await teams.send(firing, attempt);
      const [message] = bodies() as {
        type: string;
        attachments: { contentType: string; content: { version: string; body: object[] } }[];
      }[];
      expect(message!.type).to.equal('message');
      expect(message!.attachments).to.have.length(1);
      const [card] = message!.attachments;
      expect(card!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(card!.content).to.deep.include({ type: 'AdaptiveCard', version: '1.4' });
      expect(card!.content.body[0]).to.deep.include({
        type: 'TextBlock',
        text: `[CRITICAL] ${firing.title}`,
        color: 'Attention',
      });
      expect(card!.content.body[1]).to.deep.include({ type: 'TextBlock', text: firing.message });
      expect(card!.content.body[2]).to.deep.include({ type: 'FactSet' });
      expect((card!.content.body[2] as { facts: object[] }).facts).to.deep.include({
        title: 'Threshold',
        value: '10',
      });
    });

    it('should refuse a plain-http URL to another host', async () => {
      await expectRefused('teams', { url: 'http://example.com/hook' }, /must be an https URL/);
    });
  });

  async function expectRefused(
    type: string,
    options: Record<string, unknown>,
    message: RegExp,
  ): Promise<void> {
    try {
      await destination(type, options);
    } catch (error) {
      expect((error as Error).message).to.match(message);
      expect((error as Error).message).to.contain(`"test-${type}"`);
      return;
    }
    expect.fail(`a ${type} destination was built from bad options`);
  }
});
