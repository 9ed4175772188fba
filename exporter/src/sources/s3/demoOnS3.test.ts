import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../../config/loadConfig';
import { loadProject } from '../../config/loadProject';
import { generateDemo } from '../../demo/generateDemo';
import { runScan, type ScanRun } from '../../scan/runScan';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../testing/s3Server';
import { tempProject } from '../../testing/tempDir';

jest.setTimeout(120_000);

const REPO = join(__dirname, '../../../..');
/** Every table dataset of the demo's own config, so a table the demo gains is on the lake too. */
const TABLES = Object.values(loadConfig(join(REPO, 'datatrust.yml'), { DATATRUST_STATE: 'unused' }).config.datasets)
  .filter((d) => d.table)
  .map((d) => d.name);

/**
 * The "done when": the demo's tables exported to Parquet on a local S3-compatible server,
 * scanned with the demo's own checks, give the outcomes of the DuckDB-table scan.
 */
describe('the demo on S3', () => {
  const project = tempProject({});
  const now = new Date('2026-11-26T10:00:00Z');
  let s3: S3TestServer;

  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket('demo-lake');
    mkdirSync(project.path('checks'));
    for (const f of readdirSync(join(REPO, 'checks'))) copyFileSync(join(REPO, 'checks', f), project.path(join('checks', f)));
    copyFileSync(join(REPO, 'datatrust.yml'), project.path('datatrust.yml'));
    await generateDemo({ output: project.path('data/demo.duckdb'), rows: 100_000, now });
    // Several files per table, so the datasets are globs of many objects as a lake's would be.
    const db = await DuckDBInstance.create(project.path('data/demo.duckdb'), { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    mkdirSync(project.path('export'));
    try {
      for (const t of TABLES) {
        const dir = project.path(`export/${t}`);
        await conn.run(`COPY ${t} TO '${dir}' (FORMAT parquet, ROW_GROUP_SIZE 20000, ROW_GROUPS_PER_FILE 1)`);
        for (const f of readdirSync(dir)) await s3.put('demo-lake', `warehouse/${t}/${f}`, readFileSync(join(dir, f)));
      }
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    const datasets = TABLES.map((t) => `  ${t}: { source: lake, file: "s3://demo-lake/warehouse/${t}/*.parquet" }`).join('\n');
    writeFileSync(
      project.path('lake.yml'),
      `sources:\n  lake: { type: s3, endpoint: "${s3.endpoint}", region: us-east-1, mode: sdk, access_key_id: "\${LAKE_KEY}", secret_access_key: "\${LAKE_SECRET}" }\ndatasets:\n${datasets}\nchecks: [checks/*.yml]\nstate: { path: data/state.duckdb }\n`,
    );
  });
  afterAll(async () => {
    await s3?.close();
    project.cleanup();
  });

  const outcomes = (run: ScanRun) =>
    Object.fromEntries(run.datasets.map((d) => [d.dataset, d.checks.map((c) => ({ check: c.definition, outcome: c.outcome, value: c.value, error: c.error }))]));

  it('gives the same outcomes as the DuckDB tables, read through the SDK and its cache', async () => {
    const scanNow = () => new Date(now.getTime() + 30_000);
    const tables = await runScan(loadProject(project.path('datatrust.yml')), { now: scanNow, samples: false });
    const lake = loadProject(project.path('lake.yml'), { env: { LAKE_KEY: S3RVER_CREDENTIALS.accessKeyId, LAKE_SECRET: S3RVER_CREDENTIALS.secretAccessKey } });
    expect(lake.blocking).toEqual([]);
    const onS3 = await runScan(lake, { now: scanNow, samples: false });
    expect(outcomes(onS3)).toEqual(outcomes(tables));
    expect(tables.summary.fail).toBeGreaterThan(0);
    for (const d of onS3.datasets) expect(d.reader).toMatchObject({ kind: 'sdk', downloaded: d.reader && 'objects' in d.reader ? d.reader.objects : -1 });
  });
});
