import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../config/loadProject';
import { JobBlockedError } from '../pipeline/jobGateCheck';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { TOKEN } from '../testing/exporterFixture';
import { runCli } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';
import { runDemoPipeline } from './demoPipeline';
import { generateDemo } from './generateDemo';

const REPO = join(__dirname, '../../..');
const LINEAGE_TOKEN = 'demo-producer-token-with-enough-entropy';

/**
 * The demo pipeline against the real exporter (ingestion, lineage store, triggered scans, job
 * gates), on the repository's own datatrust.yml and checks: the contract the stand-in plays.
 */
describe('the demo pipeline against the exporter', () => {
  const project = tempProject({});
  let exporter: RunningExporter;

  beforeAll(async () => {
    mkdirSync(project.path('checks'));
    for (const f of readdirSync(join(REPO, 'checks'))) copyFileSync(join(REPO, 'checks', f), project.path(join('checks', f)));
    // The demo's alerts are JSON lines on stdout; here they go to a file, away from jest's output.
    const config = readFileSync(join(REPO, 'datatrust.yml'), 'utf8');
    if (!/^ {6}type: log$/m.test(config)) throw new Error('datatrust.yml no longer has the `log` alert channel this test redirects');
    writeFileSync(project.path('datatrust.yml'), config.replace(/^ {6}type: log$/m, '      type: log\n      path: alerts.jsonl'));
    // 2,000 rows: raw_transactions passes its checks; cleaned_transactions still fails (orphans, `currency`).
    await generateDemo({ output: project.path('data/demo.duckdb'), rows: 2000 });
    exporter = await runExporter({ project: loadProject(project.path('datatrust.yml'), { env: {} }), port: 0, host: '127.0.0.1', token: TOKEN, lineageToken: LINEAGE_TOKEN });
  });
  afterAll(async () => {
    await exporter?.stop();
    project.cleanup();
  });

  it('runs ingest and clean, then stops at aggregate, whose input cleaned_transactions has an open breaker', async () => {
    const lines: string[] = [];
    const r = await runDemoPipeline({
      config: loadProject(project.path('datatrust.yml'), { env: {} }).config,
      url: exporter.url,
      token: LINEAGE_TOKEN,
      wait: '20s',
      interval: '1s',
      logger: { warn: (m) => lines.push(`WARN ${m}`), info: (m) => lines.push(m) },
    });
    expect(lines.filter((l) => l.startsWith('WARN'))).toEqual([]);
    expect(r.registered).toEqual(['demo.ingest', 'demo.clean', 'demo.aggregate', 'demo.report']);
    expect(r.completed).toEqual(['demo.ingest', 'demo.clean']);
    expect(r.stopped).toMatchObject({ job: 'demo.aggregate', reason: 'blocked' });
    const blocked = r.stopped!.error as JobBlockedError;
    expect(blocked).toBeInstanceOf(JobBlockedError);
    expect(blocked.gate).toMatchObject({ namespace: 'demo', job: 'demo.aggregate', state: 'open', cause: 'upstream:cleaned_transactions' });
    expect(blocked.blockedBy[0]).toMatchObject({ dataset: 'cleaned_transactions', path: ['cleaned_transactions'] });

    // The exporter knows the graph from lineage: report's gate is blocked through aggregated_sales.
    const report = await fetch(`${exporter.url}/api/v1/gates/jobs/demo/demo.report`);
    expect(report.status).toBe(423);
    expect(await report.json()).toMatchObject({ cause: 'upstream:cleaned_transactions' });
  }, 120_000);

  it('runs as a CI step with `datatrust demo --pipeline <url>`: exit 1 when a gate stops it', async () => {
    const r = await runCli(['demo', '--output', project.path('data/demo.duckdb'), '--rows', '2000', '--pipeline', exporter.url, '--wait', '0s', '-c', project.path('datatrust.yml')], { env: { DATATRUST_LINEAGE_TOKEN: LINEAGE_TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/demo pipeline: stopped at demo\.aggregate \(blocked\): job demo\/demo\.aggregate did not run: its gate is OPEN: blocked by cleaned_transactions/);
  }, 60_000);

  it('says what is wrong with a URL it cannot reach: exit 2', async () => {
    const r = await runCli(['demo', '--output', project.path('data/demo.duckdb'), '--rows', '2000', '--pipeline', 'http://127.0.0.1:9', '--wait', '0s', '-c', project.path('datatrust.yml')]);
    expect(r.code).toBe(2);
  }, 60_000);
});
