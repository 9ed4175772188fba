import { formatDiagnostic } from '../diagnostics/diagnostic';
import { parseChecksText } from '../checks/parseChecksFile';
import type { ColumnProfile, DatasetProfile } from './profileModel';
import { freshnessThreshold, missingThreshold, suggestChecks, widenRange } from './suggestChecks';
import { writeSodaCl } from './writeSodaCl';

const column = (c: Partial<ColumnProfile> & { name: string }): ColumnProfile => ({ type: 'VARCHAR', category: 'text', nullCount: 0, nullPercent: 0, ...c });
const profile = (columns: ColumnProfile[], extra: Partial<DatasetProfile> = {}): DatasetProfile => ({
  dataset: 'orders',
  source: 'wh',
  relation: 'main.orders',
  profiledAt: '2026-12-01T00:00:00.000Z',
  rowCount: 1000,
  columns,
  queries: 2,
  durationMs: 10,
  ...extra,
});
const lines = (p: DatasetProfile) => suggestChecks(p).checks.map((c) => (c.keys ? `${c.line} ${c.keys.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : c.line));

describe('margins', () => {
  it('widens a range by a tenth of it, rounded outwards, never across zero when no value crossed it', () => {
    expect(widenRange(1, 20_000)).toEqual({ low: 0, high: 22_000 });
    expect(widenRange(1000.31, 500_999.99)).toEqual({ low: 0, high: 560_000 });
    expect(widenRange(-50, 50)).toEqual({ low: -60, high: 60 });
    expect(widenRange(-20, -10)).toEqual({ low: -21, high: -9 });
    // All values equal: a tenth of the value, at least 1.
    expect(widenRange(7, 7)).toEqual({ low: 6, high: 8 });
  });

  it('allows twice the profiled NULL share, and at least one point more', () => {
    expect(missingThreshold(0.13)).toBe(1.2);
    expect(missingThreshold(10)).toBe(20);
    expect(missingThreshold(80)).toBe(100);
  });

  it('allows four times the newest value’s age, at least an hour', () => {
    expect(freshnessThreshold(600)).toBe('1h');
    expect(freshnessThreshold(3 * 3600)).toBe('12h');
    expect(freshnessThreshold(30 * 3600)).toBe('5d');
    expect(freshnessThreshold(-30)).toBe('1h');
  });
});

describe('suggestChecks', () => {
  it('starts with the row count within margins and the schema with every column type', () => {
    const s = suggestChecks(profile([column({ name: 'id', type: 'INTEGER', category: 'numeric', min: 1, max: 1000, distinct: { count: 1000, approximate: false } })]));
    expect(s.checks[0]!.line).toBe('row_count between 500 and 2000');
    expect(s.checks[1]).toMatchObject({ line: 'schema', columns: [['id', 'INTEGER']] });
  });

  it('treats an all-distinct whole number as a key: duplicates refused, only its minimum bounded (it grows)', () => {
    expect(lines(profile([column({ name: 'id', type: 'BIGINT', category: 'numeric', min: 1, max: 1000, distinct: { count: 1000, approximate: false } })])).slice(2)).toEqual([
      'missing_count(id) = 0',
      'duplicate_count(id) = 0',
      'invalid_count(id) = 0 valid min=0',
    ]);
  });

  it('does not call all-distinct decimals a key, nor trusts an estimated count for it', () => {
    const amount = column({ name: 'amount', type: 'DECIMAL(18,2)', category: 'numeric', min: 5, max: 105, distinct: { count: 1000, approximate: false } });
    const estimated = column({ name: 'ref', type: 'INTEGER', category: 'numeric', min: 1, max: 1000, distinct: { count: 1000, approximate: true } });
    expect(lines(profile([amount, estimated])).slice(2)).toEqual(['missing_count(amount) = 0', 'invalid_count(amount) = 0 valid min=0 valid max=120', 'missing_count(ref) = 0', 'invalid_count(ref) = 0 valid min=0 valid max=1100']);
  });

  it('prefers a detected format, then a small value set, then the length range', () => {
    const email = column({ name: 'email', format: { name: 'email', matchPercent: 100 }, length: { min: 10, max: 30 } });
    const mostly = column({ name: 'phone', format: { name: 'phone number', matchPercent: 98.5 }, length: { min: 8, max: 15 } });
    const status = column({ name: 'status', distinct: { count: 2, approximate: false }, topValues: [{ value: 'paid', count: 900 }, { value: "it's new", count: 100 }], length: { min: 4, max: 8 } });
    const code = column({ name: 'code', distinct: { count: 900, approximate: false }, length: { min: 6, max: 6 } });
    const name = column({ name: 'name', distinct: { count: 900, approximate: false }, length: { min: 3, max: 40 } });
    expect(lines(profile([email, mostly, status, code, name])).filter((l) => l.startsWith('invalid'))).toEqual([
      'invalid_count(email) = 0 valid format="email"',
      'invalid_percent(phone) < 3%',
      `invalid_count(status) = 0 valid values=["it's new","paid"]`,
      'invalid_count(code) = 0 valid length=6',
      'invalid_count(name) = 0 valid min length=1 valid max length=80',
    ].map((l) => (l.startsWith('invalid_percent') ? `${l} valid format="phone number"` : l)));
  });

  it('skips value sets whose values are rare (an identifier with few rows is not a category)', () => {
    const tiny = column({ name: 'ref', distinct: { count: 5, approximate: false }, topValues: ['a', 'b', 'c', 'd', 'e'].map((value) => ({ value, count: 2 })), length: { min: 1, max: 1 } });
    expect(lines(profile([tiny], { rowCount: 10 }))).toContain('invalid_count(ref) = 0 valid length=1');
  });

  it('suggests freshness only on timestamps recent when profiled', () => {
    const loaded = column({ name: 'loaded_at', type: 'TIMESTAMP', category: 'temporal', newestAgeSeconds: 600, max: '2026-11-30 23:50:00' });
    const born = column({ name: 'born_on', type: 'DATE', category: 'temporal', newestAgeSeconds: 400 * 86400 });
    const s = suggestChecks(profile([loaded, born]));
    expect(s.checks.map((c) => c.line)).toContain('freshness(loaded_at) < 1h');
    expect(s.checks.map((c) => c.line).join()).not.toContain('freshness(born_on)');
    expect(s.notes).toEqual([expect.stringMatching(/^born_on: newest value 400d old when profiled/)]);
  });

  it('says why a column got nothing: always NULL, or a name a check line cannot hold', () => {
    const s = suggestChecks(profile([column({ name: 'gone', nullCount: 1000, nullPercent: 100 }), column({ name: 'odd name' })]));
    expect(s.notes).toEqual(['gone: always NULL when profiled, nothing else to suggest', '"odd name": column checks need a plain name (letters, digits, _); write them by hand']);
  });

  it('suggests only the schema for an empty dataset', () => {
    const s = suggestChecks(profile([column({ name: 'id' })], { rowCount: 0 }));
    expect(s.checks.map((c) => c.line)).toEqual(['schema']);
    expect(s.notes).toEqual(['empty when profiled: no row count, range or format to learn from']);
  });

  it('names the filter and the sample the profile was taken through', () => {
    const s = suggestChecks(profile([], { filter: "country = 'DE'", samplePercent: 10 }));
    expect(s.header[1]).toContain("through the dataset's filter `country = 'DE'`, on a 10% sample");
  });
});

describe('writeSodaCl', () => {
  it('writes SodaCL the parser accepts, every check under a comment with its figures', () => {
    const p = profile([
      column({ name: 'id', type: 'INTEGER', category: 'numeric', min: 1, max: 1000, distinct: { count: 1000, approximate: false } }),
      column({ name: 'status', nullCount: 10, nullPercent: 1, distinct: { count: 3, approximate: false }, topValues: ['yes', 'a: b', '"q"'].map((value) => ({ value, count: 330 })), length: { min: 1, max: 3 } }),
      column({ name: 'kind', distinct: { count: 1, approximate: false }, topValues: [{ value: 'true', count: 1000 }], length: { min: 4, max: 4 } }),
      column({ name: 'odd col', type: 'character varying(20)' }),
    ]);
    const text = writeSodaCl([suggestChecks(p), suggestChecks({ ...p, dataset: 'orders_copy' })]);
    const parsed = parseChecksText('suggested.yml', text);
    expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(parsed.document.sections.map((s) => s.dataset)).toEqual(['orders', 'orders_copy']);
    const checks = parsed.document.sections[0]!.checks;
    expect(checks.map((c) => c.spec.kind)).not.toContain('invalid');
    expect(checks).toHaveLength(suggestChecks(p).checks.length);
    expect(text).toContain('  # status: 10 NULLs in 1,000 rows (1%); threshold twice that, at least 1 point more\n  - missing_percent(status) < 2%\n');
    expect(text).toContain('      valid values: ["\\"q\\"", "a: b", "yes"]');
    expect(text).toContain('"odd col": "character varying(20)"');
    expect(text).toMatch(/^# Not suggested: "odd col": column checks need a plain name/m);
  });
});
