import type { CheckResult } from '../scan/result';
import type { ScanRecord } from '../state/stateStore';
import { observedChecksView } from './observedChecks';

const since = new Date('2026-11-16T00:00:00Z');
const r = (name: string, outcome: CheckResult['outcome'], observed: boolean): CheckResult => ({ id: `checks.yml:${name.length}:5`, name, definition: `${name} = 0`, outcome, value: 0, threshold: {}, ...(observed ? { mode: 'observe' as const } : {}) });
const scan = (dataset: string, results: CheckResult[]): ScanRecord => ({ scanId: 's', dataset, trigger: 'api', startedAt: '2026-11-30T00:00:00.000Z', finishedAt: '2026-11-30T00:00:01.000Z', durationMs: 1000, results });

describe('observedChecksView', () => {
  it('lists the checks whose latest result is observed, sorted, with their counts; promoted checks drop out', () => {
    const latest = [scan('orders', [r('b rule', 'fail', true), r('promoted', 'fail', false), r('a rule', 'pass', true)]), scan('accounts', [r('x', 'warn', true)])];
    const stats = [
      { dataset: 'orders', check: 'b rule', observedSince: '2026-11-20T00:00:00.000Z', counts: { pass: 3, warn: 0, fail: 1, error: 0 } },
      { dataset: 'orders', check: 'a rule', observedSince: '2026-11-21T00:00:00.000Z', counts: { pass: 4, warn: 1, fail: 0, error: 0 } },
      { dataset: 'orders', check: 'promoted', observedSince: '2026-11-01T00:00:00.000Z', counts: { pass: 0, warn: 0, fail: 9, error: 0 } },
    ];
    const view = observedChecksView(latest, stats, since);
    expect(view.since).toBe('2026-11-16T00:00:00.000Z');
    expect(view.checks.map((c) => [c.dataset, c.check, c.evaluations, c.wouldHaveFailedRatio, c.quiet, c.lastOutcome])).toEqual([
      // No stored evaluation in the window (e.g. older than it): listed, with nothing counted and not quiet.
      ['accounts', 'x', 0, null, false, 'warn'],
      ['orders', 'a rule', 5, 0, true, 'pass'],
      ['orders', 'b rule', 4, 0.25, false, 'fail'],
    ]);
    expect(view.checks[2]).toMatchObject({ definition: 'b rule = 0', location: 'checks.yml:6:5', observedSince: '2026-11-20T00:00:00.000Z', lastEvaluatedAt: '2026-11-30T00:00:01.000Z', pass: 3, fail: 1 });
  });
});
