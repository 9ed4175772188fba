/**
 * S3 datasets under `datatrust serve`: scans run in the scan worker process, which lists and
 * downloads the objects itself; outcomes and S3 errors come back through the API.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import type { CheckResult } from '../scan/result';
import type { S3Reader } from '../sources/source';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { TOKEN } from '../testing/exporterFixture';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../testing/s3Server';
import { tempProject } from '../testing/tempDir';

jest.setTimeout(60_000);

describe('S3 datasets in the service', () => {
  const p = tempProject({ 'checks.yml': ['checks for orders:', '  - row_count = 2', '  - max(amount) < 100', 'checks for gone:', '  - row_count > 0', ''].join('\n') });
  let s3: S3TestServer;
  let exporter: RunningExporter | undefined;

  async function scan(dataset: string): Promise<CheckResult[]> {
    return (await scanRecord(dataset)).results;
  }

  async function scanRecord(dataset: string): Promise<{ results: CheckResult[]; reader?: S3Reader }> {
    const post = await fetch(`${exporter!.url}/api/v1/scans/${dataset}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(202);
    const { scanId } = (await post.json()) as { scanId: string };
    for (;;) {
      const r = (await (await fetch(`${exporter!.url}/api/v1/scans/${scanId}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { status: string; results?: CheckResult[]; reader?: S3Reader };
      if (r.status === 'done' && r.results) return { results: r.results, ...(r.reader ? { reader: r.reader } : {}) };
      if (r.status === 'failed') throw new Error(JSON.stringify(r));
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket('svc-lake');
    await s3.put('svc-lake', 'orders/a.csv', 'id,amount\n1,10\n');
    await s3.put('svc-lake', 'orders/b.csv', 'id,amount\n2,500\n');
    writeFileSync(
      p.path('datatrust.yml'),
      [
        'sources:',
        `  lake: { type: s3, endpoint: "${s3.endpoint}", mode: sdk, access_key_id: "\${K}", secret_access_key: "\${S}" }`,
        'datasets:',
        '  orders: { source: lake, file: "s3://svc-lake/orders/*.csv" }',
        '  gone: { source: lake, file: "s3://no-such-bucket/x/*.csv" }',
        'checks: [checks.yml]',
        'server: { scan_on_start: false }',
        'state: { path: state/state.duckdb }',
      ].join('\n'),
    );
    const project = loadProject(p.path('datatrust.yml'), { env: { K: S3RVER_CREDENTIALS.accessKeyId, S: S3RVER_CREDENTIALS.secretAccessKey } });
    expect(project.blocking).toEqual([]);
    exporter = await runExporter({ project, port: 0, host: '127.0.0.1', token: TOKEN });
  });
  afterAll(async () => {
    await exporter?.stop();
    await s3?.close();
    p.cleanup();
  });

  it('scans through the worker into the cache beside the state file', async () => {
    const results = await scan('orders');
    expect(results.map((r) => [r.definition, r.outcome, r.value])).toEqual([
      ['row_count = 2', 'pass', 2],
      ['max(amount) < 100', 'fail', 500],
    ]);
    expect(existsSync(p.path('state/s3-cache/lake/objects/svc-lake/orders/a.csv'))).toBe(true);
  });

  it('says which reader ran, in the stored scan and in the dataset API', async () => {
    const { reader } = await scanRecord('orders');
    // The first test's scan filled the cache: this one lists both objects and downloads neither.
    expect(reader).toEqual({ kind: 'sdk', objects: 2, downloaded: 0, downloadedBytes: 0, removed: 0, evicted: 0 });
    const { datasets } = (await (await fetch(`${exporter!.url}/api/v1/datasets`)).json()) as { datasets: { dataset: string; latest: { reader?: S3Reader } | null }[] };
    expect(datasets.find((d) => d.dataset === 'orders')?.latest?.reader).toEqual(reader);
  });

  it('a missing bucket comes back as errors on every check', async () => {
    const results = await scan('gone');
    expect(results).toEqual([expect.objectContaining({ outcome: 'error', error: expect.stringContaining('NoSuchBucket') })]);
  });
});
