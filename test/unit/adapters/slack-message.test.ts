import { expect } from 'chai';
import {
  slackMessage,
  type SlackBlock,
} from '../../../src/adapters/alerting/slack/slack-message.js';
import { sampleAlert } from '../../support/alert-destination-fixtures.js';

function blocksOf(type: SlackBlock['type'], blocks: readonly SlackBlock[]): SlackBlock[] {
  return blocks.filter((block) => block.type === type);
}

function texts(blocks: readonly SlackBlock[]): string {
  return JSON.stringify(blocks);
}

describe('slack message', () => {
  it('should have a header with severity and title, the message, the facts and the job', () => {
    const message = slackMessage(sampleAlert());
    const [header, text, facts, context] = message.blocks;

    expect(header).to.deep.equal({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 CRITICAL: Failures on emails', emoji: true },
    });
    expect(text).to.deep.equal({
      type: 'section',
      text: { type: 'mrkdwn', text: '12 jobs failed in the last 5 minutes (threshold 10).' },
    });
    expect(facts).to.deep.equal({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Queue*\n`emails`' },
        { type: 'mrkdwn', text: '*Rule*\nfailure-rate' },
        { type: 'mrkdwn', text: '*Failures*\n12' },
        { type: 'mrkdwn', text: '*Threshold*\n10' },
        { type: 'mrkdwn', text: '*Window*\n5 min' },
        { type: 'mrkdwn', text: '*Dashboard*\n/queues/emails' },
      ],
    });
    expect(context?.type).to.equal('context');
    const elements = context?.type === 'context' ? context.elements.map((e) => e.text) : [];
    expect(elements[0]).to.equal('*Recent job:* `4711`');
    // Slack's mrkdwn needs &, < and > escaped, or "<mx.example.com>" would be read as a link.
    expect(elements[1]).to.equal('*Error:* SMTP 421 &lt;mx.example.com&gt; too many connections');
    expect(elements[2]).to.match(/^Started <!date\^1735725600\^.*\|2025-01-01T10:00:00.000Z>$/);
  });

  it('should carry a plain-text fallback for notifications', () => {
    expect(slackMessage(sampleAlert()).text).to.equal(
      '[CRITICAL] Failures on emails: 12 jobs failed in the last 5 minutes (threshold 10). ' +
        '(queue emails: rule failure-rate, failures 12, threshold 10, window 5 min, dashboard /queues/emails)',
    );
  });

  it('should mark a resolved alert as resolved everywhere a reader looks', () => {
    const message = slackMessage(
      sampleAlert({ status: 'resolved', endsAt: '2025-01-01T10:20:00.000Z' }),
    );
    expect(message.text).to.match(/^\[RESOLVED\] Failures on emails: /);
    const [header, text] = message.blocks;
    expect(header).to.deep.include({
      text: { type: 'plain_text', text: '✅ RESOLVED: Failures on emails', emoji: true },
    });
    expect(texts([text!])).to.contain('*Resolved* (was critical).');
    expect(texts(blocksOf('context', message.blocks))).to.contain('resolved <!date^1735726800^');
    expect(texts(message.blocks)).not.to.contain('🔴');
  });

  it('should leave out the job and the error when there are none', () => {
    const alert = sampleAlert();
    const message = slackMessage({
      ...alert,
      context: { ...alert.context, recentJobId: null, error: null },
    });
    const [context] = blocksOf('context', message.blocks);
    expect(context?.type === 'context' ? context.elements : []).to.have.length(1);
  });

  it('should keep within Slack limits and add channel and username only when set', () => {
    const message = slackMessage(sampleAlert({ title: 'x'.repeat(400) }), { channel: '#ops' });
    const [header] = message.blocks;
    expect(header?.type === 'header' ? header.text.text : '').to.have.length(150);
    expect(message.channel).to.equal('#ops');
    expect(message).not.to.have.property('username');
    expect(slackMessage(sampleAlert())).not.to.have.property('channel');
  });

  it('should show the window in its natural unit', () => {
    const windowOf = (windowMs: number) => {
      const alert = sampleAlert();
      return texts(slackMessage({ ...alert, context: { ...alert.context, windowMs } }).blocks);
    };
    expect(windowOf(3_600_000)).to.contain('*Window*\\n1 h');
    expect(windowOf(90_000)).to.contain('*Window*\\n90 s');
    expect(windowOf(1500)).to.contain('*Window*\\n1500 ms');
  });
});
