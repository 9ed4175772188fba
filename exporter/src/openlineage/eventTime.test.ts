import { parseEventTime } from './eventTime';

describe('parseEventTime', () => {
  test('keeps nanoseconds in the sort key and the raw text as sent', () => {
    const t = parseEventTime('2026-11-30T09:00:00.123456789+09:00')!;
    expect(t).toEqual({ raw: '2026-11-30T09:00:00.123456789+09:00', ms: Date.parse('2026-11-30T00:00:00.123Z'), key: '2026-11-30T00:00:00.123456789Z' });
  });

  test('orders events a few nanoseconds apart', () => {
    const a = parseEventTime('2026-11-30T00:00:00.000000001Z')!;
    const b = parseEventTime('2026-11-30T00:00:00.000000002Z')!;
    expect(a.key < b.key).toBe(true);
    expect(a.ms).toBe(b.ms);
  });

  test('the same instant in two offsets has one key', () => {
    expect(parseEventTime('2020-12-28T19:52:00.001+10:00')!.key).toBe(parseEventTime('2020-12-28T09:52:00.001Z')!.key);
  });

  test('reads a time without an offset as UTC, as Marquez does', () => {
    expect(parseEventTime('2020-12-28T19:51:01.641499')!.key).toBe('2020-12-28T19:51:01.641499000Z');
  });

  test.each(['+0900', '-05:30'])('accepts the offset form %s', (zone) => {
    expect(parseEventTime(`2026-11-30T09:00:00${zone}`)).toBeDefined();
  });

  test.each(['yesterday', '2026-13-45T00:00:00Z', '2026-11-30', ''])('rejects %j', (raw) => {
    expect(parseEventTime(raw)).toBeUndefined();
  });
});
