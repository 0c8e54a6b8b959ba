import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { destinationDependencies } from '../../src/adapters/alerting/destination-factory.js';
import { createDestinations } from '../../src/adapters/alerting/destination-registry.js';
import type { AlertPort } from '../../src/application/ports/alert.port.js';
import { closedPort, sampleAlert } from '../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../support/recording-logger.js';

/** One mail a real local SMTP server accepted: its envelope and the raw message. */
interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 and a free port. */
async function smtpServer(options: Partial<SMTPServerOptions> = {}) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  return { mails, port, close };
}

const password = 'smtp-pa55word-s3cret';

async function emailTo(
  port: number,
  extra: Record<string, unknown> = {},
  logger = new RecordingLogger(),
): Promise<AlertPort> {
  const [destination] = await createDestinations(
    [
      {
        name: 'ops-mail',
        type: 'email',
        options: {
          host: '127.0.0.1',
          port,
          from: 'queuewatch@example.com',
          to: ['oncall@example.com', 'team@example.com'],
          subjectPrefix: '[prod] ',
          timeoutMs: 2_000,
          ...extra,
        },
      },
    ],
    destinationDependencies(logger),
    '.',
  );
  return destination!;
}

const attempt = { id: 'delivery-7', attempt: 1 };

describe('email destination (real SMTP server)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('should hand the SMTP server a mail with the headline as subject and the facts as text', async () => {
    const server = await smtpServer();
    closers.push(server.close);
    const email = await emailTo(server.port);
    expect(await email.send(sampleAlert(), attempt)).to.deep.equal({ outcome: 'delivered' });
    expect(server.mails).to.have.length(1);
    const [mail] = server.mails;
    expect(mail!.from).to.equal('queuewatch@example.com');
    expect(mail!.to).to.deep.equal(['oncall@example.com', 'team@example.com']);
    const unfolded = mail!.raw.replace(/\r\n[ \t]/g, ' ');
    expect(unfolded).to.match(/^Subject: \[prod\] \[CRITICAL\] Failures on emails\r$/m);
    expect(unfolded).to.match(/^Message-ID: <delivery-7\.firing@queuewatch>\r$/m);
    expect(unfolded).to.match(/^X-Queuewatch-Incident: alert-emails-failures\r$/m);
    expect(unfolded).to.contain('12 jobs failed in the last 5 minutes (threshold 10).');
    expect(unfolded).to.match(/Queue: +emails/);
    expect(unfolded).to.match(/Window: +5 min/);
    expect(unfolded).to.match(/Recent job: +4711/);
  });

  it('should log in when given a user, and never show the password when the login is refused', async () => {
    const logins: string[] = [];
    const server = await smtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username ?? ''}:${auth.password ?? ''}`);
        if (auth.password === password) callback(null, { user: auth.username });
        else callback(new Error(`bad password ${auth.password ?? ''}`));
      },
    });
    closers.push(server.close);
    const good = await emailTo(server.port, { user: 'queuewatch', pass: password });
    expect(await good.send(sampleAlert(), attempt)).to.deep.equal({ outcome: 'delivered' });
    expect(logins).to.deep.equal([`queuewatch:${password}`]);

    const logger = new RecordingLogger();
    const wrong = await emailTo(
      server.port,
      { user: 'queuewatch', pass: `${password}-old` },
      logger,
    );
    const refused = await wrong.send(sampleAlert(), attempt);
    expect(refused).to.include({ outcome: 'failed', retryable: false });
    const written = JSON.stringify({ refused, lines: logger.lines });
    expect(written).not.to.contain(password);
    expect(server.mails).to.have.length(1);
  });

  it('should retry a 4xx reply and give up on a 5xx one', async () => {
    let reply = 451;
    const server = await smtpServer({
      onRcptTo(_address, _session, callback) {
        const error = Object.assign(new Error(`no, ${String(reply)}`), { responseCode: reply });
        callback(error);
      },
    });
    closers.push(server.close);
    const email = await emailTo(server.port);
    const transient = await email.send(sampleAlert(), attempt);
    expect(transient).to.include({ outcome: 'failed', retryable: true });
    reply = 550;
    const permanent = await email.send(sampleAlert(), attempt);
    expect(permanent).to.include({ outcome: 'failed', retryable: false });
    expect((permanent as { reason: string }).reason).to.contain('550');
    expect(server.mails).to.have.length(0);
  });

  it('should retry when the server cannot be reached', async () => {
    const email = await emailTo(await closedPort());
    const result = await email.send(sampleAlert(), attempt);
    expect(result).to.include({ outcome: 'failed', retryable: true });
    expect((result as { reason: string }).reason).to.contain('127.0.0.1');
  });

  it('should refuse bad options, naming the destination and never quoting a password', async () => {
    for (const [options, problem] of [
      [{ host: 'smtp.example.com', from: 'nope', to: 'a@example.com' }, /from/],
      [{ host: 'smtp.example.com', from: 'q@example.com' }, /to is required/],
      [
        { host: 'smtp.example.com', from: 'q@example.com', to: 'a@example.com', pass: password },
        /user and pass go together/,
      ],
    ] as const) {
      const error = await createDestinations(
        [{ name: 'ops-mail', type: 'email', options }],
        destinationDependencies(new RecordingLogger()),
        '.',
      ).then(
        () => null,
        (caught: unknown) => caught as Error,
      );
      expect(error?.message).to.match(problem);
      expect(error?.message).to.contain('"ops-mail"');
      expect(error?.message).not.to.contain(password);
    }
  });
});
