import type { Socket } from 'socket.io';
import type {
  RequestRefusal,
  SubscriptionChangeAck,
} from '../../application/contract/socket-events.js';
import type { GatewayDelivery } from '../../application/ports/delivery-sink.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { TickBroadcaster } from './tick-broadcaster.js';

/** What the gateway asks of whoever brings a resumed job subscription up to date (JobResume). */
export interface JobResuming {
  missed(jobId: string, queueName: string | null): Promise<GatewayDelivery[]>;
}

/** The job a `subscribe-to-job` with `resume: true` follows. */
export interface JobToResume {
  readonly jobId: string;
  readonly queueName: string | null;
}

/** What resuming needs from the gateway. */
export interface ResumeContext {
  readonly resuming: JobResuming;
  readonly broadcaster: TickBroadcaster;
  /** Take back the subscription just made (when the job could not be read). */
  readonly undo: () => void;
  readonly logger: Logger;
}

/**
 * Send this socket what it may have missed of the job it just subscribed to, then the
 * acknowledgement: the events come first, so a client that waits for the acknowledgement has
 * them. When the job cannot be read (Redis unreachable), the subscription is taken back and the
 * request refused with `QW_RESUME_FAILED`: the client tries again rather than wait, subscribed,
 * for a completion that may already have happened.
 */
export async function resumeJob(
  socket: Socket,
  job: JobToResume,
  subscribed: SubscriptionChangeAck,
  context: ResumeContext,
): Promise<SubscriptionChangeAck | RequestRefusal> {
  try {
    const missed = await context.resuming.missed(job.jobId, job.queueName);
    context.broadcaster.sendTo(socket, missed);
    return subscribed;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.logger.warn('could not resume a job subscription', { ...job, reason });
    context.undo();
    return {
      ok: false,
      error: {
        code: 'QW_RESUME_FAILED',
        message: `could not read the job to resume its subscription (${reason}); not subscribed, try again`,
      },
    };
  }
}
