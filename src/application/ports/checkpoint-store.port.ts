/** The last event id read of each queue's stream, kept across restarts. */
export interface CheckpointStore {
  load(): Promise<Map<string, string>>;
  save(checkpoints: ReadonlyMap<string, string>): Promise<void>;
}
