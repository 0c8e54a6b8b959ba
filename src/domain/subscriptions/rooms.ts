/** The room every event goes to; joined by `subscribe-to-queue "*"`. */
export const allRoom = 'all';

/** Stands for "any queue" in a job room and in `subscribe-to-queue`. */
export const anyQueue = '*';

/** The room of one job; `null` queue means the job id in any queue. */
export function jobRoom(queueName: string | null, jobId: string): string {
  return `job:${queueName ?? anyQueue}:${jobId}`;
}

/** The room of one queue; `*` means every queue. */
export function queueRoom(queueName: string): string {
  return queueName === anyQueue ? allRoom : `queue:${queueName}`;
}

/** Every room an event about this job goes to; a socket in several still gets it once. */
export function roomsFor(queueName: string, jobId: string): string[] {
  return [jobRoom(queueName, jobId), jobRoom(null, jobId), queueRoom(queueName), allRoom];
}
