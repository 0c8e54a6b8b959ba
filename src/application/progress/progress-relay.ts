import type { JobEvent } from '../../domain/job-events/job-event.js';
import { jobKey } from '../../domain/job-events/processing-clock.js';
import { roomsFor } from '../../domain/subscriptions/rooms.js';
import type {
  CustomProgressMessage,
  JobCompletedPayload,
  JobFailedPayload,
  JobProgressPayload,
} from '../contract/socket-events.js';
import type { Clock } from '../ports/clock.port.js';
import type { DeliverySink, GatewayDelivery } from '../ports/delivery-sink.port.js';

/**
 * Turns job events and custom progress into the gateway's events, addressed to the rooms of
 * the job, its queue and "all". Progress may be coalesced on the way (latest wins); completion
 * and failure never are.
 */
export class ProgressRelay {
  constructor(
    private readonly sink: DeliverySink,
    private readonly clock: Clock,
  ) {}

  relayJobEvent(event: JobEvent): void {
    const delivery = toDelivery(event);
    if (delivery) this.sink.deliver(delivery);
  }

  relayCustomProgress(message: CustomProgressMessage): void {
    this.relayJobEvent({
      kind: 'custom-progress',
      queueName: message.queueName,
      jobId: message.jobId,
      data: message.data,
      at: message.timestamp ?? this.clock.now(),
    });
  }
}

function toDelivery(event: JobEvent): GatewayDelivery | null {
  const { queueName, jobId, at: timestamp } = event;
  switch (event.kind) {
    case 'active':
      return null;
    case 'progress':
      return progressDelivery({ jobId, queueName, progress: event.progress, timestamp });
    case 'completed':
      return completedDelivery({
        jobId,
        queueName,
        processingTime: event.processingTime,
        timestamp,
        ...(event.returnValue === undefined ? {} : { returnValue: event.returnValue }),
      });
    case 'failed':
      return failedDelivery({
        jobId,
        queueName,
        failedReason: event.failedReason,
        attemptsMade: event.attemptsMade,
        willRetry: event.willRetry,
        timestamp,
      });
    case 'custom-progress':
      return {
        ...addressOf(queueName, jobId),
        name: 'custom-progress',
        coalesce: false,
        payload: { jobId, queueName, data: event.data, timestamp },
      };
  }
}

/** The rooms of a job's events: the job's, its queue's and "all". */
function addressOf(queueName: string, jobId: string) {
  return { rooms: roomsFor(queueName, jobId), jobKey: jobKey(queueName, jobId) };
}

/** `job-progress` to the job's rooms; coalesced on the way (the latest wins). */
function progressDelivery(payload: JobProgressPayload): GatewayDelivery {
  return {
    ...addressOf(payload.queueName, payload.jobId),
    name: 'job-progress',
    coalesce: true,
    payload,
  };
}

/** `job-completed` to the job's rooms; never coalesced. */
export function completedDelivery(payload: JobCompletedPayload): GatewayDelivery {
  return {
    ...addressOf(payload.queueName, payload.jobId),
    name: 'job-completed',
    coalesce: false,
    payload,
  };
}

/** `job-failed` to the job's rooms; never coalesced. */
export function failedDelivery(payload: JobFailedPayload): GatewayDelivery {
  return {
    ...addressOf(payload.queueName, payload.jobId),
    name: 'job-failed',
    coalesce: false,
    payload,
  };
}
