/** The outcome of claiming a key. */
export type Claim =
  { readonly claimed: true } | { readonly claimed: false; readonly holder: string | null };

/** Decides which Queuewatch instance sends a notification, so N instances send one. */
export interface AlertDedup {
  /** Take `key` with `value` for `ttlMs` unless another instance holds it (then say who). */
  claim(key: string, value: string, ttlMs: number): Promise<Claim>;
  /** Give `key` up. */
  release(key: string): Promise<void>;
}
