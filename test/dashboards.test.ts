import { allPanels, type Dashboard, dashboardFiles, type Panel, readDashboard, resolveGrafanaVariables } from './support/dashboards';
import { knownSeriesNames, type NamedExpr, promtoolParse, selectedMetrics } from './support/promql';
import { readText, readYaml } from './support/repo';
import { requireBinary } from './support/requireBinary';

interface DatasourceFile {
  datasources: { name: string; uid: string; type: string; url: string; isDefault?: boolean; jsonData?: Record<string, unknown> }[];
}

const datasources = readYaml<DatasourceFile>('provisioning/grafana/datasources/datatrust.yml').datasources;
const PROMETHEUS_UID = datasources.find((d) => d.type === 'prometheus')!.uid;
/** The JSON API datasource the lineage dashboard reads Marquez's lineage API with. */
const INFINITY = 'yesoreyeram-infinity-datasource';
const infinitySources = datasources.filter((d) => d.type === INFINITY);
/** Dashboards allowed to need the Infinity plugin; every other one must work with Prometheus alone. */
const LINEAGE_UID = 'datatrust-lineage';
const PLUGIN_ID = (JSON.parse(readText('plugin/src/plugin.json')) as { id: string }).id;
const files = dashboardFiles();
const dashboards: [string, Dashboard][] = files.map((f) => [f, readDashboard(f)]);
const byUid = Object.fromEntries(dashboards.map(([, d]) => [d.uid, d]));

/** Grafana's URL slug of a title: lower case, runs of other characters become one dash. */
const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Every PromQL expression of a dashboard, as Prometheus would receive it. */
function expressions(d: Dashboard): (NamedExpr & { panel: Panel; raw: string })[] {
  return allPanels(d).flatMap((panel) =>
    (panel.targets ?? []).filter((t) => t.expr !== undefined).map((t) => ({ panel, raw: t.expr!, expr: resolveGrafanaVariables(t.expr!, d), where: `${d.uid} panel ${panel.id} "${panel.title}" ${t.refId}` })),
  );
}

/** Metrics that carry a `dataset` label, which the quality dashboard's variable must filter. */
const PER_DATASET = /datatrust_(check_status|check_value|anomaly_measured|anomaly_expected|check_evaluations_total|check_pass_ratio|dataset_freshness_seconds|dataset_last_scan_timestamp_seconds|dataset_checks|scan_duration_seconds_\w+|breaker_\w+)\b/;

describe('Grafana provisioning', () => {
  it('provisions Prometheus under the fixed uid, at the compose service', () => {
    const prometheus = datasources.find((d) => d.uid === 'datatrust-prometheus');
    expect(prometheus).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true });
    const alertmanagerUid = prometheus!.jsonData?.alertmanagerUid;
    expect(datasources.find((d) => d.uid === alertmanagerUid)).toMatchObject({ type: 'alertmanager', url: 'http://alertmanager:9093' });
    expect(new Set(datasources.map((d) => d.uid)).size).toBe(datasources.length);
  });

  it('provisions Infinity for the exporter\'s lineage API and for Marquez, each allowed to reach its own host only', () => {
    expect(infinitySources.map((d) => [d.uid, d.url]).sort()).toEqual([
      ['datatrust-exporter-lineage', 'http://exporter:8470'],
      ['datatrust-marquez-lineage', 'http://marquez:5000'],
    ]);
    for (const d of infinitySources) expect({ uid: d.uid, allowedHosts: d.jsonData?.allowedHosts }).toEqual({ uid: d.uid, allowedHosts: [d.url] });
  });

  it('loads dashboards from one read-only file provider', () => {
    const { providers } = readYaml<{ apiVersion: number; providers: { type: string; allowUiUpdates: boolean; options: { path: string } }[] }>('provisioning/grafana/dashboards/datatrust.yml');
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: 'file', allowUiUpdates: false, options: { path: '/var/lib/grafana/dashboards' } });
  });
});

