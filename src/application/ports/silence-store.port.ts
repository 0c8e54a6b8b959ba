import type { Silence } from '../../domain/alerting/silence.js';

/** Silences shared by every instance; they survive restarts. */
export interface SilenceStore {
  add(silence: Silence): Promise<void>;
  /** Every silence kept: active, pending and recently expired. */
  list(): Promise<Silence[]>;
  get(id: string): Promise<Silence | null>;
  /** Replace a silence (to expire it early). */
  put(silence: Silence): Promise<void>;
}
