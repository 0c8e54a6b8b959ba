import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type {
  AlertPort,
  DeliveryAttempt,
  DeliveryResult,
} from '../../../application/ports/alert.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import type { DestinationDependencies, DestinationFactory } from '../destination-factory.js';
import { timeoutMs } from '../http/http-options.js';
import { logOutcome } from '../http/log-outcome.js';
import type { PostOutcome } from '../http/post-json.js';
import { redactor } from '../http/redact.js';
import { parseOptions } from '../parse-options.js';
import { alertMail } from './email-message.js';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1']);

const address = z.email();

/** Options of an `email` destination (an SMTP server to hand the mail to). */
const emailOptions = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send without TLS; on by default except to this machine. */
    requireTLS: z.boolean().optional(),
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    from: address,
    /** One address, or a list. */
    to: z.preprocess(
      (given) => (typeof given === 'string' ? [given] : given),
      z.array(address).min(1).max(50),
    ),
    subjectPrefix: z.string().max(50).default(''),
    timeoutMs,
  })
  .strict()
  .refine((given) => (given.user === undefined) === (given.pass === undefined), {
    error: 'user and pass go together',
  });

type EmailOptions = z.output<typeof emailOptions>;

/**
 * Type `email`: a plain-text mail per notice through an SMTP server (nodemailer). Without TLS
 * to a server other than this machine, nothing is sent: credentials and alerts would cross the
 * network in the clear.
 */
export const createEmailDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(emailOptions, name, options);
  return new EmailDestination(name, parsed, deps);
};

class EmailDestination implements AlertPort {
  readonly type = 'email';
  private transport: Promise<Transporter> | undefined;
  private readonly redact: (text: string) => string;

  constructor(
    readonly name: string,
    private readonly options: EmailOptions,
    private readonly deps: DestinationDependencies,
  ) {
    this.redact = redactor(options.pass === undefined ? [] : [options.pass]);
  }

  /** The SMTP transport, made on the first notice: nodemailer is loaded only when mail is sent. */
  private async transportOf(): Promise<Transporter> {
    const { options } = this;
    const { createTransport } = await import('nodemailer');
    const local = loopbackHosts.has(options.host);
    return createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.secure ? false : (options.requireTLS ?? !local),
      ignoreTLS: false,
      ...(options.user === undefined ? {} : { auth: { user: options.user, pass: options.pass } }),
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const mail = alertMail(alert, this.options.subjectPrefix);
    let outcome: PostOutcome;
    try {
      this.transport ??= this.transportOf();
      const transport = await this.transport;
      await transport.sendMail({
        from: this.options.from,
        to: this.options.to,
        subject: mail.subject,
        text: mail.text,
        // The same id on every try of one notice: a receiving server or client can drop repeats.
        messageId: `<${attempt.id}.${alert.status}@queuewatch>`,
        headers: { 'X-Queuewatch-Incident': alert.id },
      });
      outcome = { result: { outcome: 'delivered' }, status: null };
    } catch (error) {
      outcome = this.failure(error);
    }
    logOutcome(this.deps.logger, this, alert, attempt, outcome);
    return outcome.result;
  }

  /**
   * SMTP says itself what is worth another try: a 4xx reply is transient, a 5xx one permanent.
   * A refused login is permanent (the password is wrong until someone changes it); a server that
   * cannot be reached, or does not answer in time, may come back.
   */
  private failure(error: unknown): PostOutcome {
    const { code, responseCode, message } = (error ?? {}) as {
      code?: string;
      responseCode?: number;
      message?: string;
    };
    const where = `${this.options.host}:${String(this.options.port)}`;
    const reason = this.redact(`SMTP ${where}: ${String(message ?? error).slice(0, 300)}`);
    const status = typeof responseCode === 'number' ? responseCode : null;
    const permanent = code === 'EAUTH' || (status !== null && status >= 500);
    return { result: { outcome: 'failed', retryable: !permanent, reason }, status };
  }
}