describe('the PromQL helpers', () => {
  it('find the metrics an expression selects, and nothing else', () => {
    expect(selectedMetrics('histogram_quantile(0.95, sum by (le, dataset) (rate(a_bucket{dataset=~"x"}[1h]))) / on (dataset) group_left b unless {__name__="c"}').sort()).toEqual(['a_bucket', 'b', 'c']);
    expect(selectedMetrics('1 - vector(450) / vector(5000)')).toEqual([]);
  });

  it('reject an expression that does not parse, so the syntax check has teeth', () => {
    const r = promtoolParse(requireBinary('promtool'), [{ where: 'broken', expr: 'sum(rate(datatrust_check_status[5m])' }]);
    expect(r.ok).toBe(false);
  });
});

describe.each(dashboards)('%s', (_file, d) => {
  const panels = allPanels(d);

  it('is a provisionable dashboard', () => {
    expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(d.title.trim()).toBeTruthy();
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    // A provisioned dashboard must not carry the database id of the instance it was exported from.
    expect(d.id ?? null).toBeNull();
    expect(d.tags).toContain('datatrust');
  });

  it('has unique panel ids and panels that fit the grid without overlapping', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect({ id: p.id, fits: p.gridPos.x >= 0 && p.gridPos.w > 0 && p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.h > 0 }).toEqual({ id: p.id, fits: true });
    }
    for (const [i, a] of panels.entries()) {
      for (const b of panels.slice(i + 1)) {
        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
        expect({ a: a.id, b: b.id, overlap }).toEqual({ a: a.id, b: b.id, overlap: false });
      }
    }
  });

  it('queries only the provisioned Prometheus by uid, and lineage APIs through the provisioned Infinity datasources', () => {
    const lineageSource = d.templating.list.find((v) => v.type === 'datasource' && v.query === INFINITY);
    for (const p of panels) {
      if (p.type === 'row' || p.type === 'text') continue;
      expect(p.targets?.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      const usesInfinity = p.targets!.some((t) => t.datasource?.type === INFINITY);
      // Panels mixing Infinity and Prometheus queries use Grafana's Mixed datasource.
      const panelDatasource = usesInfinity ? { type: 'datasource', uid: '-- Mixed --' } : { type: 'prometheus', uid: PROMETHEUS_UID };
      expect({ panel: p.id, datasource: p.datasource }).toEqual({ panel: p.id, datasource: panelDatasource });
      for (const t of p.targets!) {
        const expected = t.datasource?.type === INFINITY ? { type: INFINITY, uid: `\${${lineageSource?.name ?? 'missing datasource variable'}}` } : { type: 'prometheus', uid: PROMETHEUS_UID };
        expect({ panel: p.id, refId: t.refId, datasource: t.datasource }).toEqual({ panel: p.id, refId: t.refId, datasource: expected });
      }
      // Everything but the lineage dashboard must keep working where the Infinity plugin is not installed.
      if (usesInfinity) expect(d.uid).toBe(LINEAGE_UID);
    }
    for (const v of d.templating.list.filter((x) => x.type === 'query')) expect(v.datasource).toEqual({ type: 'prometheus', uid: PROMETHEUS_UID });
    if (lineageSource) {
      // The variable offers exactly the provisioned Infinity datasources, and defaults to one of them.
      const regex = /^\/(.*)\/$/.exec(String(lineageSource.regex))?.[1];
      expect(regex).toBeDefined();
      const offered = datasources.filter((x) => x.type === INFINITY && new RegExp(regex!).test(x.name)).map((x) => x.uid);
      expect(offered.sort()).toEqual(infinitySources.map((x) => x.uid).sort());
      expect(offered).toContain(lineageSource.current?.value);
    }
  });

  it('selects only metrics the exporter exports (or `up`)', () => {
    const known = knownSeriesNames();
    const exprs = expressions(d);
    expect(exprs.length).toBeGreaterThan(0);
    for (const e of exprs) {
      const metrics = selectedMetrics(e.expr);
      expect({ where: e.where, selectsSomething: metrics.length > 0 || /vector\(/.test(e.expr) }).toEqual({ where: e.where, selectsSomething: true });
      for (const m of metrics) expect({ where: e.where, metric: m, known: known.has(m) }).toEqual({ where: e.where, metric: m, known: true });
    }
    for (const v of d.templating.list.filter((x) => x.type === 'query')) {
      const query = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
      const metric = /^label_values\((\w+)(?:\{[^}]*\})?,\s*\w+\)$/.exec(query)?.[1];
      expect({ variable: v.name, metric: metric && known.has(metric) ? metric : query }).toEqual({ variable: v.name, metric });
    }
  });

  it('has only expressions that parse (promtool check rules)', () => {
    const exprs = expressions(d);
    const r = promtoolParse(requireBinary('promtool'), exprs);
    // Name the panel behind each failing recording rule.
    let output = r.output;
    for (const [record, where] of r.names) output = output.split(record).join(`${record} (${where})`);
    expect({ ok: r.ok, output: r.ok ? '' : output }).toEqual({ ok: true, output: '' });
  });

  it('links only to dashboards that exist, by uid and slug', () => {
    const links = [...JSON.stringify(d).matchAll(/\/d\/([\w-]+)\/([\w-]+)/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, uid, s] of links) {
      expect({ uid, exists: uid! in byUid }).toEqual({ uid, exists: true });
      expect({ uid, slug: s }).toEqual({ uid, slug: slug(byUid[uid!]!.title) });
    }
  });
});

