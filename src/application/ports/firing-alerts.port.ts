import type { MemberAlert } from '../../domain/alerting/alert.js';

/** One alert firing now, by its incident, and when an instance last took it in as firing. */
export interface FiringEntry {
  readonly incidentKey: string;
  readonly alert: MemberAlert;
  /** ms epoch: its firing notice, or its last repeat. */
  readonly seenAt: number;
}

/** The alerts firing now, shared by every instance: what inhibits, and what the API lists. */
export interface FiringAlerts {
  put(incidentKey: string, alert: MemberAlert, seenAt: number): Promise<void>;
  remove(incidentKey: string): Promise<void>;
  all(): Promise<FiringEntry[]>;
}
