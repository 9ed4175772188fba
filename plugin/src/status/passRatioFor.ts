import { DatasetSignals } from '../graph/model';

const WINDOW_PREFERENCE = ['1d', '7d', '30d', 'arc', ''];

/**
 * The pass ratio that decides the colour: the configured window if the data has it, otherwise the
 * shortest window available, so a dashboard that only queries `window="7d"` still gets colours.
 */
export function passRatioFor(signals: DatasetSignals, window: string): { window: string; value: number } | undefined {
  const ratios = signals.passRatio;
  const order = [window, ...WINDOW_PREFERENCE, ...Object.keys(ratios).sort()];
  for (const w of order) {
    const value = ratios[w];
    if (value !== undefined) {
      return { window: w, value };
    }
  }
  return undefined;
}