describe('datatrust-quality.json', () => {
  const d = byUid['datatrust-quality']!;
  const panels = d ? allPanels(d) : [];
  const exprs = d ? expressions(d) : [];

  it('has the uid and title the lineage panel and alert messages link to', () => {
    expect(d).toBeDefined();
    expect(d.title).toBe('DataTrust — Data Quality');
    // The exporter builds its alert links to this very path.
    expect(readText('exporter/src/alerts/alertLinks.ts')).toContain(`/d/${d.uid}/${slug(d.title)}?var-dataset=`);
  });

  it('lets people pick datasets from the exporter\'s check results', () => {
    const v = d.templating.list.find((x) => x.name === 'dataset')!;
    expect(v).toMatchObject({ type: 'query', includeAll: true, multi: true });
    expect((v.query as { query: string }).query).toBe('label_values(datatrust_check_status, dataset)');
  });

  it('filters every per-dataset panel by the dataset variable (the lineage panel shows the whole graph)', () => {
    for (const e of exprs.filter((x) => x.panel.type !== PLUGIN_ID && PER_DATASET.test(x.raw))) {
      expect({ where: e.where, filtered: /dataset=~"\$dataset"/.test(e.raw) }).toEqual({ where: e.where, filtered: true });
    }
  });

  it('shows pass ratios for 1, 7 and 30 days, breakers, incidents, checks, freshness, scan durations and evaluations', () => {
    const all = exprs.map((e) => e.raw).join('\n');
    for (const w of ['1d', '7d', '30d']) expect(all).toContain(`window="${w}"`);
    for (const m of ['datatrust_breaker_open', 'datatrust_incidents_open', 'datatrust_check_status', 'datatrust_dataset_freshness_seconds', 'datatrust_scan_duration_seconds_bucket', 'datatrust_check_evaluations_total']) expect(all).toContain(m);
    const checks = panels.find((p) => p.type === 'table' && p.targets?.some((t) => selectedMetrics(t.expr ?? '').includes('datatrust_check_status')));
    expect(checks).toBeDefined();
  });

  it('plots each anomaly check\'s measured value inside its expected band, one panel per check', () => {
    const band = panels.filter((p) => p.type === 'timeseries' && p.targets?.some((t) => selectedMetrics(t.expr ?? '').includes('datatrust_anomaly_measured')));
    expect(band).toHaveLength(1);
    const p = band[0]!;
    const legends = Object.fromEntries(p.targets!.map((t) => [t.legendFormat, t.expr]));
    expect(Object.keys(legends).sort()).toEqual(['expected', 'lower', 'measured', 'upper']);
    expect(selectedMetrics(legends.measured as string)).toEqual(['datatrust_anomaly_measured']);
    for (const bound of ['expected', 'lower', 'upper']) {
      expect(selectedMetrics(legends[bound] as string)).toEqual(['datatrust_anomaly_expected']);
      expect(legends[bound]).toContain(`bound="${bound}"`);
    }
    // The band: Grafana fills the upper series down to the lower one.
    const overrides = (p.fieldConfig as { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] }).overrides;
    expect(overrides.find((o) => o.matcher.options === 'upper')?.properties).toContainEqual({ id: 'custom.fillBelowTo', value: 'lower' });
    // Repeated per check, so one band never fills into another check's.
    const variable = d.templating.list.find((v) => v.name === p.repeat)!;
    expect((variable.query as { query: string }).query).toBe('label_values(datatrust_anomaly_measured{dataset=~"$dataset"}, check)');
    for (const t of p.targets!) expect(t.expr).toContain('check=~"${anomaly_check:regex}"');
  });

  it('feeds the lineage panel with instant queries of the breaker, pass ratio, freshness, check status and edge metrics', () => {
    const lineage = panels.filter((p) => p.type === PLUGIN_ID);
    expect(lineage).toHaveLength(1);
    const targets = lineage[0]!.targets!;
    const metrics = targets.flatMap((t) => selectedMetrics(t.expr!));
    expect(metrics.sort()).toEqual(['datatrust_breaker_open', 'datatrust_check_pass_ratio', 'datatrust_check_status', 'datatrust_dataset_freshness_seconds', 'datatrust_lineage_edge_info']);
    for (const t of targets) expect({ refId: t.refId, instant: t.instant, format: t.format }).toEqual({ refId: t.refId, instant: true, format: 'table' });
  });
});

