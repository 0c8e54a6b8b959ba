import type { MemberAlert } from '../../domain/alerting/alert.js';

/** One alert firing now, by its incident. */
export interface FiringEntry {
  readonly incidentKey: string;
  readonly alert: MemberAlert;
}

/** The alerts firing now, shared by every instance: what inhibits, and what the API lists. */
export interface FiringAlerts {
  put(incidentKey: string, alert: MemberAlert): Promise<void>;
  remove(incidentKey: string): Promise<void>;
  all(): Promise<FiringEntry[]>;
}
