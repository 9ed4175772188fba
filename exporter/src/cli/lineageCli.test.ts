import type { RunEvent } from '../openlineage/types';
import { validateEvent } from '../openlineage/validateEvent';
import { type FakeLineageExporter, startFakeLineageExporter } from '../testing/fakeLineageExporter';
import { freePort } from '../testing/freePort';
import { runCli } from '../testing/runCli';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** No exporter settings leak in from the developer's shell. */
const CLEAN_ENV = { DATATRUST_URL: '', OPENLINEAGE_URL: '', DATATRUST_LINEAGE_TOKEN: '', DATATRUST_API_TOKEN: '', OPENLINEAGE_API_KEY: '' };

/** `datatrust lineage` as a shell pipeline runs it: the built CLI in its own process. */
describe('datatrust lineage (built CLI)', () => {
  let ex: FakeLineageExporter | undefined;
  afterEach(async () => {
    await ex?.close();
    ex = undefined;
  });

  it('reports start, then complete with the printed run id; every event is valid OpenLineage', async () => {
    ex = await startFakeLineageExporter({ token: 'producer-tok' });
    const env = { ...CLEAN_ENV, OPENLINEAGE_URL: ex.base, DATATRUST_LINEAGE_TOKEN: 'producer-tok', DATATRUST_API_TOKEN: 'not-this-one' };
    const io = ['--job', 'demo/demo.ingest', '--input', 'postgres://core-banking:5432:core.public.transactions_extract', '--output', 'duckdb://data/demo.duckdb:demo.main.raw_transactions'];
    const start = await runCli(['lineage', 'start', ...io], { env });
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const runId = start.stdout.trim();
    expect(runId).toMatch(UUID);
    expect(start.stderr).toBe(`lineage: reported START of job demo/demo.ingest, run ${runId}\n`);
    const complete = await runCli(['lineage', 'complete', ...io, '--run-id', runId], { env });
    expect(complete.code).toBe(0);
    expect(complete.stdout).toBe('');

    expect(ex.accepted.map((e) => (e as RunEvent).eventType)).toEqual(['START', 'COMPLETE']);
    for (const e of ex.accepted) expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
    const [s, c] = ex.accepted as RunEvent[];
    expect(c!.run.runId).toBe(runId);
    expect(s!.inputs).toEqual([{ namespace: 'postgres://core-banking:5432', name: 'core.public.transactions_extract' }]);
    expect(c!.outputs).toEqual([{ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.raw_transactions' }]);
  });

  it('registers a job with its inputs and outputs (a JobEvent), printing nothing on stdout', async () => {
    ex = await startFakeLineageExporter();
    const r = await runCli(['lineage', 'register', '--job', 'demo/demo.report', '--input', 'duckdb://data/demo.duckdb:demo.main.aggregated_sales', '--output', 'duckdb://data/demo.duckdb:demo.main.sales_report', '--url', ex.base], { env: CLEAN_ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('lineage: reported the lineage of job demo/demo.report (JobEvent)\n');
    expect(ex.accepted).toHaveLength(1);
    expect(validateEvent(ex.accepted[0], { strictFacets: true })).toMatchObject({ kind: 'job', errors: [] });
    expect(ex.accepted[0]).toMatchObject({ job: { namespace: 'demo', name: 'demo.report' }, inputs: [{ name: 'demo.main.aggregated_sales' }], outputs: [{ name: 'demo.main.sales_report' }] });
  });

  it('reports fail with the message as the errorMessage facet', async () => {
    ex = await startFakeLineageExporter();
    const runId = '0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f';
    const r = await runCli(['lineage', 'fail', '--job', 'demo/demo.clean', '--run-id', runId, '--message', 'dbt exited 1', '--url', ex.base], { env: CLEAN_ENV });
    expect(r.code).toBe(0);
    const fail = ex.accepted[0] as RunEvent;
    expect(validateEvent(fail, { strictFacets: true }).errors).toEqual([]);
    expect(fail).toMatchObject({ eventType: 'FAIL', run: { runId, facets: { errorMessage: { message: 'dbt exited 1', programmingLanguage: 'shell' } } } });
  });

  it('prints a run id and exits 0 with a warning when the exporter is unreachable; --strict exits 1', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await runCli(['lineage', 'start', '--job', 'demo/demo.ingest', '--url', url], { env: CLEAN_ENV });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(UUID);
    expect(r.stderr).toMatch(/^lineage: WARNING: could not report START of job demo\/demo\.ingest, run [0-9a-f-]{36} \(.*ECONNREFUSED.*\); the pipeline goes on \(--strict makes this exit 1\)\n$/);
    const strict = await runCli(['lineage', 'complete', '--job', 'demo/demo.ingest', '--run-id', r.stdout.trim(), '--url', url, '--strict'], { env: CLEAN_ENV });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^lineage: could not report COMPLETE .*ECONNREFUSED/);
  });

  it.each([
    ['no --job', ['lineage', 'start'], /required option '--job <NAMESPACE\/NAME>' not specified/],
    ['a job without a namespace', ['lineage', 'start', '--job', 'ingest'], /--job must be NAMESPACE\/NAME \(e\.g\. demo\/demo\.clean\), got "ingest"/],
    ['a dataset without a namespace', ['lineage', 'start', '--job', 'demo/x', '--input', 'raw_transactions'], /--input must be NAMESPACE:NAME/],
    ['complete without --run-id', ['lineage', 'complete', '--job', 'demo/x'], /required option '--run-id <uuid>' not specified/],
    ['a run id that is not a UUID', ['lineage', 'fail', '--job', 'demo/x', '--run-id', '42'], /'--run-id <uuid>' argument '42' is invalid\. must be a UUID/],
    ['--run-id on register', ['lineage', 'register', '--job', 'demo/x', '--run-id', '0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f'], /unknown option '--run-id'/],
    ['--message outside fail', ['lineage', 'complete', '--job', 'demo/x', '--run-id', '0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f', '--message', 'x'], /unknown option '--message'/],
    ['an unknown action', ['lineage', 'finish'], /unknown command 'finish'/],
    ['a non-http --url', ['lineage', 'start', '--job', 'demo/x', '--url', 'ftp://x'], /expected an http\(s\) URL/],
  ])('exits 2 on a usage error: %s', async (_label, argv, message) => {
    const r = await runCli(argv, { env: CLEAN_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
