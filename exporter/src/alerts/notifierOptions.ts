/** Knobs shared by every notifier; the defaults suit production. */
export interface NotifierOptions {
  /** How long one delivery attempt may take before it counts as a retryable failure (default 10 s). */
  timeoutMs?: number;
}
