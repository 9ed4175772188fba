import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateEvent } from '../openlineage/validateEvent';
import type { RunEvent } from '../openlineage/types';
import { closedJobGate, type FakeLineageExporter, openJobGate, startFakeLineageExporter } from '../testing/fakeLineageExporter';
import { freePort } from '../testing/freePort';
import { JobBlockedError, JobGateUnavailableError } from './jobGateCheck';
import { LineageOptionsError } from './refs';
import { registerJob, withLineage, type WithLineageOptions } from './withLineage';

const RAW = 'duckdb://data/demo.duckdb:demo.main.raw_transactions';
const CLEANED = { namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.cleaned_transactions' };

function recordingLogger() {
  const warnings: string[] = [];
  const info: string[] = [];
  return { warnings, info, logger: { warn: (m: string) => warnings.push(m), info: (m: string) => info.push(m) } };
}

/** Every event must pass the official schemas, facets included. */
function expectValid(events: unknown[]): void {
  for (const e of events) expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
}

describe('withLineage against a lineage stand-in on loopback', () => {
  let ex: FakeLineageExporter;
  beforeEach(async () => {
    ex = await startFakeLineageExporter({ token: 'lineage-tok' });
  });
  afterEach(() => ex.close());

  const quiet = { warn: () => undefined, info: () => undefined };
  const base = (over: Partial<WithLineageOptions> = {}): WithLineageOptions => ({ job: 'demo/demo.clean', inputs: [RAW], outputs: [CLEANED], url: ex.base, token: 'lineage-tok', logger: quiet, ...over });

  it('emits START, runs the function, emits COMPLETE and returns its result; both events are valid OpenLineage', async () => {
    const log = recordingLogger();
    let seenRunId = '';
    const result = await withLineage(base({ logger: log.logger }), async (run) => {
      seenRunId = run.runId;
      expect(ex.accepted.map((e) => (e as RunEvent).eventType)).toEqual(['START']);
      return 42;
    });
    expect(result).toBe(42);
    expect(log.warnings).toEqual([]);
    const [start, complete] = ex.accepted as RunEvent[];
    expect(ex.accepted.map((e) => (e as RunEvent).eventType)).toEqual(['START', 'COMPLETE']);
    expectValid(ex.accepted);
    // A UUID v7, the same on both events.
    expect(seenRunId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(start!.run.runId).toBe(seenRunId);
    expect(complete!.run.runId).toBe(seenRunId);
    expect(start!.job).toEqual({ namespace: 'demo', name: 'demo.clean' });
    expect(start!.inputs).toEqual([{ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.raw_transactions' }]);
    expect(complete!.outputs).toEqual([CLEANED]);
    expect(Date.parse(complete!.eventTime)).toBeGreaterThan(Date.parse(start!.eventTime));
    for (const r of ex.requests) {
      expect(r.url).toBe('/api/v1/lineage');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe('Bearer lineage-tok');
    }
  });

  it('reports output statistics and datasets added during the run with COMPLETE', async () => {
    await withLineage(base({ runId: '0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f' }), (run) => {
      run.addInput('duckdb://data/demo.duckdb:demo.main.users');
      run.outputStatistics(CLEANED, { rowCount: 299_600n, size: 1_048_576 });
      run.addOutput('s3://bank-lake:exports/cleaned.parquet', { rowCount: 10, fileCount: 1 });
    });
    const complete = ex.accepted[1] as RunEvent;
    expectValid(ex.accepted);
    expect(complete.run.runId).toBe('0190b3c2-7a6e-7c1d-9f00-3a2b1c0d9e8f');
    expect(complete.inputs!.map((d) => d.name)).toEqual(['demo.main.raw_transactions', 'demo.main.users']);
    expect(complete.outputs).toEqual([
      { ...CLEANED, outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 299_600, size: 1_048_576, _schemaURL: expect.stringContaining('OutputStatisticsOutputDatasetFacet.json') }) } },
      { namespace: 's3://bank-lake', name: 'exports/cleaned.parquet', outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 10, fileCount: 1 }) } },
    ]);
  });

  it('emits FAIL with the errorMessage facet and rethrows the function’s own error', async () => {
    const boom = new RangeError('amount out of range in row 17');
    await expect(withLineage(base(), () => Promise.reject(boom))).rejects.toBe(boom);
    expect(ex.accepted.map((e) => (e as RunEvent).eventType)).toEqual(['START', 'FAIL']);
    expectValid(ex.accepted);
    const fail = ex.accepted[1] as RunEvent;
    expect(fail.run.facets!.errorMessage).toMatchObject({ message: 'amount out of range in row 17', programmingLanguage: 'JavaScript', stackTrace: expect.stringContaining('RangeError: amount out of range') });
    expect(fail.outputs).toEqual([CLEANED]);
  });

  it('does not run the function when the job gate is open, and names the blocking dataset and the path', async () => {
    ex.setGate(openJobGate('demo', 'demo.clean'));
    const fn = jest.fn();
    const err = await withLineage(base({ gate: true }), fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(err).toBeInstanceOf(JobBlockedError);
    const blocked = err as JobBlockedError;
    expect(blocked.message).toBe('job demo/demo.clean did not run: its gate is OPEN: blocked by raw_transactions → demo/demo.clean → cleaned_transactions');
    expect(blocked.blockedBy).toEqual([{ dataset: 'raw_transactions', path: ['raw_transactions', 'cleaned_transactions'], via: ['demo/demo.clean'] }]);
    expect(blocked.job).toEqual({ namespace: 'demo', name: 'demo.clean' });
    expect(ex.accepted).toEqual([]);
    expect(ex.requests.map((r) => r.url)).toEqual(['/api/v1/gates/jobs/demo/demo.clean']);
  });

  it('waits for the gate with gate.wait, long-polling, and runs once it closes', async () => {
    ex.setGate(openJobGate('demo', 'demo.clean'));
    setTimeout(() => ex.setGate(closedJobGate('demo', 'demo.clean')), 600);
    const log = recordingLogger();
    const fn = jest.fn(() => 'ran');
    expect(await withLineage(base({ gate: { wait: '20s', interval: '5s' }, logger: log.logger }), fn)).toBe('ran');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ex.requests.slice(0, 2).map((r) => r.url)).toEqual(['/api/v1/gates/jobs/demo/demo.clean', '/api/v1/gates/jobs/demo/demo.clean?wait=5s']);
    expect(log.info[0]).toMatch(/^gate: job demo\/demo\.clean is OPEN \(blocked by raw_transactions → demo\/demo\.clean → cleaned_transactions\) — waiting, (20|19)s left$/);
    expect(log.info.at(-1)).toBe('gate: job demo/demo.clean is CLOSED (1 input closed) — proceeding');
  });

  it('stops waiting at once when gate.signal aborts, and does not run the job', async () => {
    ex.setGate(openJobGate('demo', 'demo.clean'));
    const fn = jest.fn();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t = Date.now();
    await expect(withLineage(base({ gate: { wait: '60s', interval: '5s', signal: ac.signal } }), fn)).rejects.toThrow(/its gate could not be checked \(the wait was cancelled\)/);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('gives up with JobBlockedError when the gate stays open past gate.wait', async () => {
    ex.setGate(openJobGate('demo', 'demo.clean'));
    const fn = jest.fn();
    await expect(withLineage(base({ gate: { wait: '1s', interval: '0.5s' } }), fn)).rejects.toThrow(/did not run: its gate is OPEN after waiting 1s: blocked by raw_transactions/);
    expect(fn).not.toHaveBeenCalled();
  });

  it('registers a job the exporter has never seen (JobEvent with its declared lineage), then asks its gate again', async () => {
    const fn = jest.fn();
    await withLineage(base({ gate: true }), fn);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ex.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/gates/jobs/demo/demo.clean',
      'POST /api/v1/lineage',
      'GET /api/v1/gates/jobs/demo/demo.clean',
      'POST /api/v1/lineage',
      'POST /api/v1/lineage',
    ]);
    const jobEvent = ex.accepted[0]!;
    expect('run' in jobEvent).toBe(false);
    expect(jobEvent).toMatchObject({ job: { namespace: 'demo', name: 'demo.clean' }, inputs: [{ name: 'demo.main.raw_transactions' }], outputs: [CLEANED] });
    expectValid(ex.accepted);
  });

  it('runs the function and returns its result when the lineage POSTs are refused with a wrong token, with a warning', async () => {
    const log = recordingLogger();
    const fn = jest.fn(() => 'done');
    expect(await withLineage(base({ token: 'wrong', logger: log.logger }), fn)).toBe('done');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ex.accepted).toEqual([]);
    expect(log.warnings).toHaveLength(2);
    expect(log.warnings[0]).toMatch(/^lineage: could not report START of job demo\/demo\.clean, run [0-9a-f-]{36} \(HTTP 401: wrong or missing bearer token; check the token \(DATATRUST_LINEAGE_TOKEN, DATATRUST_API_TOKEN or OPENLINEAGE_API_KEY\)\); the pipeline goes on without it$/);
    expect(log.warnings[1]).toMatch(/could not report COMPLETE/);
  });

  it('warns with the violations when the exporter rejects an event (400), and goes on', async () => {
    ex.rejectNext(1, 400, JSON.stringify({ error: 'invalid OpenLineage event', violations: [{ path: '/run/runId', rule: 'format: uuid', message: 'bad' }] }));
    const log = recordingLogger();
    await withLineage(base({ logger: log.logger }), () => undefined);
    expect(log.warnings).toEqual([expect.stringContaining('(HTTP 400: invalid OpenLineage event: /run/runId format: uuid)')]);
    expect(ex.accepted.map((e) => (e as RunEvent).eventType)).toEqual(['COMPLETE']);
  });

  it('throws a LineageOptionsError for a malformed job, dataset, runId or custom facet before any request', async () => {
    const fn = jest.fn();
    await expect(withLineage(base({ job: 'no-namespace' }), fn)).rejects.toThrow(new LineageOptionsError('job must be NAMESPACE/NAME (e.g. demo/demo.clean), got "no-namespace"'));
    await expect(withLineage(base({ inputs: ['raw_transactions'] }), fn)).rejects.toThrow(/input must be NAMESPACE:NAME/);
    await expect(withLineage(base({ runId: 'run-1' }), fn)).rejects.toThrow(/runId must be a UUID/);
    await expect(withLineage(base({ runFacets: { myTeam: { owner: 'risk' } } }), fn)).rejects.toThrow(/runFacets\.myTeam is not a facet the OpenLineage spec defines .* needs `_schemaURL`/);
    await expect(withLineage(base({ gate: { wait: 'soon' } }), fn)).rejects.toThrow(/gate\.wait: expected a duration/);
    expect(fn).not.toHaveBeenCalled();
    expect(ex.requests).toEqual([]);
  });

  it('completes facets the spec defines with their _schemaURL and keeps custom ones that bring theirs', async () => {
    await withLineage(
      base({
        jobFacets: { sourceCodeLocation: { type: 'git', url: 'https://github.com/bank/pipelines', path: 'clean.ts' } },
        runFacets: { myTeam: { _schemaURL: 'https://bank.example/schemas/MyTeamRunFacet.json', owner: 'risk' } },
      }),
      () => undefined,
    );
    expectValid(ex.accepted);
    const start = ex.accepted[0] as RunEvent;
    expect(start.job.facets!.sourceCodeLocation).toMatchObject({ _schemaURL: expect.stringMatching(/SourceCodeLocationJobFacet\.json#\/\$defs\/SourceCodeLocationJobFacet$/), _producer: expect.any(String) });
    expect(start.run.facets!.myTeam).toMatchObject({ owner: 'risk', _schemaURL: 'https://bank.example/schemas/MyTeamRunFacet.json' });
  });

  it('registerJob posts a valid JobEvent and reports whether it was taken', async () => {
    expect(await registerJob({ job: { namespace: 'demo', name: 'demo.report' }, inputs: [RAW], outputs: [], url: ex.base, token: 'lineage-tok' })).toBe(true);
    expectValid(ex.accepted);
    expect(await registerJob({ job: 'demo/demo.report', url: ex.base, token: 'nope', logger: { warn: () => undefined } })).toBe(false);
  });
});

describe('withLineage when the exporter is not there', () => {
  it('runs the function and returns its result when nothing listens, warning once per event', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const log = recordingLogger();
    const fn = jest.fn(async () => ({ rows: 3 }));
    expect(await withLineage({ job: 'demo/demo.clean', outputs: [CLEANED], url, logger: log.logger }, fn)).toEqual({ rows: 3 });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(log.warnings).toEqual([expect.stringMatching(/could not report START .*ECONNREFUSED/), expect.stringMatching(/could not report COMPLETE .*ECONNREFUSED/)]);
  });

  it('still rethrows the function’s error (and only it) when FAIL cannot be reported', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const boom = new Error('disk full');
    await expect(withLineage({ job: 'demo/demo.clean', url, logger: { warn: () => undefined } }, () => Promise.reject(boom))).rejects.toBe(boom);
  });

  describe('an exporter that accepts connections but never answers', () => {
    let silent: Server;
    let url: string;
    beforeAll(async () => {
      silent = createServer(() => undefined);
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    });

    it('costs at most timeoutMs per event', async () => {
      const log = recordingLogger();
      const started = Date.now();
      expect(await withLineage({ job: 'demo/demo.clean', url, timeoutMs: 300, logger: log.logger }, () => 'ok')).toBe('ok');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(log.warnings).toEqual([expect.stringContaining('(no answer within 0.3s)'), expect.stringContaining('(no answer within 0.3s)')]);
    });
  });

  it('fails closed by default when the gate cannot be asked, as `datatrust gate` does', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const fn = jest.fn();
    const err = await withLineage({ job: 'demo/demo.clean', url, gate: true, logger: { warn: () => undefined, info: () => undefined } }, fn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobGateUnavailableError);
    expect((err as Error).message).toMatch(/^job demo\/demo\.clean did not run: its gate could not be checked \(.*ECONNREFUSED.*; failing closed, set gate\.onUnreachable to 'open' to run anyway\)$/);
    expect(fn).not.toHaveBeenCalled();
  });

  it("runs with a warning when the gate cannot be asked and gate.onUnreachable is 'open'", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const log = recordingLogger();
    expect(await withLineage({ job: 'demo/demo.clean', url, gate: { onUnreachable: 'open' }, logger: log.logger }, () => 'ran')).toBe('ran');
    expect(log.warnings[0]).toMatch(/^the gate of job demo\/demo\.clean could not be checked \(.*ECONNREFUSED.*\); onUnreachable 'open': running it WITHOUT a data quality check of its inputs$/);
  });
});
