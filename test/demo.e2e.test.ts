import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbExec } from '../exporter/src/testing/duckdbFile';
import { eventually } from '../exporter/src/testing/exporterFixture';
import { freePort } from '../exporter/src/testing/freePort';
import { type HttpReceiver, startHttpReceiver } from '../exporter/src/testing/httpReceiver';
import { CLI, runCli } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';

const REPO = join(__dirname, '..');

interface Event {
  type: string;
  dataset: string;
  blocked: string[];
}

/**
 * The acceptance story on the real demo: a planted defect opens its breaker, the gate
 * answers 423, a webhook receives exactly one incident message; fixing the data and rescanning
 * closes the breaker and sends exactly one resolve message.
 */
describe('the demo under `datatrust serve`', () => {
  let receiver: HttpReceiver;
  let child: ChildProcess;
  let url: string;
  let log = '';
  const token = 'e2e-token';
  const project = tempProject({});
  const events = () => receiver.requests.flatMap((r) => (JSON.parse(r.body) as { events: Event[] }).events);

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    const demo = project.path('demo.duckdb');
    expect((await runCli(['demo', '--output', demo, '--rows', '300000'])).code).toBe(0);
    const port = await freePort();
    // The repository's demo config and checks, plus a webhook channel for the test to watch.
    const config = [
      'sources: { warehouse: { type: duckdb, path: demo.duckdb } }',
      'datasets:',
      '  raw_transactions: { table: main.raw_transactions, critical: true }',
      '  users: { table: main.users }',
      '  accounts: { table: main.accounts, upstream: [users] }',
      '  cleaned_transactions: { table: main.cleaned_transactions, critical: true, upstream: [raw_transactions, users] }',
      '  aggregated_sales: { table: main.aggregated_sales, upstream: [cleaned_transactions] }',
      `checks: [${join(REPO, 'checks')}/*.yml]`,
      `server: { port: ${port} }`,
      'state: { path: state.duckdb }',
      `alerts: { group_window: 1s, channels: { hooks: { type: webhook, url: "${receiver.base}/hook" } } }`,
    ].join('\n');
    writeFileSync(project.path('datatrust.yml'), config);
    child = spawn(process.execPath, [CLI, 'serve', '-c', project.path('datatrust.yml')], { env: { ...process.env, DATATRUST_API_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/readyz`)).ok, 20_000, 100);
    // Start-up scans of all five datasets.
    await eventually(async () => {
      const r = (await (await fetch(`${url}/api/v1/breakers`)).json()) as { breakers: { lastScanAt?: string }[] };
      return r.breakers.every((b) => b.lastScanAt);
    }, 30_000, 100);
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await receiver.close();
    project.cleanup();
  });

  const gate = async (dataset: string) => {
    const r = await fetch(`${url}/api/v1/breakers/${dataset}`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('opens the breakers of the datasets with planted defects, and blocks what they feed', async () => {
    expect((await gate('raw_transactions')).status).toBe(423);
    expect((await gate('cleaned_transactions')).body).toMatchObject({ state: 'open', cause: 'check_failed' });
    expect((await gate('aggregated_sales')).body).toMatchObject({ state: 'open', ownState: 'open' });
    expect((await gate('users')).status).toBe(200);
    expect((await gate('accounts')).status).toBe(200);
  });

  it('makes `datatrust gate` wait and give up with exit 1 while the breaker stays open', async () => {
    const r = await runCli(['gate', 'raw_transactions', '--url', url, '--wait', '2s', '--interval', '1s']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('open');
    expect(r.stderr).toMatch(/raw_transactions/);
  });

  it('sends exactly one incident message for the NULL burst in raw_transactions, naming what it blocks', async () => {
    await eventually(() => events().some((e) => e.dataset === 'raw_transactions'), 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    const raw = events().filter((e) => e.dataset === 'raw_transactions');
    expect(raw.map((e) => e.type)).toEqual(['incident.opened']);
    expect(raw[0]!.blocked).toEqual(['cleaned_transactions', 'aggregated_sales']);
  });

  it('closes the breaker and sends exactly one resolve message once the data is fixed and rescanned', async () => {
    // The exporter holds the file only during scans; retry if a scan has it right now.
    await eventually(async () => {
      await duckdbExec(project.path('demo.duckdb'), ['UPDATE raw_transactions SET user_id = 1 WHERE user_id IS NULL']);
      return true;
    }, 10_000, 200);
    const posted = await fetch(`${url}/api/v1/scans/raw_transactions`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(posted.status).toBe(202);
    await eventually(async () => (await gate('raw_transactions')).status === 200, 20_000, 100);
    await eventually(() => events().filter((e) => e.dataset === 'raw_transactions').length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(events().filter((e) => e.dataset === 'raw_transactions').map((e) => e.type)).toEqual(['incident.opened', 'incident.resolved']);
    const passed = await runCli(['gate', 'raw_transactions', '--url', url, '--wait', '5s']);
    expect(passed).toMatchObject({ code: 0 });
    expect(passed.stdout.trim()).toBe('closed');
    // cleaned_transactions has defects of its own: still open, now on its own account only.
    expect((await gate('cleaned_transactions')).body).toMatchObject({ state: 'open', cause: 'check_failed' });
  });

  it('shuts down cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(log).toMatch(/SIGTERM: shutting down[\s\S]*stopped cleanly/);
  });
});
