import { GatePolicy, LONG_POLL_GRACE_MS } from './gatePolicy';

/** A clock that only moves when the test says so. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const MIN = 60_000;

describe('GatePolicy', () => {
  it('sets the deadline --wait after it starts and counts down the remaining time', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000 }, clock.now);
    expect(p.deadline).toBe(1_000_000 + 30 * MIN);
    expect(p.remainingMs()).toBe(30 * MIN);
    clock.advance(29 * MIN);
    expect(p.remainingMs()).toBe(MIN);
    expect(p.expired()).toBe(false);
    clock.advance(MIN);
    expect(p.expired()).toBe(true);
    clock.advance(5000);
    expect(p.remainingMs()).toBe(0);
  });

  it('long-polls one interval at a time, but never past the deadline', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: 40_000, intervalMs: 15_000 }, clock.now);
    expect(p.longPollSeconds()).toBe(15);
    clock.advance(30_500);
    expect(p.longPollSeconds()).toBe(9);
    clock.advance(9_000);
    expect(p.longPollSeconds()).toBe(0);
  });

  it('gives a long poll its wait plus a grace period before calling the exporter unreachable', () => {
    const p = new GatePolicy({ waitMs: MIN, intervalMs: 15_000 }, fakeClock().now);
    expect(p.requestTimeoutMs(15)).toBe(15_000 + LONG_POLL_GRACE_MS);
    expect(p.requestTimeoutMs(0)).toBe(LONG_POLL_GRACE_MS);
  });

  it('asks again at once after a long poll that was held for the whole interval', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000 }, clock.now);
    const started = clock.now();
    clock.advance(15_020);
    expect(p.delayAfterOpen(started)).toBe(0);
  });

  it('keeps to the interval when the server answers "open" early (no long-poll support)', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000 }, clock.now);
    const started = clock.now();
    clock.advance(40);
    expect(p.delayAfterOpen(started)).toBe(14_960);
  });

  it('never pauses past the deadline, so the last ask happens at the deadline', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: 10_000, intervalMs: 15_000 }, clock.now);
    const started = clock.now();
    clock.advance(3_000);
    expect(p.delayAfterOpen(started)).toBe(7_000);
    expect(p.delayAfterFailure(10)).toBe(7_000);
  });

  it('backs off exponentially from 1 s, capped at the interval (no jitter at random=1)', () => {
    const p = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000, random: () => 1 }, fakeClock().now);
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => p.delayAfterFailure(n))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('jitters each backoff between half and all of its step', () => {
    const low = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000, random: () => 0 }, fakeClock().now);
    const mid = new GatePolicy({ waitMs: 30 * MIN, intervalMs: 15_000, random: () => 0.5 }, fakeClock().now);
    expect([1, 2, 3].map((n) => low.delayAfterFailure(n))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => mid.delayAfterFailure(n))).toEqual([750, 1500, 3000]);
  });

  it('honours a longer Retry-After, still within the deadline', () => {
    const clock = fakeClock();
    const p = new GatePolicy({ waitMs: MIN, intervalMs: 15_000, random: () => 1 }, clock.now);
    expect(p.delayAfterFailure(1, 20_000)).toBe(20_000);
    expect(p.delayAfterFailure(1, 200)).toBe(1000);
    clock.advance(50_000);
    expect(p.delayAfterFailure(1, 20_000)).toBe(10_000);
  });

  it('starts the backoff below 1 s when the interval itself is shorter', () => {
    const p = new GatePolicy({ waitMs: MIN, intervalMs: 400, random: () => 1 }, fakeClock().now);
    expect([1, 2].map((n) => p.delayAfterFailure(n))).toEqual([400, 400]);
  });

  it('rejects a zero interval, which would poll in a hot loop', () => {
    expect(() => new GatePolicy({ waitMs: MIN, intervalMs: 0 }, fakeClock().now)).toThrow(/intervalMs must be > 0/);
    expect(() => new GatePolicy({ waitMs: -1, intervalMs: 1000 }, fakeClock().now)).toThrow(/waitMs must be >= 0/);
  });
});
