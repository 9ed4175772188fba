import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { loadProject } from '../../config/loadProject';
import { runScan } from '../../scan/runScan';
import type { ScanRun } from '../../scan/runScan';
import type { S3SourceConfig } from '../../config/types';
import { S3Source } from './s3Source';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../testing/s3Server';
import { tempProject } from '../../testing/tempDir';

jest.setTimeout(60_000);

const CHECKS = ['checks for orders:', '  - row_count = 3', '  - missing_count(amount) = 0', '  - max(amount) <= 100', ''].join('\n');
const ORDERS = { 'orders/part-1.csv': 'order_id,amount\n1,10\n2,\n', 'orders/part-2.csv': 'order_id,amount\n3,30\n' };

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('bank-lake');
});
afterAll(() => s3?.close());

/** A project whose `orders` dataset is `file` on the `lake` s3 source (or a local file when not s3://). */
function project(file: string, checks: string, opts: { env?: Record<string, string>; source?: string } = {}) {
  const source = opts.source ?? `lake: { type: s3, endpoint: ${s3.endpoint}, mode: sdk, access_key_id: "\${S3_KEY}", secret_access_key: "\${S3_SECRET}" }`;
  const p = tempProject({
    'datatrust.yml': `sources: { ${source} }\ndatasets: { orders: { ${file.startsWith('s3://') ? 'source: lake, ' : ''}file: "${file}" } }\nchecks: [checks.yml]\nstate: { path: state/state.duckdb }\n`,
    'checks.yml': checks,
  });
  const env = opts.env ?? { S3_KEY: S3RVER_CREDENTIALS.accessKeyId, S3_SECRET: S3RVER_CREDENTIALS.secretAccessKey };
  const load = () => {
    const loaded = loadProject(p.path('datatrust.yml'), { env });
    expect(loaded.blocking).toEqual([]);
    return loaded;
  };
  return { ...p, load };
}

const outcomes = (run: ScanRun) => run.datasets.flatMap((d) => d.checks.map((c) => [c.definition, c.outcome, c.value]));

async function upload(prefix: string, files: Record<string, string>): Promise<void> {
  for (const [key, body] of Object.entries(files)) await s3.put('bank-lake', `${prefix}${key}`, body);
}

