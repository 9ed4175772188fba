import { DatasetSignals, emptySignals } from '../graph/model';
import { classifyOwnState } from './classifyOwnState';
import { DEFAULT_THRESHOLDS } from './thresholds';

function signals(partial: Partial<DatasetSignals>): DatasetSignals {
  return { ...emptySignals(), ...partial };
}

const classify = (s: Partial<DatasetSignals>) => classifyOwnState(signals(s), 'ds', DEFAULT_THRESHOLDS);

describe('classifyOwnState', () => {
  it('is red when the breaker is open', () => {
    expect(classify({ breakerOpen: true, passRatio: { '1d': 1 } })).toBe('failed');
  });

  it('is green when the breaker is closed and the checks pass', () => {
    expect(classify({ breakerOpen: false, checks: [{ name: 'c', outcome: 'pass' }], passRatio: { '1d': 1 } })).toBe('ok');
  });

  it('is amber when a check warns', () => {
    expect(classify({ breakerOpen: false, checks: [{ name: 'c', outcome: 'warn' }] })).toBe('warn');
  });

  it('is amber for failing checks that did not trip a known-closed breaker, red when the breaker is unknown', () => {
    const failing = { checks: [{ name: 'c', outcome: 'fail' as const }] };
    expect(classify({ ...failing, breakerOpen: false })).toBe('warn');
    expect(classify(failing)).toBe('failed');
  });

  it('applies the pass-ratio warn and fail levels of the chosen window', () => {
    expect(classify({ passRatio: { '1d': 0.995 } })).toBe('ok');
    expect(classify({ passRatio: { '1d': 0.98 } })).toBe('warn');
    expect(classify({ passRatio: { '1d': 0.9 } })).toBe('failed');
    expect(classifyOwnState(signals({ passRatio: { '1d': 1, '7d': 0.9 } }), 'ds', { ...DEFAULT_THRESHOLDS, window: '7d' })).toBe(
      'failed'
    );
  });

  it('falls back to the shortest window the data has', () => {
    expect(classify({ passRatio: { '30d': 0.9, '7d': 0.98 } })).toBe('warn');
  });

  it('is grey without any check signal, even when freshness is known (a coverage gap)', () => {
    expect(classify({})).toBe('unknown');
    expect(classify({ freshnessSeconds: 60 })).toBe('unknown');
  });

  it('does not count a breaker opened by an upstream cause as an own failure', () => {
    expect(classify({ breakerOpen: true, breakerCause: 'upstream_ds' })).toBe('ok');
    expect(classify({ breakerOpen: true, breakerCause: 'self' })).toBe('failed');
  });
});
