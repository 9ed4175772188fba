import { inferColumns, isoDateDays, isoTimestampMicros } from './columnTypes';
import { type FlatRecord, flattenRecord } from './flatten';

const flat = (r: Record<string, unknown>): FlatRecord => {
  const f = flattenRecord(r);
  if ('error' in f) throw new Error(f.error);
  return f;
};

describe('flattenRecord', () => {
  it('joins nested keys with dots at any depth, keeps lists as JSON text and scalars as they are', () => {
    expect([...flat({ id: 1, customer: { name: 'Kim', address: { city: 'Seoul' } }, tags: ['a', { b: 1 }], ok: true, none: null })]).toEqual([
      ['id', 1],
      ['customer.name', 'Kim'],
      ['customer.address.city', 'Seoul'],
      ['tags', '["a",{"b":1}]'],
      ['ok', true],
      ['none', null],
    ]);
  });

  it('refuses two fields that flatten to the same column', () => {
    expect(flattenRecord({ 'a.b': 1, a: { b: 2 } })).toEqual({ error: 'two fields flatten to the column `a.b`' });
  });
});

describe('ISO dates and date-times', () => {
  it('converts offsets to UTC and keeps microseconds', () => {
    expect(isoTimestampMicros('1970-01-01T00:00:01Z')).toBe(1_000_000n);
    expect(isoTimestampMicros('1970-01-01T02:00:00+02:00')).toBe(0n);
    expect(isoTimestampMicros('1969-12-31T19:30:00-0430')).toBe(0n);
    expect(isoTimestampMicros('1970-01-01 00:00:00.1234567')).toBe(123_456n);
    expect(isoTimestampMicros('2026-12-01T12:00')).toBe(BigInt(Date.parse('2026-12-01T12:00:00Z')) * 1000n);
  });

  it('rejects what is not a real instant', () => {
    for (const s of ['2026-02-30T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01', 'yesterday', '2026-12-01T10:00:00 UTC']) expect(isoTimestampMicros(s)).toBeUndefined();
    expect(isoDateDays('1970-01-02')).toBe(1);
    expect(isoDateDays('2026-13-01')).toBeUndefined();
  });
});

describe('inferColumns', () => {
  it('types each column from all its values, in order of first appearance', () => {
    const rows = [
      flat({ id: 1, amount: 1, at: '2026-12-01T10:00:00Z', day: '2026-12-01', ok: true, code: '001', empty: null }),
      flat({ id: 2, amount: 1.5, at: '2026-12-01T11:00:00+09:00', day: '2026-12-02T00:00:00Z', ok: false, code: 7, late: 'x' }),
    ];
    expect(inferColumns(rows)).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'at', type: 'TIMESTAMP' },
      { name: 'day', type: 'TIMESTAMP' },
      { name: 'ok', type: 'BOOLEAN' },
      { name: 'code', type: 'VARCHAR' },
      { name: 'empty', type: 'VARCHAR' },
      { name: 'late', type: 'VARCHAR' },
    ]);
  });

  it('gives a column the same type whichever page its values came on', () => {
    const a = flat({ v: 1 });
    const b = flat({ v: 'text' });
    expect(inferColumns([a, b])).toEqual(inferColumns([b, a]));
    expect(inferColumns([flat({ v: 2 ** 60 })])).toEqual([{ name: 'v', type: 'DOUBLE' }]);
  });
});
