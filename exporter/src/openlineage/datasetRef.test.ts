import { formatNamespaced, splitNamespaced } from './datasetRef';

describe('splitNamespaced', () => {
  test.each([
    ['my-namespace:my.table', 'my-namespace', 'my.table'],
    ['postgres://db:5432:core.public.tx', 'postgres://db:5432', 'core.public.tx'],
    ['postgres://db.example.com:5432:ledger.public.transactions', 'postgres://db.example.com:5432', 'ledger.public.transactions'],
    ['s3://bucket:/data/events.parquet', 's3://bucket', '/data/events.parquet'],
    ['file:/var/data/orders.csv', 'file', '/var/data/orders.csv'],
    ['duckdb://warehouse:demo.main.raw_transactions', 'duckdb://warehouse', 'demo.main.raw_transactions'],
    ['ns:name:with:colons', 'ns', 'name:with:colons'],
    ['kafka://broker:9092:topic', 'kafka://broker:9092', 'topic'],
    ['ns:2024_sales', 'ns', '2024_sales'],
  ])('%s → %s + %s', (ref, namespace, name) => {
    expect(splitNamespaced(ref)).toEqual({ namespace, name });
    expect(formatNamespaced({ namespace, name })).toBe(ref);
  });

  test('digits after the last colon are a name, not a port', () => {
    expect(splitNamespaced('ns:2024')).toEqual({ namespace: 'ns', name: '2024' });
  });

  test.each(['', 'no-colon', ':name', 'ns:'])('%j is not a reference', (ref) => {
    expect(splitNamespaced(ref)).toBeUndefined();
  });
});