describe('file datasets on S3 through the SDK reader and its cache', () => {
  it('checks pass and fail as they do on the same files read locally, and the result names the reader', async () => {
    await upload('same/', ORDERS);
    const local = tempProject(ORDERS);
    const onS3 = project('s3://bank-lake/same/orders/*.csv', CHECKS);
    const onDisk = project(local.path('orders/*.csv'), CHECKS, { source: 'unused: { type: duckdb, path: ":memory:" }' });
    try {
      const [a, b] = [await runScan(onS3.load()), await runScan(onDisk.load())];
      expect(outcomes(a)).toEqual(outcomes(b));
      expect(outcomes(a).map((o) => o[1])).toEqual(['pass', 'fail', 'pass']);
      expect(a.datasets[0]!.reader).toEqual({ kind: 'sdk', objects: 2, downloaded: 2, downloadedBytes: 45, removed: 0, evicted: 0 });
      expect(b.datasets[0]!.reader).toBeUndefined();
    } finally {
      onS3.cleanup();
      onDisk.cleanup();
      local.cleanup();
    }
  });

  it('downloads nothing for unchanged objects, fetches a changed one again and drops a deleted one', async () => {
    await upload('changes/', ORDERS);
    const p = project('s3://bank-lake/changes/orders/*.csv', CHECKS);
    try {
      const first = await runScan(p.load());
      expect(first.datasets[0]!.reader).toMatchObject({ downloaded: 2 });
      const gets = s3.counts.get;
      const second = await runScan(p.load());
      expect(s3.counts.get).toBe(gets);
      expect(second.datasets[0]!.reader).toMatchObject({ objects: 2, downloaded: 0, downloadedBytes: 0 });
      expect(outcomes(second)).toEqual(outcomes(first));

      await s3.put('bank-lake', 'changes/orders/part-2.csv', 'order_id,amount\n3,300\n');
      const third = await runScan(p.load());
      expect(s3.counts.get).toBe(gets + 1);
      expect(third.datasets[0]!.reader).toMatchObject({ downloaded: 1 });
      expect(third.datasets[0]!.checks[2]).toMatchObject({ outcome: 'fail', value: 300 });

      await s3.remove('bank-lake', 'changes/orders/part-2.csv');
      const fourth = await runScan(p.load());
      expect(fourth.datasets[0]!.reader).toMatchObject({ objects: 1, downloaded: 0, removed: 1 });
      expect(fourth.datasets[0]!.checks[0]).toMatchObject({ outcome: 'fail', value: 2 });
    } finally {
      p.cleanup();
    }
  });

  it('reads hive partitions (year=/month=) as columns, as DuckDB does for local files', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const dir = tempProject({});
    try {
      for (const [year, month, n] of [[2026, 10, 2], [2026, 11, 3]] as const) {
        const file = dir.path(`${year}-${month}.parquet`);
        await conn.run(`COPY (SELECT range AS id, range * 10 AS amount FROM range(${n})) TO '${file}' (FORMAT parquet)`);
        await s3.put('bank-lake', `hive/tx/year=${year}/month=${month}/data.parquet`, readFileSync(file));
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
      dir.cleanup();
    }
    const checks = ['checks for orders:', '  - row_count = 5', '  - min(month) = 10', '  - max(year) = 2026', '  - row_count = 3:', '      filter: month = 11', ''].join('\n');
    const p = project('s3://bank-lake/hive/tx/**/*.parquet', checks);
    try {
      const run = await runScan(p.load());
      expect(outcomes(run).map((o) => o[1])).toEqual(['pass', 'pass', 'pass', 'pass']);
      expect(run.datasets[0]!.reader).toMatchObject({ kind: 'sdk', objects: 2 });
    } finally {
      p.cleanup();
    }
  });

  it('reads a dataset of many objects', async () => {
    const count = 150;
    await Promise.all(Array.from({ length: count }, (_, i) => s3.put('bank-lake', `many/part-${String(i).padStart(4, '0')}.csv`, `order_id,amount\n${i},${i % 7}\n`)));
    const p = project('s3://bank-lake/many/part-*.csv', `checks for orders:\n  - row_count = ${count}\n  - duplicate_count(order_id) = 0\n`);
    try {
      const run = await runScan(p.load());
      expect(outcomes(run).map((o) => o[1])).toEqual(['pass', 'pass']);
      expect(run.datasets[0]!.reader).toMatchObject({ objects: count, downloaded: count });
    } finally {
      p.cleanup();
    }
  });

  it('wrong credentials are an error on every check naming the credentials, never a pass, and never show the secret', async () => {
    await upload('creds/', ORDERS);
    const p = project('s3://bank-lake/creds/orders/*.csv', CHECKS, { env: { S3_KEY: 'NOT-A-KEY', S3_SECRET: 'very-secret-value' } });
    try {
      const run = await runScan(p.load());
      for (const c of run.datasets[0]!.checks) {
        expect(c.outcome).toBe('error');
        expect(c.error).toMatch(/cannot list s3:\/\/bank-lake\/creds\/orders\/: InvalidAccessKeyId \(HTTP 403\).*check the source's credentials/);
      }
      expect(JSON.stringify(run)).not.toContain('very-secret-value');
    } finally {
      p.cleanup();
    }
  });

  it('a missing bucket, or a glob matching nothing, is an error with a clear message', async () => {
    const missing = project('s3://no-such-bucket/orders/*.csv', CHECKS);
    const empty = project('s3://bank-lake/nothing-here/*.csv', CHECKS);
    try {
      const a = await runScan(missing.load());
      expect(a.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['error', 'error', 'error']);
      expect(a.datasets[0]!.checks[0]!.error).toMatch(/NoSuchBucket.*no such bucket at this endpoint/);
      const b = await runScan(empty.load());
      expect(b.datasets[0]!.checks[0]).toMatchObject({ outcome: 'error', error: expect.stringContaining('no objects match s3://bank-lake/nothing-here/*.csv') });
    } finally {
      missing.cleanup();
      empty.cleanup();
    }
  });

  it('check SQL reads the dataset\'s cached files and nothing else on the machine', async () => {
    await upload('sandbox/', ORDERS);
    const secretFile = tempProject({ 'secret.csv': 'x\n1\n' });
    const p = project('s3://bank-lake/sandbox/orders/*.csv', ['checks for orders:', '  - row_count = 3', '  - escape:', `      escape query: SELECT count(*) FROM read_csv('${secretFile.path('secret.csv')}')`, '      fail: when > 0', ''].join('\n'));
    try {
      const run = await runScan(p.load());
      expect(run.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['pass', 'error']);
      expect(run.datasets[0]!.checks[1]!.error).toMatch(/Permission Error|disabled by configuration/);
    } finally {
      p.cleanup();
      secretFile.cleanup();
    }
  });

  describe('the reader mode reaches the engine (httpfs probe replaced: it is never downloaded in tests)', () => {
    const offline = async () => ({ state: 'unavailable' as const, why: 'Failed to download extension "httpfs"' });
    const source = (mode: S3SourceConfig['mode'], cacheRoot: string) =>
      new S3Source(
        { name: 'lake', type: 's3', endpoint: s3.endpoint, pathStyle: true, mode, credentials: S3RVER_CREDENTIALS, cache: { maxSizeBytes: 1e6 }, isDefault: false, location: { file: 'datatrust.yml', line: 1, col: 1 } },
        { cacheRoot, urls: ['s3://bank-lake/mode/*.csv'], httpfs: offline },
      );

    it('auto without httpfs reads through the SDK and says so', async () => {
      await upload('mode/', { 'a.csv': 'id\n1\n' });
      const dir = tempProject({});
      const s = source('auto', dir.dir);
      try {
        const session = await s.open();
        const described = await session.describe({ kind: 'files', path: 's3://bank-lake/mode/*.csv', format: 'csv' }, 10_000);
        expect(described.reader).toMatchObject({ kind: 'sdk', objects: 1 });
        expect(described.fromSql).toContain(dir.path('objects/bank-lake/mode/*.csv'));
        await session.close();
      } finally {
        await s.close();
        dir.cleanup();
      }
    });

    it('httpfs without the extension is a source error that names the other modes', async () => {
      const dir = tempProject({});
      const s = source('httpfs', dir.dir);
      try {
        await expect(s.open()).rejects.toThrow(/`mode: httpfs` needs DuckDB's httpfs extension.*Failed to download.*`mode: auto` or `mode: sdk`/);
      } finally {
        await s.close();
        dir.cleanup();
      }
    });
  });
});
