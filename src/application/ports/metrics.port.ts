/** Counts kept in one place, for a /metrics endpoint. */
export interface MetricsRecorder {
  jobFailed(queueName: string): void;
  alertNotified(status: 'firing' | 'resolved'): void;
  deliveryFinished(destination: string, outcome: 'delivered' | 'retrying' | 'failed'): void;
  /** A job event read, `lagSeconds` after Redis wrote it. */
  eventRead(queueName: string, lagSeconds: number): void;
}
