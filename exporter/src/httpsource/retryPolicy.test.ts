import { backoffMs, isRetryableStatus, retryAfterMs } from './retryPolicy';

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP-date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter in the upper half, capped', () => {
    const b = { baseMs: 500, capMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => backoffMs(n, b, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffMs(n, b, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, b, () => 1)).toBe(30_000);
    expect(backoffMs(20, b, () => 0)).toBe(15_000);
  });
});
