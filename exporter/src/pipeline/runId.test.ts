import { isUuid, uuidv7 } from './runId';

describe('uuidv7', () => {
  it('is a version 7, variant 1 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.parse('2026-03-01T10:00:00.123Z');
    const id = uuidv7(at, Buffer.alloc(10, 0xff));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7fff-bfff-ffffffffffff$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(isUuid(id)).toBe(true);
  });

  it('sorts by creation time', () => {
    const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(1_500_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('recognises only canonical UUID text', () => {
    expect(isUuid('0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f')).toBe(true);
    expect(isUuid('0190b3c27a6e7c1d9f003a2b1c0d9e8f')).toBe(false);
    expect(isUuid('run-1')).toBe(false);
  });
});
