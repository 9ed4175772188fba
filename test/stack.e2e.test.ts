/**
 * The real monitoring stack, end to end: the exporter serving the demo, a real Prometheus
 * scraping it with the shipped alert rules, and a real Alertmanager with the shipped routing and
 * inhibition, whose receivers post to a webhook receiver here. The planted defect must page
 * through Alertmanager with the right labels and grouping, the downstream "blocked" alerts must
 * stay quiet while the root cause pages, and fixing the data must resolve the exporter's
 * incident and the page. Missing binaries fail the test (CI installs them); none is skipped.
 *
 * Only what cannot work here is changed in the shipped files: hosts and ports (compose service
 * names become loopback ports), the Slack receivers become webhooks to the test's receiver, and
 * the timings shrink (evaluation and scrape every second, Alertmanager's group waits to a
 * second) so the test takes minutes, not hours. Rules, `for:` durations, routes, matchers,
 * grouping and inhibition are the shipped ones.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { duckdbExec } from '../exporter/src/testing/duckdbFile';
import { eventually } from '../exporter/src/testing/exporterFixture';
import { freePort } from '../exporter/src/testing/freePort';
import { type HttpReceiver, startHttpReceiver } from '../exporter/src/testing/httpReceiver';
import { CLI } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';
import { readYaml, REPO } from './support/repo';
import { requireBinary } from './support/requireBinary';

const TOKEN = 'stack-test-token-with-enough-entropy';

interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
}
interface AmNotification {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: AmAlert[];
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
}

function start(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { name, child, log: '' };
  child.stdout!.on('data', (d: Buffer) => (p.log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.log += d.toString()));
  return p;
}

async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const closed = new Promise((r) => p.child.once('close', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await closed;
  clearTimeout(timer);
}

describe('exporter → Prometheus → Alertmanager, for real', () => {
  const prometheusBin = requireBinary('prometheus');
  const alertmanagerBin = requireBinary('alertmanager', [], ['prometheus-alertmanager']);
  const work = tempProject({});
  let receiver: HttpReceiver;
  let exporter: Proc | undefined;
  let prometheus: Proc | undefined;
  let alertmanager: Proc | undefined;
  let exporterUrl = '';
  let promUrl = '';
  let amUrl = '';

  const notifications = () => receiver.requests.filter((r) => r.method === 'POST').map((r) => ({ path: r.url, ...(JSON.parse(r.body) as AmNotification) }));
  const logs = () => [exporter, prometheus, alertmanager].map((p) => (p ? `--- ${p.name}\n${p.log.slice(-3000)}` : '')).join('\n');
  const json = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    receiver = await startHttpReceiver((_req, res) => res.end('ok'));
    const [exporterPort, promPort, amPort, clusterPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    exporterUrl = `http://127.0.0.1:${exporterPort}`;
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;

    // The demo, as `npm start` runs it: its config, checks and generated warehouse.
    cpSync(join(REPO, 'datatrust.yml'), work.path('datatrust.yml'));
    cpSync(join(REPO, 'checks'), work.path('checks'), { recursive: true });
    // `demo --serve` generates the warehouse, serves it and runs the demo pipeline, whose
    // OpenLineage events are the only lineage: what "blocked downstream" follows.
    exporter = start('exporter', process.execPath, [CLI, 'demo', '--serve', '--output', work.path('data/demo.duckdb'), '-c', work.path('datatrust.yml')], {
      ...process.env,
      DATATRUST_PORT: String(exporterPort),
      DATATRUST_STATE: work.path('state/state.duckdb'),
      DATATRUST_API_TOKEN: TOKEN,
    });

    // Alertmanager: the shipped routes, grouping and inhibition; receivers post here.
    const am = readYaml<Record<string, unknown> & { route: Record<string, unknown> & { routes: Record<string, unknown>[] }; receivers: { name: string }[] }>('provisioning/alertmanager/alertmanager.yml');
    am.templates = [join(REPO, 'provisioning/alertmanager/templates/*.tmpl')];
    am.receivers = am.receivers.map((r) => (r.name === 'datatrust-unrouted' ? r : { name: r.name, webhook_configs: [{ url: `${receiver.base}/${r.name}`, send_resolved: true }] }));
    for (const route of [am.route, ...am.route.routes]) {
      if ('group_wait' in route || route === am.route) route.group_wait = '1s';
      if ('group_interval' in route || route === am.route) route.group_interval = '2s';
    }
    mkdirSync(work.path('am'), { recursive: true });
    writeFileSync(work.path('am/alertmanager.yml'), stringify(am));
    alertmanager = start('alertmanager', alertmanagerBin, [
      `--config.file=${work.path('am/alertmanager.yml')}`,
      `--storage.path=${work.path('am/data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      `--cluster.listen-address=127.0.0.1:${clusterPort}`,
      '--cluster.peer-timeout=1s',
      '--log.level=warn',
    ]);

    // Prometheus: the shipped rules; it scrapes the exporter and alerts to the Alertmanager above.
    const prom = readYaml<Record<string, unknown> & { global: Record<string, unknown>; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>('provisioning/prometheus/prometheus.yml');
    prom.global.scrape_interval = '1s';
    prom.global.scrape_timeout = '1s';
    prom.global.evaluation_interval = '1s';
    prom.rule_files = [join(REPO, 'provisioning/prometheus/rules/*.rules.yml')];
    prom.alerting = { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] };
    prom.scrape_configs = prom.scrape_configs.filter((s) => s.job_name === 'datatrust-exporter').map((s) => ({ ...s, static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] }));
    mkdirSync(work.path('prom'), { recursive: true });
    writeFileSync(work.path('prom/prometheus.yml'), stringify(prom));
    prometheus = start('prometheus', prometheusBin, [`--config.file=${work.path('prom/prometheus.yml')}`, `--storage.tsdb.path=${work.path('prom/data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn']);

    await eventually(async () => (await fetch(`${exporterUrl}/readyz`)).ok && (await fetch(`${promUrl}/-/ready`)).ok && (await fetch(`${amUrl}/-/ready`)).ok, 150_000, 250).catch((e: Error) => {
      throw new Error(`${e.message}\n${logs()}`);
    });
  }, 200_000);

  afterAll(async () => {
    await Promise.all([stop(prometheus), stop(alertmanager), stop(exporter)]);
    await receiver?.close();
    work.cleanup();
  });

  it('pages DataTrustBreakerOpen for the planted defect through Alertmanager, one group per dataset, with the right labels', async () => {
    expect((await fetch(`${exporterUrl}/api/v1/breakers/raw_transactions`)).status).toBe(423);
    // `for: 1m` as shipped, then Alertmanager's group wait.
    const page = await eventually(
      () => notifications().find((n) => n.status === 'firing' && n.commonLabels.alertname === 'DataTrustBreakerOpen' && n.commonLabels.dataset === 'raw_transactions'),
      150_000,
      500,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${JSON.stringify(notifications(), null, 1)}\n${logs()}`);
    });
    expect(page.path).toBe('/datatrust-critical');
    expect(page.receiver).toBe('datatrust-critical');
    expect(page.groupLabels).toEqual({ alertname: 'DataTrustBreakerOpen', dataset: 'raw_transactions' });
    expect(page.alerts).toHaveLength(1);
    expect(page.alerts[0]!.labels).toEqual({
      alertname: 'DataTrustBreakerOpen',
      dataset: 'raw_transactions',
      root_cause: 'raw_transactions',
      severity: 'critical',
      job: 'datatrust-exporter',
      instance: exporterUrl.replace('http://', ''),
      stack: 'datatrust',
    });
    // Every notification is about one dataset and one alert name: grouping by (alertname, dataset).
    for (const n of notifications()) expect(Object.keys(n.groupLabels).sort()).toEqual(['alertname', 'dataset']);
  }, 200_000);

  it('keeps the downstream "blocked" alerts quiet while the root cause pages: firing in Prometheus, inhibited in Alertmanager', async () => {
    const firing = await eventually(async () => {
      const r = await json<{ data: { alerts: { labels: Record<string, string>; state: string }[] } }>(`${promUrl}/api/v1/alerts`);
      const blocked = r.data.alerts.filter((a) => a.labels.alertname === 'DataTrustDatasetBlocked' && a.state === 'firing' && a.labels.root_cause === 'raw_transactions');
      return blocked.length >= 2 ? blocked : undefined;
    }, 120_000, 500);
    expect(firing.map((a) => a.labels.dataset).sort()).toEqual(['aggregated_sales', 'cleaned_transactions']);
    const inAm = await eventually(async () => {
      const alerts = await json<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[]>(`${amUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname="DataTrustDatasetBlocked"')}&filter=${encodeURIComponent('root_cause="raw_transactions"')}`);
      return alerts.length >= 2 ? alerts : undefined;
    }, 30_000, 500);
    for (const a of inAm) expect(a.status).toMatchObject({ state: 'suppressed', inhibitedBy: [expect.any(String)] });
    // Given Alertmanager's (shortened) group wait to send them had they not been inhibited:
    await new Promise((r) => setTimeout(r, 4000));
    expect(notifications().filter((n) => n.alerts.some((a) => a.labels.alertname === 'DataTrustDatasetBlocked' && a.labels.root_cause === 'raw_transactions'))).toEqual([]);
  }, 200_000);

  it('fixing the data resolves the exporter\'s incident and the Alertmanager alert', async () => {
    // The exporter reads the warehouse read-only between scans; a scheduled scan may hold it.
    await eventually(async () => {
      await duckdbExec(work.path('data/demo.duckdb'), ['UPDATE raw_transactions SET user_id = 1 WHERE user_id IS NULL']);
      return true;
    }, 30_000, 500);
    const scan = await json<{ scanId: string }>(`${exporterUrl}/api/v1/scans/raw_transactions`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    await eventually(async () => (await json<{ status: string }>(`${exporterUrl}/api/v1/scans/${scan.scanId}`)).status === 'done', 60_000, 250);
    expect((await fetch(`${exporterUrl}/api/v1/breakers/raw_transactions`)).status).toBe(200);
    const incidents = await json<{ incidents: { dataset: string; resolvedAt?: string }[] }>(`${exporterUrl}/api/v1/incidents`);
    expect(incidents.incidents.filter((i) => i.dataset === 'raw_transactions')).toEqual([expect.objectContaining({ resolvedAt: expect.any(String) })]);

    const resolved = await eventually(
      () => notifications().find((n) => n.status === 'resolved' && n.commonLabels.alertname === 'DataTrustBreakerOpen' && n.commonLabels.dataset === 'raw_transactions'),
      60_000,
      500,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${JSON.stringify(notifications(), null, 1)}\n${logs()}`);
    });
    expect(resolved.alerts.map((a) => a.status)).toEqual(['resolved']);
    // And the blocked alerts it caused are gone from Prometheus.
    await eventually(async () => {
      const r = await json<{ data: { alerts: { labels: Record<string, string> }[] } }>(`${promUrl}/api/v1/alerts`);
      return !r.data.alerts.some((a) => a.labels.root_cause === 'raw_transactions');
    }, 30_000, 500);
    // Never paged about the blocked datasets, start to finish.
    expect(notifications().filter((n) => n.commonLabels.alertname === 'DataTrustDatasetBlocked' && n.alerts.some((a) => a.labels.root_cause === 'raw_transactions'))).toEqual([]);
  }, 200_000);
});
