import { parseConfigText } from './loadConfig';

const env = { S3_KEY: 'AKIA', S3_SECRET: 'shh' };
const parse = (yaml: string) => parseConfigText('/p/datatrust.yml', yaml, env);
const errors = (yaml: string) => parse(yaml).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message}`);

describe('type: s3 sources', () => {
  it('reads region, endpoint, mode, credentials from the environment and the cache', () => {
    const { config, diagnostics } = parse(
      [
        'sources:',
        '  lake:',
        '    type: s3',
        '    region: eu-central-1',
        '    endpoint: http://minio:9000/',
        '    mode: sdk',
        '    access_key_id: ${S3_KEY}',
        '    secret_access_key: ${S3_SECRET}',
        '    cache: { path: cache, max_size: 2GiB }',
        'datasets:',
        '  tx: { source: lake, file: "s3://bank-lake/tx/year=*/*.parquet" }',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(config.sources.lake).toMatchObject({ type: 's3', region: 'eu-central-1', endpoint: 'http://minio:9000', pathStyle: true, mode: 'sdk', credentials: { accessKeyId: 'AKIA', secretAccessKey: 'shh' }, cache: { path: '/p/cache', maxSizeBytes: 2 * 1024 ** 3 } });
    expect(config.datasets.tx).toMatchObject({ file: 's3://bank-lake/tx/year=*/*.parquet', format: 'parquet' });
  });

  it('defaults to mode auto, the AWS credential chain, virtual-host URLs without an endpoint and a cache beside the state', () => {
    const { config } = parse('sources: { lake: { type: s3, region: us-east-1 } }');
    expect(config.sources.lake).toMatchObject({ mode: 'auto', pathStyle: false, cache: { maxSizeBytes: 10 * 1024 ** 3 } });
    expect(config.sources.lake).not.toHaveProperty('credentials');
  });

  it('refuses literal credentials, half a key pair, unknown keys and bad values, each at its line', () => {
    expect(errors('sources:\n  lake:\n    type: s3\n    access_key_id: AKIA\n    secret_access_key: ${S3_SECRET}\n')).toEqual([expect.stringMatching(/^4: `access_key_id` of source `lake` is a secret: write it as `\$\{VARIABLE\}`/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    secret_access_key: ${S3_SECRET}\n')).toEqual([expect.stringMatching(/^3: source `lake` needs both `access_key_id` and `secret_access_key`/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    bucket: x\n')).toEqual([expect.stringMatching(/^4: .*`bucket`/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    mode: fast\n')).toEqual([expect.stringMatching(/^4: .*`fast`/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    cache: { max_size: lots, ttl: 1h }\n')).toEqual([expect.stringMatching(/^4: .*`ttl`/), expect.stringMatching(/^4: `cache.max_size` must be a size/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    mode: httpfs\n    cache: { max_size: 1GiB }\n')).toEqual([expect.stringMatching(/^5: source `lake` has `mode: httpfs`, which reads S3 directly and keeps no cache/)]);
    expect(errors('sources:\n  lake:\n    type: s3\n    endpoint: minio:9000\n')).toEqual([expect.stringMatching(/^4: `endpoint` of source `lake` must be an http\(s\) URL/)]);
  });

  it('s3:// files need an s3 source, and an s3 source reads only s3:// files', () => {
    const src = 'sources:\n  lake: { type: s3 }\n  wh: { type: duckdb, path: ":memory:" }\ndatasets:\n';
    expect(errors(`${src}  a: { file: "s3://bank-lake/a.csv" }\n`)).toEqual([expect.stringMatching(/^5: dataset `a` reads `s3:\/\/bank-lake\/a.csv`: add `source:` naming a source with `type: s3`/)]);
    expect(errors(`${src}  a: { source: lake, table: t }\n`)).toEqual([expect.stringMatching(/^5: dataset `a` uses s3 source `lake`, which reads `file: s3:\/\/bucket\/key`.*not tables/)]);
    expect(errors(`${src}  a: { source: lake, file: "s3://Bad_Bucket/a.csv" }\n`)).toEqual([expect.stringMatching(/^5: dataset `a`: `Bad_Bucket` .* is not an S3 bucket name/)]);
  });
});
