import { backoffMs, isRetryableStatus } from './retryPolicy';

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });

  it('backs off exponentially with jitter in the upper half, capped', () => {
    const b = { baseMs: 500, capMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => backoffMs(n, b, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffMs(n, b, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, b, () => 1)).toBe(30_000);
    expect(backoffMs(20, b, () => 0)).toBe(15_000);
  });
});