describe('datatrust-lineage.json', () => {
  const d = byUid[LINEAGE_UID]!;
  const lineage = d ? allPanels(d).filter((p) => p.type === PLUGIN_ID) : [];
  const vars = d ? Object.fromEntries(d.templating.list.map((v) => [v.name, v])) : {};

  it('has the lineage variables: a Marquez node id, a depth and a direction', () => {
    expect(d).toBeDefined();
    expect(vars.lineage_node).toMatchObject({ type: 'textbox' });
    expect(String(vars.lineage_node!.query)).toMatch(/^(dataset|job):.+:.+$/);
    expect(vars.lineage_depth).toMatchObject({ type: 'custom', current: { value: '20' } });
    expect(String(vars.lineage_depth!.query).split(',').every((v) => /^\d+$/.test(v))).toBe(true);
    expect(vars.direction).toMatchObject({ type: 'custom', query: 'both,upstream,downstream', current: { value: 'both' } });
  });

  it('feeds one lineage panel with the Infinity lineage query and instant table queries of the quality metrics', () => {
    expect(lineage).toHaveLength(1);
    const targets = lineage[0]!.targets!;
    const infinity = targets.filter((t) => t.datasource?.type === INFINITY);
    expect(infinity).toHaveLength(1);
    expect(infinity[0]).toMatchObject({
      type: 'json',
      source: 'url',
      parser: 'backend',
      format: 'table',
      url: '/api/v1/lineage?nodeId=${lineage_node:percentencode}&depth=${lineage_depth}&direction=${direction}',
    });
    const prometheus = targets.filter((t) => t.expr !== undefined);
    expect(prometheus.flatMap((t) => selectedMetrics(t.expr!)).sort()).toEqual(['datatrust_breaker_open', 'datatrust_breaker_upstream_blocked', 'datatrust_check_pass_ratio', 'datatrust_check_status', 'datatrust_dataset_freshness_seconds', 'datatrust_dataset_info', 'datatrust_job_blocked']);
    for (const t of prometheus) expect({ refId: t.refId, instant: t.instant, format: t.format }).toEqual({ refId: t.refId, instant: true, format: 'table' });
  });

  it('centres the panel on lineage_node, and lets clicks and the toggles set lineage_node and direction', () => {
    expect(lineage[0]!.options).toMatchObject({ focus: '${lineage_node}', recentreVariable: 'lineage_node', directionVariable: 'direction' });
  });
});

describe('the Prometheus-only lineage', () => {
  it('stays on the quality dashboard, drawn from datatrust_lineage_edge_info without Infinity', () => {
    const quality = allPanels(byUid['datatrust-quality']!).filter((p) => p.type === PLUGIN_ID);
    expect(quality).toHaveLength(1);
    expect(quality[0]!.targets!.every((t) => t.datasource?.type === 'prometheus')).toBe(true);
    expect(quality[0]!.targets!.some((t) => t.expr === 'datatrust_lineage_edge_info')).toBe(true);
  });
});

