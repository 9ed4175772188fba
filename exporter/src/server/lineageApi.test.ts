import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { duckdbExec } from '../testing/duckdbFile';
import { eventually, startTestExporter, TOKEN } from '../testing/exporterFixture';
import { marquezViolations } from '../testing/marquezOpenApi';
import type { RunningExporter } from './runExporter';

const LINEAGE_TOKEN = 'producer-token-with-enough-entropy';
const WH = 'duckdb://wh.duckdb';
const ds = (table: string) => ({ namespace: WH, name: `wh.main.${table}` });

let n = 0;
const runId = () => `0194f1b6-3c55-7d1e-9a7e-${String(++n).padStart(12, '0')}`;

function event(type: string, job: string, inputs: { namespace: string; name: string }[], outputs: { namespace: string; name: string }[], opts: { run?: string; time?: string } = {}) {
  return {
    eventType: type,
    eventTime: opts.time ?? new Date().toISOString(),
    run: { runId: opts.run ?? runId() },
    job: { namespace: 'etl', name: job },
    inputs,
    outputs,
    producer: 'https://example.com/pipeline',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

describe('lineage API: OpenLineage in, Marquez-compatible reads, gates along lineage', () => {
  let exporter: RunningExporter;
  let cleanup: () => Promise<void>;
  let warehouse: string;
  let url: string;

  const post = async (path: string, body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${LINEAGE_TOKEN}` }) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
  };
  const get = async (path: string) => {
    const res = await fetch(url + path);
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as Record<string, unknown> & { graph: { id: string; type: string; inEdges: unknown[]; outEdges: unknown[] }[] } };
  };
  const nodeIds = async (nodeId: string, direction: string, depth = 20) => (await get(`/api/v1/lineage?nodeId=${encodeURIComponent(nodeId)}&direction=${direction}&depth=${depth}`)).json.graph.map((g) => g.id).sort();

  beforeAll(async () => {
    const fx = await startTestExporter({
      datasets: ['raw: { table: main.raw, critical: true }', 'cleaned: { table: main.cleaned }'],
      extraConfig: ['lineage: { trigger_debounce: 1s }'],
      checks: ['checks for raw:', '  - row_count > 0', '  - invalid_count(amount) = 0:', '      valid min: 0', 'checks for cleaned:', '  - row_count > 0', ''].join('\n'),
      tables: ['CREATE TABLE raw AS SELECT range AS id, range + 1.0 AS amount FROM range(100)', 'CREATE TABLE cleaned AS SELECT * FROM raw', 'CREATE TABLE report AS SELECT 1 AS x'],
      lineageToken: LINEAGE_TOKEN,
    });
    ({ exporter, warehouse, cleanup } = fx);
    url = exporter.url;
  });
  afterAll(() => cleanup());

  describe('ingestion, as a drop-in for Marquez', () => {
    test('one event answers 201 with an empty body, like Marquez', async () => {
      const r = await post('/api/v1/lineage', event('START', 'ingest', [{ namespace: 'postgres://core:5432', name: 'core.public.extract' }], [ds('raw')]));
      expect(r).toMatchObject({ status: 201, text: '' });
    });

    test('every published example event ingests over HTTP, the 220 KB one included', async () => {
      const fixtures = join(__dirname, '..', 'lineage', 'fixtures');
      const files = [join(fixtures, 'marquez', 'open_lineage'), join(fixtures, 'openlineage')].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));
      expect(files.length).toBeGreaterThan(14);
      for (const f of files) expect([f, (await post('/api/v1/lineage', readFileSync(f, 'utf8'))).status]).toEqual([f, 201]);
    });

    test('a gzip-encoded body is accepted, as the clients send it with compression: gzip', async () => {
      const body = gzipSync(JSON.stringify(event('COMPLETE', 'gzipped', [], [ds('report')])));
      const r = await post('/api/v1/lineage', body, { Authorization: `Bearer ${LINEAGE_TOKEN}`, 'Content-Encoding': 'gzip' });
      expect(r.status).toBe(201);
      expect((await get('/api/v1/namespaces/etl/jobs/gzipped')).status).toBe(200);
    });

    test('an invalid event answers 400 naming the JSON path and the rule', async () => {
      const bad = { ...event('DONE', 'x', [], []), run: { runId: 'nope' } };
      const r = await post('/api/v1/lineage', bad);
      expect(r.status).toBe(400);
      expect(r.json.violations).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/eventType', rule: 'enum' }), expect.objectContaining({ path: '/run/runId', rule: 'format: uuid' })]));
    });

    test('malformed JSON, deep nesting and absurd names are clear 4xx and store nothing', async () => {
      expect((await post('/api/v1/lineage', '{"eventType": ')).json.error).toMatch(/not valid JSON/);
      expect((await post('/api/v1/lineage', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).json.error).toMatch(/nests 100000 levels deep/);
      const long = await post('/api/v1/lineage', event('START', 'x'.repeat(100_000), [], []));
      expect(long.status).toBe(400);
      expect(long.json.violations).toEqual([expect.objectContaining({ path: '/job/name', rule: 'maxLength' })]);
      expect((await get('/api/v1/search?q=xxxxxxxx')).json.totalCount).toBe(0);
    });

    test('a body over the limit answers 413 before it is stored', async () => {
      const r = await post('/api/v1/lineage', JSON.stringify({ ...event('START', 'big', [], []), pad: 'x'.repeat(6 * 1024 * 1024) }));
      expect(r.status).toBe(413);
      expect(r.json.error).toMatch(/larger than 5 MB/);
    });

    test('names with quotes, %2F and unicode are kept exactly and readable back', async () => {
      const odd = { namespace: 'weird ns', name: `it's "quoted" %2F ünïcødé/🕷` };
      expect((await post('/api/v1/lineage', event('COMPLETE', 'odd "job" 🕷', [], [odd]))).status).toBe(201);
      const r = await get(`/api/v1/namespaces/${encodeURIComponent(odd.namespace)}/datasets/${encodeURIComponent(odd.name)}`);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ name: odd.name, namespace: odd.namespace });
      expect(marquezViolations('Dataset', r.json)).toEqual([]);
    });

    test('a batch answers per event; one bad event does not reject the others', async () => {
      const good = event('COMPLETE', 'batched', [], [ds('report')]);
      const r = await post('/api/v1/lineage/batch', [good, { eventTime: 'later' }, good]);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ status: 'partial_success', summary: { received: 3, successful: 2, failed: 1, duplicate: 1 }, failed_events: [{ index: 1, retriable: false }] });
      expect((await post('/api/v1/lineage/batch', { not: 'an array' })).status).toBe(400);
    });

    test('a wrong token is 401; the producers’ token may only post lineage', async () => {
      expect((await post('/api/v1/lineage', event('START', 'x', [], []), { Authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post('/api/v1/lineage', event('START', 'x', [], []), {})).status).toBe(401);
      expect((await post('/api/v1/lineage', event('START', 'api-token', [], []), { Authorization: `Bearer ${TOKEN}` })).status).toBe(201);
      expect((await post('/api/v1/scans/raw', {}, { Authorization: `Bearer ${LINEAGE_TOKEN}` })).status).toBe(401);
    });

    test('events arriving twice and out of order give the same run, and duplicates are counted', async () => {
      const run = runId();
      const complete = event('COMPLETE', 'ooo', [ds('cleaned')], [ds('report')], { run, time: '2026-11-30T01:00:00.000000002Z' });
      const start = event('START', 'ooo', [ds('raw')], [], { run, time: '2026-11-30T01:00:00.000000001Z' });
      for (const e of [complete, start, complete]) expect((await post('/api/v1/lineage', e)).status).toBe(201);
      const runs = await get('/api/v1/namespaces/etl/jobs/ooo/runs');
      expect(runs.json.runs).toEqual([expect.objectContaining({ id: run, state: 'COMPLETED', startedAt: '2026-11-30T01:00:00.000Z' })]);
      expect(marquezViolations('RunList', runs.json)).toEqual([]);
      const job = (await get('/api/v1/namespaces/etl/jobs/ooo')).json as unknown as { inputs: { name: string }[] };
      expect(job.inputs.map((i) => i.name).sort()).toEqual(['wh.main.cleaned', 'wh.main.raw']);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/datatrust_lineage_events_total\{type="RunEvent",result="duplicate"\} [1-9]/);
      expect(metrics).toMatch(/datatrust_lineage_events_total\{type="RunEvent",result="rejected"\} [1-9]/);
    });
  });

  describe('the graph, breakers and gates along it', () => {
    beforeAll(async () => {
      // extract → ingest → raw → clean → cleaned → publish → report; raw → audit → audit_log (a sibling).
      for (const e of [
        event('COMPLETE', 'ingest', [{ namespace: 'postgres://core:5432', name: 'core.public.extract' }], [ds('raw')]),
        event('COMPLETE', 'clean', [ds('raw')], [ds('cleaned')]),
        event('COMPLETE', 'publish', [ds('cleaned')], [ds('report')]),
        event('COMPLETE', 'audit', [ds('raw')], [ds('audit_log')]),
      ])
        expect((await post('/api/v1/lineage', e)).status).toBe(201);
    });

    test('/api/v1/lineage answers Marquez’s shape, and direction leaves out what is not up- or downstream', async () => {
      const both = await get(`/api/v1/lineage?nodeId=${encodeURIComponent(`dataset:${WH}:wh.main.cleaned`)}`);
      expect(marquezViolations('LineageGraph', both.json)).toEqual([]);
      const ids = both.json.graph.map((g) => g.id);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toContain('job:etl:audit');
      expect(await nodeIds(`dataset:${WH}:wh.main.cleaned`, 'downstream')).toEqual([`dataset:${WH}:wh.main.cleaned`, `dataset:${WH}:wh.main.report`, 'job:etl:ooo', 'job:etl:publish']);
      const up = await nodeIds(`dataset:${WH}:wh.main.cleaned`, 'upstream');
      expect(up).toEqual(expect.arrayContaining([`dataset:${WH}:wh.main.raw`, 'dataset:postgres://core:5432:core.public.extract', 'job:etl:clean', 'job:etl:ingest']));
      expect(up).not.toContain('job:etl:audit');
    });

    test('node ids with :// and ports parse; unknown nodes are 404, bad ids 400', async () => {
      expect((await get(`/api/v1/lineage?nodeId=${encodeURIComponent('dataset:postgres://core:5432:core.public.extract')}&direction=downstream&depth=1`)).status).toBe(200);
      expect((await get(`/api/v1/lineage?nodeId=${encodeURIComponent('dataset:postgres://core:5432:nope')}`)).status).toBe(404);
      expect((await get('/api/v1/lineage?nodeId=garbage')).status).toBe(400);
    });

    test('an open breaker blocks every dataset and job downstream in lineage, with the path', async () => {
      await duckdbExec(warehouse, ['UPDATE raw SET amount = -1 WHERE id < 3']);
      const scan = await post('/api/v1/scans/raw', {}, { Authorization: `Bearer ${TOKEN}` });
      expect(scan.status).toBe(202);
      await eventually(async () => (await get(`/api/v1/scans/${String(scan.json.scanId)}`)).json.status === 'done');
      const cleaned = (await get('/api/v1/breakers/cleaned')).json;
      expect(cleaned).toMatchObject({ state: 'open', cause: 'upstream:raw', blockedBy: ['raw'], path: ['raw', 'cleaned'], via: ['etl/clean'] });
      const report = await get(`/api/v1/breakers/${encodeURIComponent(`${WH}/wh.main.report`)}`);
      // The shortest way: the `ooo` job reads raw itself.
      expect(report).toMatchObject({ status: 423, json: { cause: 'upstream:raw', path: ['raw', `${WH}/wh.main.report`], via: ['etl/ooo'] } });
      const job = await get('/api/v1/gates/jobs/etl/publish');
      expect(job).toMatchObject({ status: 423, json: { state: 'open', cause: 'upstream:raw', blockedBy: [{ dataset: 'raw', path: ['raw', 'cleaned'] }], inputs: [{ dataset: 'cleaned', state: 'open' }] } });
      expect((await get('/api/v1/gates/jobs/etl/ingest')).status).toBe(200);
      expect((await get('/api/v1/gates/jobs/etl/unknown')).status).toBe(404);
      const rc = await get(`/api/v1/breakers/${encodeURIComponent(`${WH}/wh.main.report`)}/root-cause`);
      expect(rc.json).toMatchObject({ state: 'open', causes: [{ dataset: 'raw', rootCause: true, cause: 'check_failed', path: ['raw', `${WH}/wh.main.report`] }] });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('datatrust_job_blocked{namespace="etl",pipeline="publish"} 1');
      expect(metrics).toContain('datatrust_job_blocked{namespace="etl",pipeline="ingest"} 0');
      expect(metrics).toContain('datatrust_lineage_edge_info{source_dataset="raw",target_dataset="cleaned",pipeline="clean"} 1');
      expect(metrics).toContain(`datatrust_dataset_checks{dataset="${WH}/wh.main.report"} 0`);
      // How dashboards join a configured name to its OpenLineage identity.
      expect(metrics).toContain(`datatrust_dataset_info{dataset="raw",namespace="${WH}",name="wh.main.raw"} 1`);
    });

    test('after a scan, the dataset carries one data quality assertion per check, and the scan job stays out of the graph', async () => {
      const raw = await eventually(async () => {
        const r = await get(`/api/v1/namespaces/${encodeURIComponent(WH)}/datasets/wh.main.raw`);
        return (r.json.facets as Record<string, unknown> | undefined)?.dataQualityAssertions ? r.json : undefined;
      });
      const assertions = (raw.facets as { dataQualityAssertions: { assertions: { name: string; success: boolean }[] } }).dataQualityAssertions.assertions;
      const latest = (await fetch(`${url}/api/v1/datasets`).then((x) => x.json())) as { datasets: { dataset: string; latest: { results: { name: string; outcome: string }[] } }[] };
      const results = latest.datasets.find((d) => d.dataset === 'raw')!.latest.results;
      expect(assertions.map((a) => [a.name, a.success])).toEqual(results.map((r) => [r.name, r.outcome === 'pass']));
      expect(assertions.some((a) => !a.success)).toBe(true);
      expect((await get('/api/v1/namespaces/datatrust/jobs/datatrust.scan.raw')).status).toBe(200);
      expect(await nodeIds(`dataset:${WH}:wh.main.raw`, 'both')).not.toContain('job:datatrust:datatrust.scan.raw');
    });

    test('a long-poll on a job gate is released when the fix closes it', async () => {
      await duckdbExec(warehouse, ['UPDATE raw SET amount = abs(amount)']);
      const waiting = get('/api/v1/gates/jobs/etl/publish?wait=20s');
      // A COMPLETE event for the job writing raw triggers the scan that closes the breaker.
      const t0 = Date.now();
      expect((await post('/api/v1/lineage', event('COMPLETE', 'ingest', [{ namespace: 'postgres://core:5432', name: 'core.public.extract' }], [ds('raw')]))).status).toBe(201);
      const r = await waiting;
      expect(r.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(15_000);
      const scans = await fetch(`${url}/api/v1/datasets`).then((x) => x.json() as Promise<{ datasets: { dataset: string; latest: { trigger: string; startedAt: string } | null }[] }>);
      expect(scans.datasets.find((d) => d.dataset === 'raw')!.latest!.trigger).toBe('lineage');
    });

    test('a dataset’s quality history is one call: per-day pass ratio, episodes, incidents and their resolution', async () => {
      const h = (await get('/api/v1/datasets/raw/history?since=7d')).json as unknown as { days: unknown[]; passRatio: number; incidents: { resolvedAt?: string; cause: string }[]; episodes: { check: string; resolvedAt?: string }[]; summary: string };
      expect(h.days).toHaveLength(8);
      expect(h.passRatio).toBeGreaterThan(0);
      expect(h.passRatio).toBeLessThan(1);
      expect(h.incidents).toEqual([expect.objectContaining({ cause: 'check_failed', resolvedAt: expect.any(String) })]);
      expect(h.episodes).toEqual([expect.objectContaining({ resolvedAt: expect.any(String) })]);
      expect(h.summary).toMatch(/^last 7 days \d+(\.\d+)?% pass; .* \(resolved\)$/);
      expect((await get('/api/v1/datasets/raw/history?since=soon')).status).toBe(400);
      expect((await get('/api/v1/datasets/nope/history')).status).toBe(404);
    });

    test('coverage ratios follow lineage and move when a job without checks appears', async () => {
      const ratio = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())![1]);
      expect(await ratio('datatrust_lineage_coverage_ratio')).toBe(1);
      const before = await ratio('datatrust_pipeline_coverage_ratio');
      expect((await post('/api/v1/lineage', event('COMPLETE', 'unchecked', [ds('report')], [ds('unchecked_out')]))).status).toBe(201);
      expect(await ratio('datatrust_pipeline_coverage_ratio')).toBeLessThan(before);
    });
  });

  describe('Marquez read API', () => {
    test.each([
      ['/api/v1/namespaces', 'NamespaceList'],
      ['/api/v1/namespaces/etl/jobs', 'JobList'],
      ['/api/v1/namespaces/etl/jobs/clean', 'Job'],
      [`/api/v1/namespaces/${encodeURIComponent(WH)}/datasets`, 'DatasetList'],
      [`/api/v1/namespaces/${encodeURIComponent(WH)}/datasets/wh.main.raw`, 'Dataset'],
      [`/api/v1/namespaces/${encodeURIComponent(WH)}/datasets/wh.main.raw/versions`, 'DatasetVersionList'],
      ['/api/v1/events/lineage?limit=5', 'LineageEventList'],
      ['/api/v1/search?q=clean', 'SearchResultList'],
    ])('%s validates against Marquez’s OpenAPI %s', async (path, component) => {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(marquezViolations(component, r.json)).toEqual([]);
    });

    test('unknown namespaces, datasets and jobs are 404', async () => {
      expect((await get('/api/v1/namespaces/nope')).status).toBe(404);
      expect((await get('/api/v1/namespaces/etl/jobs/nope')).status).toBe(404);
      expect((await get(`/api/v1/namespaces/${encodeURIComponent(WH)}/datasets/nope`)).status).toBe(404);
    });

    test('events come back as sent, newest first', async () => {
      const r = await get('/api/v1/events/lineage?limit=1');
      expect((r.json.events as { producer: string }[])[0]!.producer).toBe('https://example.com/pipeline');
      expect(Number(r.json.totalCount)).toBeGreaterThan(5);
    });
  });
});
