import { isMirrorableKey, keyMatcher, parseS3Url } from './s3Glob';

describe('parseS3Url', () => {
  it('splits bucket, pattern and the literal prefix to list', () => {
    expect(parseS3Url('s3://bank-lake/tx/year=2026/*.parquet')).toEqual({ bucket: 'bank-lake', pattern: 'tx/year=2026/*.parquet', prefix: 'tx/year=2026/', glob: true });
    expect(parseS3Url('s3://bank-lake/tx/a.csv')).toEqual({ bucket: 'bank-lake', pattern: 'tx/a.csv', prefix: 'tx/a.csv', glob: false });
    expect(parseS3Url('s3://bank-lake/tx/part-?.csv')).toMatchObject({ prefix: 'tx/part-' });
  });

  it('rejects what is not a bucket and key, folders, braces and path escapes', () => {
    expect(parseS3Url('s3://bank-lake')).toMatchObject({ error: expect.stringContaining('s3://bucket/key') });
    expect(parseS3Url('s3://B/x.csv')).toMatchObject({ error: expect.stringContaining('bucket name') });
    expect(parseS3Url('s3://bank-lake/tx/')).toMatchObject({ error: expect.stringContaining('names a folder') });
    expect(parseS3Url('s3://bank-lake/{a,b}.csv')).toMatchObject({ error: expect.stringContaining('alternatives') });
    expect(parseS3Url('s3://bank-lake/../etc/passwd')).toMatchObject({ error: expect.stringContaining('`..`') });
    expect(parseS3Url('s3://bank-lake/a//b.csv')).toMatchObject({ error: expect.stringContaining('empty') });
  });
});

describe('keyMatcher follows DuckDB local glob semantics', () => {
  it('`*` and `?` stay within one folder', () => {
    const m = keyMatcher('tx/*.parquet');
    expect(m('tx/a.parquet')).toBe(true);
    expect(m('tx/sub/a.parquet')).toBe(false);
    expect(m('tx/a.csv')).toBe(false);
    expect(keyMatcher('tx/part-?.csv')('tx/part-1.csv')).toBe(true);
    expect(keyMatcher('tx/part-?.csv')('tx/part-10.csv')).toBe(false);
  });

  it('`**` spans any number of folders, none included', () => {
    const m = keyMatcher('tx/**/*.parquet');
    expect(m('tx/a.parquet')).toBe(true);
    expect(m('tx/year=2026/month=11/a.parquet')).toBe(true);
    expect(m('other/a.parquet')).toBe(false);
    expect(keyMatcher('tx/**')('tx/x/y/z.csv')).toBe(true);
  });

  it('`[...]` and `[!...]` are character classes; everything else is literal', () => {
    expect(keyMatcher('m=[0-9][0-9]/a.csv')('m=11/a.csv')).toBe(true);
    expect(keyMatcher('m=[0-9][0-9]/a.csv')('m=1x/a.csv')).toBe(false);
    expect(keyMatcher('[!a]*.csv')('b.csv')).toBe(true);
    expect(keyMatcher('[!a]*.csv')('a.csv')).toBe(false);
    expect(keyMatcher('a+b (1).csv')('a+b (1).csv')).toBe(true);
    expect(keyMatcher('a.csv')('abcsv')).toBe(false);
  });
});

describe('isMirrorableKey', () => {
  it('refuses folder markers and keys that would leave the cache folder', () => {
    expect(isMirrorableKey('tx/year=2026/a.parquet')).toBe(true);
    expect(isMirrorableKey('tx/')).toBe(false);
    expect(isMirrorableKey('tx/../../x')).toBe(false);
    expect(isMirrorableKey('a//b')).toBe(false);
  });
});
