import type { Silence } from '../../domain/alerting/silence.js';

/** Silences shared by every instance; they survive restarts. */
export interface SilenceStore {
  /** Every silence kept: active, pending and recently expired. */
  list(): Promise<Silence[]>;
  get(id: string): Promise<Silence | null>;
  /** Keep a silence: a new one, or one expired early in place of the old. */
  put(silence: Silence): Promise<void>;
}
