import type { Incident } from './incident';
import { qualityHistory } from './qualityHistory';

const now = new Date('2026-11-30T12:00:00Z');
const since = new Date('2026-11-23T12:00:00Z');

describe('qualityHistory', () => {
  test('the PRD’s sentence: a week of passes and a freshness warning three days ago, resolved', () => {
    const evaluations = [
      { check: 'row_count > 0', outcome: 'pass', at: '2026-11-24T01:00:00.000Z' },
      { check: 'freshness', outcome: 'pass', at: '2026-11-24T01:00:00.000Z' },
      { check: 'freshness', outcome: 'warn', at: '2026-11-27T08:00:00.000Z' },
      { check: 'freshness', outcome: 'warn', at: '2026-11-27T09:00:00.000Z' },
      { check: 'freshness', outcome: 'pass', at: '2026-11-27T10:00:00.000Z' },
      { check: 'row_count > 0', outcome: 'pass', at: '2026-11-29T01:00:00.000Z' },
    ];
    const h = qualityHistory('orders', evaluations, [], since, now);
    expect(h.episodes).toEqual([{ check: 'freshness', outcome: 'warn', from: '2026-11-27T08:00:00.000Z', resolvedAt: '2026-11-27T10:00:00.000Z' }]);
    expect(h.summary).toBe('last 7 days 66.67% pass; freshness warning 3 days ago (resolved)');
    expect(h.days).toHaveLength(8);
    expect(h.days.find((d) => d.date === '2026-11-27')).toEqual({ date: '2026-11-27', evaluations: 3, pass: 1, warn: 2, fail: 0, error: 0, passRatio: 1 / 3 });
    expect(h.days.find((d) => d.date === '2026-11-25')!.passRatio).toBeNull();
  });

  test('an observed check is in the episodes, flagged, but not in the pass ratios; its history continues once promoted', () => {
    const evaluations = [
      { check: 'row_count > 0', outcome: 'pass', at: '2026-11-24T01:00:00.000Z' },
      { check: 'new rule', outcome: 'fail', at: '2026-11-24T01:00:00.000Z', observed: true },
      { check: 'new rule', outcome: 'pass', at: '2026-11-25T01:00:00.000Z', observed: true },
      { check: 'new rule', outcome: 'warn', at: '2026-11-29T01:00:00.000Z', observed: true },
      // Promoted to enforce: the same check, the same episode.
      { check: 'new rule', outcome: 'fail', at: '2026-11-29T02:00:00.000Z' },
    ];
    const h = qualityHistory('orders', evaluations, [], since, now);
    expect(h.episodes).toEqual([
      { check: 'new rule', outcome: 'fail', from: '2026-11-24T01:00:00.000Z', resolvedAt: '2026-11-25T01:00:00.000Z', observed: true },
      { check: 'new rule', outcome: 'fail', from: '2026-11-29T01:00:00.000Z', observed: true },
    ]);
    expect(h.passRatio).toBe(0.5);
    expect(h.days.find((d) => d.date === '2026-11-24')).toMatchObject({ evaluations: 1, pass: 1, fail: 0 });
    expect(h.summary).toBe('last 7 days 50% pass; new rule observed failure 6 days ago (resolved); new rule observed failure yesterday (ongoing)');
  });

  test('an episode keeps its worst outcome and stays open until a pass', () => {
    const h = qualityHistory(
      'orders',
      [
        { check: 'c', outcome: 'warn', at: '2026-11-29T01:00:00.000Z' },
        { check: 'c', outcome: 'fail', at: '2026-11-29T02:00:00.000Z' },
      ],
      [],
      since,
      now,
    );
    expect(h.episodes).toEqual([{ check: 'c', outcome: 'fail', from: '2026-11-29T01:00:00.000Z' }]);
    expect(h.summary).toBe('last 7 days 0% pass; c failure yesterday (ongoing)');
  });

  test('incidents with their resolution', () => {
    const incident: Incident = { id: 'i1', dataset: 'orders', arrivedAt: '2026-11-28T00:00:00.000Z', detectedAt: '2026-11-28T00:01:00.000Z', resolvedAt: '2026-11-28T02:00:00.000Z', cause: 'check_failed', failingChecks: [{ name: 'No negative amounts', definition: 'd', outcome: 'fail', value: 3 }], blocked: [] };
    expect(qualityHistory('orders', [], [incident], since, now).incidents).toEqual([{ id: 'i1', openedAt: '2026-11-28T00:01:00.000Z', resolvedAt: '2026-11-28T02:00:00.000Z', cause: 'check_failed', failingChecks: ['No negative amounts'] }]);
  });
});
