/** Pass-ratio levels below which a dataset turns amber (warn) or red (fail). */
export interface PassRatioThresholds {
  warnBelow: number;
  failBelow: number;
  /** Which `window` label of `datatrust_check_pass_ratio` decides the colour. */
  window: string;
}

export const DEFAULT_THRESHOLDS: PassRatioThresholds = { warnBelow: 0.99, failBelow: 0.95, window: '1d' };

/** Clamp to 0..1 and keep fail <= warn, so a mistyped option cannot turn every dataset red. */
export function normaliseThresholds(t: PassRatioThresholds): PassRatioThresholds {
  const clamp = (v: number, fallback: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : fallback);
  const warnBelow = clamp(t.warnBelow, DEFAULT_THRESHOLDS.warnBelow);
  const failBelow = clamp(t.failBelow, DEFAULT_THRESHOLDS.failBelow);
  return { warnBelow: Math.max(warnBelow, failBelow), failBelow: Math.min(warnBelow, failBelow), window: t.window };
}
