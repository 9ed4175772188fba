import { textTable } from '../cli/textTable';
import { formatProfileText, profileHeadline } from './formatProfile';
import type { DatasetProfile } from './profileModel';

const base: DatasetProfile = {
  dataset: 'orders',
  source: 'wh',
  relation: 'main.orders',
  profiledAt: '2026-12-01T00:00:00.000Z',
  rowCount: 1234,
  columns: [
    { name: 'amount', type: 'DECIMAL(18,2)', category: 'numeric', nullCount: 0, nullPercent: 0, distinct: { count: 1200, approximate: true }, min: 1.5, max: 12345.678, mean: 99.12345 },
    { name: 'email', type: 'VARCHAR', category: 'text', nullCount: 1, nullPercent: 0.081, distinct: { count: 3, approximate: false }, length: { min: 5, max: 5 }, format: { name: 'email', matchPercent: 100 }, topValues: [{ value: 'a@b.co', count: 1000 }] },
  ],
  queries: 3,
  durationMs: 12,
};

describe('formatProfileText', () => {
  it('says when the profile saw only the filtered rows or a sample', () => {
    expect(profileHeadline(base)).toBe('orders (wh: main.orders): 1,234 rows, 2 columns, profiled 2026-12-01T00:00:00.000Z');
    expect(profileHeadline({ ...base, filter: "country = 'DE'", samplePercent: 10 })).toBe("orders (wh: main.orders) [filter: country = 'DE', 10% sample]: 1,234 rows, 2 columns, profiled 2026-12-01T00:00:00.000Z");
  });

  it('prints a line per column and marks estimated distinct counts', () => {
    const text = formatProfileText(base, textTable);
    expect(text).toMatch(/^amount +DECIMAL\(18,2\) +0% +~1,200 +1\.5 … 12,345\.678 +mean 99\.1235$/m);
    expect(text).toMatch(/^email +VARCHAR +0\.08% +3 +length 5; format email \(100%\); top: a@b\.co \(1,000\)$/m);
    expect(text).toContain('~ estimated distinct count (HyperLogLog)');
  });
});
