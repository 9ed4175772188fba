import { duckdbDialect } from '../../sources/duckdbDialect';
import { postgresDialect } from '../../sources/postgresDialect';
import { typeCategory } from '../../sources/typeCategory';
import { canonicalKey, groupedKeysSql, keyIndexSpec } from './keyIndexSql';

const col = (name: string, type: string) => ({ name, type, category: typeCategory(type) });

describe('key index SQL', () => {
  it('gives equal values one spelling where printing would not: PostgreSQL numerics, doubles and times; DuckDB time zones', () => {
    expect(canonicalKey(col('n', 'numeric(12,2)'), postgresDialect)).toBe('CAST(trim_scale("n") AS TEXT)');
    expect(canonicalKey(col('d', 'double precision'), postgresDialect)).toMatch(/float8send\(CAST\("d" AS DOUBLE PRECISION\) \+ 0\)/);
    expect(canonicalKey(col('t', 'timestamp with time zone'), postgresDialect)).toMatch(/to_char\(\("t" AT TIME ZONE 'UTC'\), 'YYYY-MM-DD HH24:MI:SS\.US BC'\)/);
    expect(canonicalKey(col('t', 'TIMESTAMP WITH TIME ZONE'), duckdbDialect)).toBe('CAST(epoch_us("t") AS VARCHAR)');
    expect(canonicalKey(col('i', 'BIGINT'), duckdbDialect)).toBe('CAST("i" AS VARCHAR)');
    expect(canonicalKey(col('c', 'character(4)'), postgresDialect)).toBe('CAST("c" AS TEXT)');
  });

  it('refuses key columns without a canonical text, naming the column and its type', () => {
    for (const [type, d] of [['INTERVAL', duckdbDialect], ['interval', postgresDialect], ['jsonb', postgresDialect], ['citext', postgresDialect], ['BLOB', duckdbDialect]] as const) {
      expect(canonicalKey(col('k', type), d)).toEqual({ error: expect.stringContaining(`\`k\` is ${type}`) });
    }
  });

  it('names an index by its keys, relation and filters, and groups only the rows asked for', () => {
    const spec = keyIndexSpec({ columns: ['"a"', '"b"'], from: 't', where: '"a" IS NOT NULL AND "b" IS NOT NULL' }, [col('a', 'INTEGER'), col('b', 'VARCHAR')], duckdbDialect);
    const filtered = keyIndexSpec({ columns: ['"a"', '"b"'], from: 't', where: '(x > 0) AND "a" IS NOT NULL AND "b" IS NOT NULL' }, [col('a', 'INTEGER'), col('b', 'VARCHAR')], duckdbDialect);
    if ('error' in spec || 'error' in filtered) throw new Error('refused');
    expect(spec.signature).not.toBe(filtered.signature);
    expect(groupedKeysSql(spec, '"ts" > 5')).toBe('SELECT CAST("a" AS VARCHAR) AS k0, CAST("b" AS VARCHAR) AS k1, COUNT(*) AS n FROM t WHERE ("a" IS NOT NULL AND "b" IS NOT NULL) AND ("ts" > 5) GROUP BY 1, 2');
  });
});
