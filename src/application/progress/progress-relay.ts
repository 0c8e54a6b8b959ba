import type { JobEvent } from '../../domain/job-events/job-event.js';
import { jobKey } from '../../domain/job-events/processing-clock.js';
import { roomsFor } from '../../domain/subscriptions/rooms.js';
import type { CustomProgressMessage } from '../contract/socket-events.js';
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
  const address = { rooms: roomsFor(queueName, jobId), jobKey: jobKey(queueName, jobId) };
  switch (event.kind) {
    case 'active':
      return null;
    case 'progress':
      return {
        ...address,
        name: 'job-progress',
        coalesce: true,
        payload: { jobId, queueName, progress: event.progress, timestamp },
      };
    case 'completed':
      return {
        ...address,
        name: 'job-completed',
        coalesce: false,
        payload: {
          jobId,
          queueName,
          processingTime: event.processingTime,
          timestamp,
          ...(event.returnValue === undefined ? {} : { returnValue: event.returnValue }),
        },
      };
    case 'failed':
      return {
        ...address,
        name: 'job-failed',
        coalesce: false,
        payload: {
          jobId,
          queueName,
          failedReason: event.failedReason,
          attemptsMade: event.attemptsMade,
          willRetry: event.willRetry,
          timestamp,
        },
      };
    case 'custom-progress':
      return {
        ...address,
        name: 'custom-progress',
        coalesce: false,
        payload: { jobId, queueName, data: event.data, timestamp },
      };
  }
}
