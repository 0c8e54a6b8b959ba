import type { Socket } from 'socket.io';
import type {
  RequestRefusal,
  SubscriptionChangeAck,
} from '../../application/contract/socket-events.js';
import type { GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { TickBroadcaster } from './tick-broadcaster.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** What the gateway asks of whoever brings a resumed job subscription up to date (JobResume). */
export interface JobResuming {
  missed(jobId: string, queueName: string | null): Promise<GatewayDelivery[]>;
}

/** The job a `subscribe-to-job` with `resume: true` follows. */
export interface JobToResume {
  readonly jobId: string;
  readonly queueName: string | null;
}

/** Resumes one socket may wait for at once: each is a read of Redis. */
export const maxResumesInFlight = 64;

/** The key of a job subscription among a socket's resumes. */
export function resumeKey(job: JobToResume): string {
  // A queue name holds no colon, so the pair cannot be read two ways.
  return `${job.queueName ?? ''}:${job.jobId}`;
}

/**
 * The resumes a socket waits for, and which of their subscriptions another request confirmed
 * meanwhile (acknowledged to the client as held): a failed resume must not take those back.
 */
export class ResumesInFlight {
  private readonly byJob = new Map<string, { count: number; confirmed: boolean }>();
  private total = 0;

  get full(): boolean {
    return this.total >= maxResumesInFlight;
  }

  /** A subscribe-to-job for this job was acknowledged while its resume runs. */
  confirm(key: string): void {
    const entry = this.byJob.get(key);
    if (entry) entry.confirmed = true;
  }

  start(key: string): void {
    this.confirm(key);
    const entry = this.byJob.get(key) ?? { count: 0, confirmed: false };
    entry.count += 1;
    this.byJob.set(key, entry);
    this.total += 1;
  }

  /** This resume is over: was its subscription confirmed by another request meanwhile? */
  finish(key: string): { readonly confirmed: boolean } {
    const entry = this.byJob.get(key);
    this.total -= 1;
    if (!entry) return { confirmed: false };
    entry.count -= 1;
    if (entry.count === 0) this.byJob.delete(key);
    return { confirmed: entry.confirmed };
  }
}

/** What resuming needs from the gateway. */
export interface ResumeContext {
  readonly resuming: JobResuming;
  readonly broadcaster: TickBroadcaster;
  readonly resumes: ResumesInFlight;
  /** Take back the subscription this request made; `false` when it made none to take back. */
  readonly undo: () => boolean;
  readonly logger: Logger;
}

/**
 * Send this socket what it may have missed of the job it just subscribed to, then the
 * acknowledgement: the events come first, so a client that waits for the acknowledgement has
 * them. When the job cannot be read (Redis unreachable), the subscription this request made is
 * taken back and the request refused with `QW_RESUME_FAILED`: the client tries again rather than
 * wait, subscribed, for a completion that may already have happened. The reason stays in the log.
 */
export async function resumeJob(
  socket: Socket,
  job: JobToResume,
  subscribed: SubscriptionChangeAck,
  context: ResumeContext,
): Promise<SubscriptionChangeAck | RequestRefusal> {
  const key = resumeKey(job);
  context.resumes.start(key);
  let missed: GatewayDelivery[];
  try {
    missed = await context.resuming.missed(job.jobId, job.queueName);
  } catch (error) {
    const reason = reasonOf(error);
    context.logger.warn('could not resume a job subscription', { ...job, reason });
    const undone = !context.resumes.finish(key).confirmed && context.undo();
    return {
      ok: false,
      error: {
        code: 'QW_RESUME_FAILED',
        message: `could not read the job to bring the subscription up to date (see the Queuewatch log); ${
          undone ? 'not subscribed' : 'the subscription already held stays'
        }: try again`,
      },
    };
  }
  context.resumes.finish(key);
  context.broadcaster.sendTo(socket, missed);
  return subscribed;
}
