import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/loadConfig';
import type { Config } from '../config/types';
import type { JobEvent, RunEvent } from '../openlineage/types';
import { validateEvent } from '../openlineage/validateEvent';
import { JobBlockedError } from '../pipeline/jobGateCheck';
import { closedJobGate, type FakeLineageExporter, openJobGate, startFakeLineageExporter } from '../testing/fakeLineageExporter';
import { tempProject } from '../testing/tempDir';
import { CORE_BANKING_EXTRACT, demoJobs, runDemoPipeline } from './demoPipeline';
import { generateDemo } from './generateDemo';
import { todaysSettlements } from './settlementHistory';

const REPO = join(__dirname, '../../..');
const ROWS = 2000;
const WAREHOUSE = 'duckdb://data/demo.duckdb';
const NOW = new Date('2026-11-26T10:00:00Z');

/** What a recorded event says, in one line: `JOB demo.clean`, `START demo.clean`. */
const summary = (e: unknown) => ('run' in (e as object) ? `${(e as RunEvent).eventType} ${(e as RunEvent).job.name}` : `JOB ${(e as JobEvent).job.name}`);

describe('the demo pipeline', () => {
  const project = tempProject({});
  let config: Config;
  let ex: FakeLineageExporter;
  const info: string[] = [];
  const logger = { warn: (m: string) => info.push(`WARN ${m}`), info: (m: string) => info.push(m) };

  beforeAll(async () => {
    copyFileSync(join(REPO, 'datatrust.yml'), project.path('datatrust.yml'));
    await generateDemo({ output: project.path('data/demo.duckdb'), rows: ROWS, now: NOW });
    config = loadConfig(project.path('datatrust.yml'), {}).config;
  });
  afterAll(() => project.cleanup());
  beforeEach(async () => {
    ex = await startFakeLineageExporter({ token: 'demo-tok' });
    info.length = 0;
  });
  afterEach(() => ex.close());

  it('names its datasets as datatrust.yml resolves them, sales_report included', () => {
    const jobs = demoJobs(config);
    expect(jobs.map((j) => [j.job.name, j.inputs.map((d) => d.name), j.outputs.map((o) => o.identity.name)])).toEqual([
      ['demo.ingest', ['core.public.transactions_extract'], ['demo.main.raw_transactions', 'demo.main.users', 'demo.main.accounts', 'demo.main.card_settlements']],
      ['demo.clean', ['demo.main.raw_transactions', 'demo.main.users'], ['demo.main.cleaned_transactions']],
      ['demo.aggregate', ['demo.main.cleaned_transactions'], ['demo.main.aggregated_sales']],
      ['demo.report', ['demo.main.aggregated_sales'], ['demo.main.sales_report']],
    ]);
    expect(jobs[0]!.inputs[0]).toEqual(CORE_BANKING_EXTRACT);
    expect(new Set(jobs.flatMap((j) => j.outputs.map((o) => o.identity.namespace)))).toEqual(new Set([WAREHOUSE]));
    expect(jobs.every((j) => j.job.namespace === 'demo')).toBe(true);
  });

  it('registers the four jobs first, then runs them in order behind their gates, with row counts', async () => {
    const r = await runDemoPipeline({ config, url: ex.base, token: 'demo-tok', logger });
    expect(r).toEqual({ registered: ['demo.ingest', 'demo.clean', 'demo.aggregate', 'demo.report'], completed: ['demo.ingest', 'demo.clean', 'demo.aggregate', 'demo.report'] });
    expect(ex.accepted.map(summary)).toEqual([
      'JOB demo.ingest', 'JOB demo.clean', 'JOB demo.aggregate', 'JOB demo.report',
      'START demo.ingest', 'COMPLETE demo.ingest',
      'START demo.clean', 'COMPLETE demo.clean',
      'START demo.aggregate', 'COMPLETE demo.aggregate',
      'START demo.report', 'COMPLETE demo.report',
    ]);
    for (const e of ex.accepted) expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
    // Every job but ingest (whose input is outside the warehouse) asks its gate before it starts.
    expect(ex.requests.filter((q) => q.method === 'GET').map((q) => q.url)).toEqual(['/api/v1/gates/jobs/demo/demo.clean', '/api/v1/gates/jobs/demo/demo.aggregate', '/api/v1/gates/jobs/demo/demo.report']);
    const ingest = ex.accepted[5] as RunEvent;
    expect(ingest.outputs!.map((o) => [o.name, (o.outputFacets?.outputStatistics as { rowCount: number }).rowCount])).toEqual([
      ['demo.main.raw_transactions', ROWS],
      ['demo.main.users', 20_000],
      ['demo.main.accounts', 30_000],
      ['demo.main.card_settlements', todaysSettlements(NOW)],
    ]);
    const report = ex.accepted[11] as RunEvent;
    expect(report.outputs).toEqual([{ namespace: WAREHOUSE, name: 'demo.main.sales_report', outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 6 }) } }]);
    expect(info.at(-1)).toBe('demo pipeline: demo.report done (sales_report 6 rows)');
  });

  it('stops at the first blocked job, says which and why, and runs nothing after it', async () => {
    ex.setGate(openJobGate('demo', 'demo.aggregate'));
    const r = await runDemoPipeline({ config, url: ex.base, token: 'demo-tok', logger });
    expect(r.completed).toEqual(['demo.ingest', 'demo.clean']);
    expect(r.stopped).toMatchObject({ job: 'demo.aggregate', reason: 'blocked', message: 'job demo/demo.aggregate did not run: its gate is OPEN: blocked by raw_transactions → demo/demo.clean → cleaned_transactions' });
    expect(r.stopped!.error).toBeInstanceOf(JobBlockedError);
    expect(ex.accepted.map(summary).slice(4)).toEqual(['START demo.ingest', 'COMPLETE demo.ingest', 'START demo.clean', 'COMPLETE demo.clean']);
    expect(info.at(-1)).toBe(`demo pipeline: stopped at demo.aggregate (blocked): ${r.stopped!.message}; not run: demo.report`);
  });

  it('lets a job wait for its gate with `wait`, then goes on', async () => {
    ex.setGate(openJobGate('demo', 'demo.clean'));
    setTimeout(() => ex.setGate(closedJobGate('demo', 'demo.clean')), 800);
    const r = await runDemoPipeline({ config, url: ex.base, token: 'demo-tok', logger, wait: '30s', interval: '10s' });
    expect(r.stopped).toBeUndefined();
    expect(r.completed).toHaveLength(4);
    expect(ex.requests.some((q) => q.url === '/api/v1/gates/jobs/demo/demo.clean?wait=10s')).toBe(true);
  });

  it('reads the warehouse read-only, so it runs while another process holds it open read-only (as `datatrust serve` does)', async () => {
    const script = `const { DuckDBInstance } = require('@duckdb/node-api');
      DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' }).then(async (db) => { await db.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000); });`;
    const holder: ChildProcess = spawn(process.execPath, ['-e', script, project.path('data/demo.duckdb')], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`the read-only holder exited with ${code}`)));
      });
      const r = await runDemoPipeline({ config, url: ex.base, token: 'demo-tok', logger });
      expect(r.stopped).toBeUndefined();
      expect(r.completed).toHaveLength(4);
    } finally {
      holder.kill();
    }
  }, 60_000);
});
