import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { stringify } from 'yaml';
import { dashboardFiles, readDashboard } from './support/dashboards';
import { knownSeriesNames, selectedMetrics } from './support/promql';
import { readYaml, repoPath, runTool } from './support/repo';
import { requireBinary } from './support/requireBinary';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: (AlertRule | { record: string; expr: string })[] }[];
}
interface RuleTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}
interface PrometheusConfig {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
}
interface ComposeFile {
  services: Record<string, { volumes?: (string | { source?: string; target: string })[] }>;
}

const DIR = 'provisioning/prometheus';
const CONFIG = `${DIR}/prometheus.yml`;
const RULES_DIR = `${DIR}/rules`;
const TESTS_DIR = `${DIR}/tests`;

const ruleFiles = readdirSync(repoPath(RULES_DIR)).filter((f) => f.endsWith('.rules.yml')).map((f) => `${RULES_DIR}/${f}`);
const testFiles = readdirSync(repoPath(TESTS_DIR)).filter((f) => f.endsWith('.test.yml')).map((f) => `${TESTS_DIR}/${f}`);
const alerts: AlertRule[] = ruleFiles.flatMap((f) => readYaml<RuleFile>(f).groups.flatMap((g) => g.rules.filter((r): r is AlertRule => 'alert' in r)));
const config = readYaml<PrometheusConfig>(CONFIG);
const compose = readYaml<ComposeFile>('docker-compose.yml');

