import type { QueueListBody } from '../contract/queues.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { MonitoredQueues } from './monitored-queues.js';

/** Lists the watched queues with their counts: the cheap read behind `GET /api/v1/queues`. */
export class QueueListService {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
  ) {}

  async list(): Promise<QueueListBody> {
    const readings = await this.queuePort.readCounts(this.queues.names());
    return {
      queues: readings.map((reading) =>
        reading.ok
          ? { name: reading.name, counts: reading.value.counts, isPaused: reading.value.isPaused }
          : { name: reading.name, counts: null, isPaused: null, error: reading.reason },
      ),
    };
  }
}
