import type { CheckResult, DatasetResult } from '../scan/result';
import type { Outcome } from '../checks/outcome';
import { breakerView } from './breakerView';
import { decideBreaker } from './decideBreaker';
import type { Breaker } from './types';

const T0 = new Date('2026-11-26T10:00:00Z');
const T1 = new Date('2026-11-26T10:05:00Z');
const check = (name: string, outcome: Outcome): CheckResult => ({ id: name, name, definition: name, outcome, value: outcome === 'pass' ? 0 : 1, threshold: {} });
const scan = (...outcomes: Outcome[]): DatasetResult => ({ dataset: 'orders', source: 'wh', startedAt: T0.toISOString(), durationMs: 1, checks: outcomes.map((o, i) => check(`c${i}-${o}`, o)) });

describe('breaker state machine', () => {
  it('starts closed and stays closed while checks pass', () => {
    const d = decideBreaker(undefined, scan('pass', 'pass'), 'ignore', T0);
    expect(d.next).toMatchObject({ state: 'closed', health: 'pass', failingChecks: [] });
    expect(d.changed).toBeUndefined();
  });

  it("names an anomaly check's measured value and expected band among the failing checks", () => {
    const expected = { value: 50, lower: 45, upper: 55, season: 'Monday', model: 'seasonal(day_of_week)' };
    const d = decideBreaker(undefined, { ...scan(), checks: [{ ...check('volume', 'fail'), measured: 20, expected, anomalyFlag: 'volume' }] }, 'ignore', T0);
    expect(d.next.failingChecks).toEqual([{ name: 'volume', definition: 'volume', outcome: 'fail', value: 1, measured: 20, expected }]);
  });

  it('opens on a fail-level result, naming the failing checks', () => {
    const d = decideBreaker(undefined, scan('pass', 'fail', 'warn'), 'ignore', T0);
    expect(d.next).toMatchObject({ state: 'open', cause: 'check_failed', since: T0.toISOString() });
    expect(d.next.failingChecks.map((c) => c.outcome)).toEqual(['fail', 'warn']);
    expect(d.changed).toEqual({ from: 'closed', to: 'open', cause: 'check_failed' });
  });

  it('never opens on warnings alone', () => {
    const d = decideBreaker(undefined, scan('warn', 'warn'), 'open', T0);
    expect(d.next).toMatchObject({ state: 'closed', health: 'warn' });
  });

  it('opens on a scan error only when on_error is open', () => {
    expect(decideBreaker(undefined, scan('pass', 'error'), 'open', T0).next).toMatchObject({ state: 'open', cause: 'scan_error' });
    expect(decideBreaker(undefined, scan('pass', 'error'), 'ignore', T0).next).toMatchObject({ state: 'closed' });
  });

  it('keeps an open breaker open when a later scan only errors (an error proves nothing)', () => {
    const open: Breaker = { dataset: 'orders', state: 'open', since: T0.toISOString(), cause: 'check_failed', failingChecks: [], health: 'fail', incidentId: 'inc-1' };
    const d = decideBreaker(open, scan('error'), 'ignore', T1);
    expect(d.next).toMatchObject({ state: 'open', since: T0.toISOString(), cause: 'check_failed', incidentId: 'inc-1' });
    expect(d.changed).toBeUndefined();
  });

  it('closes when a later scan passes, keeping since at the change', () => {
    const open: Breaker = { dataset: 'orders', state: 'open', since: T0.toISOString(), cause: 'check_failed', failingChecks: [], health: 'fail', incidentId: 'inc-1' };
    const d = decideBreaker(open, scan('pass', 'warn'), 'ignore', T1);
    expect(d.next).toMatchObject({ state: 'closed', since: T1.toISOString(), health: 'warn' });
    expect(d.next.incidentId).toBeUndefined();
    expect(d.changed).toEqual({ from: 'open', to: 'closed' });
  });

  it('ignores observed checks: a failing or erroring observed check leaves a critical breaker closed and its health untouched', () => {
    const observed = (o: Outcome): CheckResult => ({ ...check(`observed-${o}`, o), mode: 'observe' });
    const result: DatasetResult = { ...scan('pass'), checks: [...scan('pass').checks, observed('fail'), observed('error'), observed('warn')] };
    const d = decideBreaker(undefined, result, 'open', T0);
    expect(d.next).toMatchObject({ state: 'closed', health: 'pass', failingChecks: [] });
    expect(d.changed).toBeUndefined();
  });

  it('does not let an observed pass close a breaker its enforced checks keep open', () => {
    const open: Breaker = { dataset: 'orders', state: 'open', since: T0.toISOString(), cause: 'check_failed', failingChecks: [], health: 'fail', incidentId: 'inc-1' };
    const result: DatasetResult = { ...scan('fail'), checks: [...scan('fail').checks, { ...check('new rule', 'pass'), mode: 'observe' }] };
    const d = decideBreaker(open, result, 'ignore', T1);
    expect(d.next).toMatchObject({ state: 'open', incidentId: 'inc-1' });
    expect(d.next.failingChecks.map((c) => c.name)).toEqual(['c0-fail']);
  });

  it('keeps since while the state does not change', () => {
    const first = decideBreaker(undefined, scan('fail'), 'ignore', T0).next;
    const second = decideBreaker({ ...first, incidentId: 'inc-1' }, scan('fail'), 'ignore', T1);
    expect(second.next).toMatchObject({ since: T0.toISOString(), incidentId: 'inc-1', lastScanAt: T1.toISOString() });
  });
});

describe('effective breaker view', () => {
  const open: Breaker = { dataset: 'orders', state: 'open', since: T0.toISOString(), cause: 'check_failed', failingChecks: [], health: 'fail' };

  it('lets an active override beat the scans, and forgets it once expired', () => {
    const o = { id: 'o1', dataset: 'orders', state: 'closed' as const, reason: 'known issue, approved by risk', actor: 'kim', createdAt: T0.toISOString(), expiresAt: T1.toISOString() };
    expect(breakerView('orders', open, o, T0)).toMatchObject({ state: 'closed', ownState: 'open', overridden: { reason: 'known issue, approved by risk', actor: 'kim' } });
    expect(breakerView('orders', open, o, T1)).toMatchObject({ state: 'open' });
    expect(breakerView('orders', open, o, T1).overridden).toBeUndefined();
  });

  it('blocks a closed dataset whose upstream is open, saying which', () => {
    expect(breakerView('sales', undefined, undefined, T0, [{ dataset: 'orders', path: ['orders', 'sales'], via: ['etl/daily'] }])).toMatchObject({
      state: 'open',
      ownState: 'closed',
      cause: 'upstream:orders',
      blockedBy: ['orders'],
      path: ['orders', 'sales'],
      via: ['etl/daily'],
    });
  });
});