describe('promtool', () => {
  it('accepts prometheus.yml and loads every rule file from it', () => {
    const r = runTool(requireBinary('promtool'), ['check', 'config', CONFIG]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
    // A rule_files glob that matches nothing passes silently; make sure it found ours.
    expect(r.output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
    for (const f of ruleFiles) expect(r.output).toContain(f);
  });

  it('accepts the rule files', () => {
    const r = runTool(requireBinary('promtool'), ['check', 'rules', ...ruleFiles]);
    expect(r.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(r.code).toBe(0);
  });

  it('passes the rules\' unit tests', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    // promtool resolves each test file's rule_files relative to the test file.
    for (const f of testFiles) {
      const r = runTool(requireBinary('promtool'), ['test', 'rules', posix.basename(f)], { cwd: repoPath(posix.dirname(f)) });
      expect({ file: f, code: r.code, output: r.output.trim() }).toEqual({ file: f, code: 0, output: expect.stringContaining('SUCCESS') });
    }
  });

  it('fails a unit test whose expectation is wrong, so the suite has teeth', () => {
    // The first test file again, with the severity of the first expected alert swapped.
    const source = testFiles[0]!;
    type Expected = { exp_labels: Record<string, string> };
    const t = readYaml<{ rule_files: string[]; tests: { alert_rule_test?: { exp_alerts?: Expected[] }[] }[] }>(source);
    t.rule_files = t.rule_files.map((r) => repoPath(posix.dirname(source), r));
    const expected = t.tests.flatMap((x) => x.alert_rule_test ?? []).flatMap((c) => c.exp_alerts ?? [])[0]!;
    expected.exp_labels.severity = expected.exp_labels.severity === 'critical' ? 'warning' : 'critical';
    const dir = mkdtempSync(join(tmpdir(), 'datatrust-promtool-'));
    try {
      writeFileSync(join(dir, 'wrong.test.yml'), stringify(t));
      const r = runTool(requireBinary('promtool'), ['test', 'rules', 'wrong.test.yml'], { cwd: dir });
      expect(r.output).toContain('FAILED');
      expect(r.code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alert rules follow the conventions', () => {
  it('has the alerts the runbooks and dashboards refer to', () => {
    const names = alerts.map((a) => a.alert);
    for (const n of ['DataTrustBreakerOpen', 'DataTrustCheckFailing', 'DataTrustDatasetStale', 'DataTrustPassRatioLow', 'DataTrustExporterDown', 'DataTrustAlertDeliveryFailing', 'DataTrustScanStale', 'DataTrustMTTDHigh']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s: name, severity and annotations', (_name, a) => {
    expect(a.alert).toMatch(/^DataTrust[A-Z][A-Za-z0-9]+$/);
    expect(['critical', 'warning']).toContain(a.labels?.severity);
    expect(a.annotations?.summary?.trim()).toBeTruthy();
    expect(a.annotations?.description?.trim()).toBeTruthy();
    // A summary is one line: Slack titles and the Alertmanager list show nothing else.
    expect(a.annotations!.summary).not.toContain('\n');
    if (a.for !== undefined) expect(a.for).toMatch(/^\d+[smhd]$/);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s: selects only metrics the exporter exports', (_name, a) => {
    const known = knownSeriesNames();
    for (const m of selectedMetrics(a.expr)) expect({ metric: m, known: known.has(m) }).toEqual({ metric: m, known: true });
  });

  it('links only to dashboards that exist, by uid and slug', () => {
    // Grafana's slug of a title: lower case, runs of other characters become one dash.
    const paths = new Set(dashboardFiles().map((f) => readDashboard(f)).map((d) => `/d/${d.uid}/${d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`));
    for (const a of alerts) {
      const link = a.annotations?.dashboard;
      if (!link) continue;
      const path = link.split('?')[0]!;
      expect({ alert: a.alert, path, exists: paths.has(path) }).toEqual({ alert: a.alert, path, exists: true });
    }
  });

  it('pages on the breaker within a minute and on the exporter being down', () => {
    const byName = Object.fromEntries(alerts.map((a) => [a.alert, a]));
    expect(byName.DataTrustBreakerOpen!.for).toBe('1m');
    expect(byName.DataTrustBreakerOpen!.labels!.severity).toBe('critical');
    expect(byName.DataTrustExporterDown!.labels!.severity).toBe('critical');
    // The PRD's 99.9% target, on the exporter's 7-day window.
    expect(byName.DataTrustPassRatioLow!.expr).toMatch(/datatrust_check_pass_ratio\{window="7d"\}\s*<\s*0\.999\b/);
  });

  it('tests every alert both firing and staying quiet', () => {
    const cases = testFiles.flatMap((f) => readYaml<RuleTestFile>(f).tests.flatMap((t) => t.alert_rule_test ?? []));
    for (const a of alerts) {
      const mine = cases.filter((c) => c.alertname === a.alert);
      expect({ alert: a.alert, fires: mine.some((c) => (c.exp_alerts ?? []).length > 0) }).toEqual({ alert: a.alert, fires: true });
      expect({ alert: a.alert, quiet: mine.some((c) => (c.exp_alerts ?? []).length === 0) }).toEqual({ alert: a.alert, quiet: true });
    }
  });

  it('tests the rule files Prometheus loads', () => {
    for (const f of testFiles) {
      const t = readYaml<RuleTestFile>(f);
      const tested = t.rule_files.map((r) => posix.normalize(posix.join(posix.dirname(f), r)));
      for (const r of tested) expect(ruleFiles).toContain(r);
    }
  });
});

describe('prometheus.yml matches the compose stack', () => {
  const targets = (job: string) => config.scrape_configs.find((s) => s.job_name === job)?.static_configs.flatMap((c) => c.targets) ?? [];

  it('scrapes the exporter service on its port, under the job the rules select', () => {
    expect(targets('datatrust-exporter')).toEqual(['exporter:8470']);
    expect(alerts.find((a) => a.alert === 'DataTrustExporterDown')!.expr).toContain('up{job="datatrust-exporter"}');
    const server = readYaml<{ server: { port: number } }>('deploy/datatrust.yml').server;
    expect(server.port).toBe(8470);
  });

  it('scrapes and alerts only hosts that are compose services', () => {
    const hosts = [...config.scrape_configs.flatMap((s) => s.static_configs.flatMap((c) => c.targets)), ...config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets))].map((t) => t.split(':')[0]!);
    for (const h of hosts) expect({ host: h, service: h === 'localhost' || h in compose.services }).toEqual({ host: h, service: true });
    expect(config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets))).toEqual(['alertmanager:9093']);
  });

  it('finds the rules where compose mounts them', () => {
    const volumes = (compose.services.prometheus!.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0]!, target: v.split(':')[1]! } : { source: v.source ?? '', target: v.target }));
    const configMount = volumes.find((v) => v.source === `./${CONFIG}`);
    const rulesMount = volumes.find((v) => v.source === `./${RULES_DIR}`);
    expect(configMount).toBeDefined();
    expect(rulesMount).toBeDefined();
    for (const pattern of config.rule_files) {
      const inContainer = posix.join(posix.dirname(configMount!.target), pattern);
      expect(posix.dirname(inContainer)).toBe(rulesMount!.target);
    }
  });
});
