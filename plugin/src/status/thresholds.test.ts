import { normaliseThresholds } from './thresholds';

describe('normaliseThresholds', () => {
  it('swaps warn and fail levels given the wrong way round and clamps them to 0..1', () => {
    expect(normaliseThresholds({ warnBelow: 0.5, failBelow: 1.5, window: '1d' })).toEqual({ warnBelow: 1, failBelow: 0.5, window: '1d' });
  });

  it('falls back to the defaults for non-numbers', () => {
    expect(normaliseThresholds({ warnBelow: Number.NaN, failBelow: 0.9, window: '7d' })).toEqual({ warnBelow: 0.99, failBelow: 0.9, window: '7d' });
  });
});