describe('tables built from several queries', () => {
  // Grafana's merge transformation joins rows on every label column the queries share, so a
  // __name__, job or instance column that differs between queries would keep rows apart.
  it.each(dashboards.flatMap(([, d]) => allPanels(d).filter((p) => p.type === 'table' && (p.targets?.length ?? 0) > 1 && JSON.stringify(p.transformations ?? []).includes('"merge"')).map((p) => [`${d.uid} ${p.title}`, p] as const)))(
    '%s aggregates every query to the same labels',
    (_name, p) => {
      const grouping = p.targets!.map((t) => /^(?:max|min|sum|avg) by \(([^)]*)\) \(/.exec(t.expr ?? '')?.[1] ?? `not aggregated: ${t.expr}`);
      expect(new Set(grouping).size).toBe(1);
      expect(grouping[0]).not.toMatch(/^not aggregated/);
    },
  );
});

describe('datatrust-executive.json', () => {
  const d = byUid['datatrust-executive']!;
  const panels = d ? allPanels(d) : [];
  const exprs = d ? expressions(d) : [];
  const panelWith = (re: RegExp) => panels.filter((p) => p.targets?.some((t) => re.test(t.expr ?? '')));
  const thresholdValues = (p: Panel) => ((p.fieldConfig as { defaults: { thresholds?: { steps: { value: number | null }[] } } }).defaults.thresholds?.steps ?? []).map((s) => s.value);

  it('exists under its uid', () => {
    expect(d).toBeDefined();
  });

  it('takes cost as clearly labelled textbox inputs with the PRD\'s figures as defaults', () => {
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
    for (const [name, value] of [
      ['monthly_cost_usd', '450'],
      ['baseline_cost_usd', '5000'],
    ] as const) {
      expect(vars[name]).toMatchObject({ type: 'textbox', query: value, current: { value } });
      expect(String(vars[name]!.label)).toMatch(/input/i);
    }
    const cost = panelWith(/\$monthly_cost_usd|\$baseline_cost_usd/);
    expect(cost.length).toBeGreaterThanOrEqual(3);
    for (const p of cost.filter((x) => !/savings/i.test(x.title))) expect(p.title).toMatch(/input/i);
    const savings = cost.find((p) => /savings/i.test(p.title))!;
    expect(savings.targets![0]!.expr).toBe('1 - vector($monthly_cost_usd) / vector($baseline_cost_usd)');
  });

  it('compares the 7-day pass rate with the 99.9% target', () => {
    const pass = panelWith(/datatrust_check_evaluations_total\{outcome="pass"\}\[7d\]/);
    expect(pass).toHaveLength(1);
    expect(pass[0]!.title).toMatch(/99\.9%/);
    expect(thresholdValues(pass[0]!)).toContain(0.999);
  });

  it('reports MTTD mean and p95 from the histogram, against the baseline', () => {
    const all = exprs.map((e) => e.raw);
    expect(all.some((e) => /histogram_quantile\(0\.95, sum by \(le\) \(increase\(datatrust_mttd_seconds_bucket\[\$__range\]\)\)/.test(e))).toBe(true);
    expect(all.some((e) => e.startsWith('sum(increase(datatrust_mttd_seconds_sum[$__range])) /'))).toBe(true);
    expect(all.some((e) => e.includes('$mttd_baseline_minutes'))).toBe(true);
  });

  it('shows the two coverage ratios of PRD 5.1 against their targets: pipelines 80%, lineage 90%', () => {
    const pipelines = panelWith(/^datatrust_pipeline_coverage_ratio$/);
    const lineage = panelWith(/^datatrust_lineage_coverage_ratio$/);
    expect(pipelines).toHaveLength(1);
    expect(lineage).toHaveLength(1);
    expect(thresholdValues(pipelines[0]!)).toContain(0.8);
    expect(thresholdValues(lineage[0]!)).toContain(0.9);
  });

  it('plots incidents over time', () => {
    expect(panels.some((p) => p.type === 'timeseries' && p.targets?.some((t) => t.expr === 'sum(datatrust_incidents_open)'))).toBe(true);
  });
});
