import { collectDefaultMetrics, type OpenMetricsContentType, Registry } from 'prom-client';
import { activeOverride } from '../breaker/breakerView';
import { isObserved } from '../checks/mode';
import type { Outcome } from '../checks/outcome';
import type { ServiceObserver } from '../service/dataTrustService';
import type { LiveSnapshot } from '../service/liveState';
import type { PassRatios, ScanRecord } from '../state/stateStore';
import { CONTENT_TYPE, type ExpositionFormat, type Family, header, labels, sample } from './exposition';
import { Histogram } from './histogram';

/** What the lineage metrics read at scrape time. */
export interface LineageMetricsSource {
  /** Moves whenever the graph changes: edge lines are rendered again only then. */
  epoch(): number;
  /** Dataset→dataset edges (configured names where configured, else `namespace/name`). */
  edges(): readonly { source: string; target: string; pipeline: string }[];
  coverage(): { pipeline?: number; lineage?: number };
  /** Datasets seen in lineage that datatrust.yml does not configure: they have no checks. */
  lineageOnlyDatasets(): { dataset: string; blocked: boolean }[];
  /** Configured datasets with their OpenLineage identity, so dashboards can join the two names. */
  identities(): { dataset: string; namespace: string; name: string }[];
  /** Every job lineage reported, and whether its gate would answer 423. */
  jobs(): { namespace: string; name: string; blocked: boolean }[];
  /** OpenLineage event types, so every type × result series exists from the start. */
  eventTypes: readonly string[];
  /** `${type}\u0000${result}` → events. */
  eventCounts(): ReadonlyMap<string, number>;
  /** Events waiting to be forwarded to Marquez; undefined when forwarding is off. */
  forwardPending(): number | undefined;
}

/** What the metrics read at scrape time. */
export interface MetricsSource {
  snapshot(): LiveSnapshot;
  /** An open breaker upstream in the lineage blocks this dataset. */
  upstreamBlocked(dataset: string): boolean;
  /** The upstream datasets whose open breakers block this one (for `datatrust_breaker_blocked_by`). */
  upstreamBlockers(dataset: string): string[];
  /** The dataset's own effective state is open (scans, override, or a critical dataset not scanned yet). */
  ownOpen(dataset: string): boolean;
  lineage: LineageMetricsSource;
  now(): Date;
  version: string;
}

const LINEAGE_RESULTS = ['accepted', 'rejected', 'duplicate'] as const;

const STATUS: Partial<Record<Outcome, number>> = { pass: 0, warn: 1, fail: 2, error: 3 };
const OUTCOMES: readonly Outcome[] = ['pass', 'warn', 'fail', 'error', 'not_evaluated'];
const DELIVERY_RESULTS = ['success', 'retry', 'failed'] as const;
const WINDOWS = [
  ['1d', 'd1'],
  ['7d', 'd7'],
  ['30d', 'd30'],
] as const;
const SEP = '\u0000';

/** Scan durations span milliseconds (small tables) to many minutes (10M-row files). */
const SCAN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
/** MTTD: the PRD's baseline is hours; the target minutes. */
const MTTD_BUCKETS = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

const F = {
  checkStatus: { name: 'datatrust_check_status', type: 'gauge', help: 'Latest outcome of each check: 0 pass, 1 warn, 2 fail, 3 error.' },
  checkValue: { name: 'datatrust_check_value', type: 'gauge', help: 'Latest measured value of each check (percent metrics 0-100, freshness in seconds).' },
  observedStatus: { name: 'datatrust_observed_check_status', type: 'gauge', help: 'Latest outcome of each observed check (mode: observe), what it would have done: 0 pass, 1 warn, 2 fail, 3 error. Never opens a breaker nor pages.' },
  observedValue: { name: 'datatrust_observed_check_value', type: 'gauge', help: 'Latest measured value of each observed check (mode: observe).' },
  anomalyMeasured: { name: 'datatrust_anomaly_measured', type: 'gauge', help: 'Latest metric value an anomaly check judged (its datatrust_check_value is the anomaly score); only for checks with an expectation.' },
  anomalyExpected: { name: 'datatrust_anomaly_expected', type: 'gauge', help: 'What the anomaly model expected of datatrust_anomaly_measured: bound="expected" the expected value, "lower" and "upper" the band it had to fall in.' },
  observedAnomalyMeasured: { name: 'datatrust_observed_anomaly_measured', type: 'gauge', help: 'Latest metric value an observed anomaly check (mode: observe) judged; only for checks with an expectation.' },
  observedAnomalyExpected: { name: 'datatrust_observed_anomaly_expected', type: 'gauge', help: 'What the model of an observed anomaly check (mode: observe) expected: bound="expected", "lower" and "upper".' },
  evaluations: { name: 'datatrust_check_evaluations_total', type: 'counter', help: 'Check evaluations by outcome, kept across restarts in the state file.' },
  deliveries: { name: 'datatrust_alert_deliveries_total', type: 'counter', help: 'Alert delivery attempts by channel and result (success, retry, failed).' },
  passRatio: { name: 'datatrust_check_pass_ratio', type: 'gauge', help: 'Share of evaluated checks that passed over the window (0-1), from stored history.' },
  freshness: { name: 'datatrust_dataset_freshness_seconds', type: 'gauge', help: 'Age of the newest row, from the freshness checks: now minus MAX(column).' },
  lastScan: { name: 'datatrust_dataset_last_scan_timestamp_seconds', type: 'gauge', help: 'When the latest scan of the dataset finished (Unix time).' },
  checks: { name: 'datatrust_dataset_checks', type: 'gauge', help: 'Checks configured for the dataset; 0 is a coverage gap.' },
  breakerOpen: { name: 'datatrust_breaker_open', type: 'gauge', help: "1 when the dataset's own breaker is open (its checks failed, or an override forces it), else 0." },
  upstreamBlocked: { name: 'datatrust_breaker_upstream_blocked', type: 'gauge', help: '1 when an open breaker upstream in the lineage blocks the dataset, else 0.' },
  blockedBy: { name: 'datatrust_breaker_blocked_by', type: 'gauge', help: 'Always 1: one series per dataset and each upstream dataset whose open breaker blocks it (absent when nothing blocks it).' },
  overridden: { name: 'datatrust_breaker_overridden', type: 'gauge', help: '1 while a manual override decides the breaker, else 0.' },
  incidentsOpen: { name: 'datatrust_incidents_open', type: 'gauge', help: 'Incidents open now (breakers open on their own checks).' },
  scansRunning: { name: 'datatrust_scans_running', type: 'gauge', help: 'Dataset scans in progress.' },
  outboxPending: { name: 'datatrust_alert_outbox_pending', type: 'gauge', help: 'Alert events waiting for delivery, by channel.' },
  scanDuration: { name: 'datatrust_scan_duration_seconds', type: 'histogram', help: 'Duration of dataset scans.' },
  mttd: { name: 'datatrust_mttd_seconds', type: 'histogram', help: 'Mean time to detect: first alert delivered minus bad data arrived, per incident.' },
  lineageEdge: { name: 'datatrust_lineage_edge_info', type: 'gauge', help: 'Always 1: one series per dataset-to-dataset lineage edge (target built from source by pipeline; empty pipeline for upstream: declarations).' },
  datasetInfo: { name: 'datatrust_dataset_info', type: 'gauge', help: "Always 1: a configured dataset's OpenLineage identity (namespace, name), to join metrics to lineage." },
  pipelineCoverage: { name: 'datatrust_pipeline_coverage_ratio', type: 'gauge', help: 'Jobs seen in lineage that write at least one dataset with checks, divided by all jobs seen (0-1).' },
  lineageCoverage: { name: 'datatrust_lineage_coverage_ratio', type: 'gauge', help: 'Configured datasets that appear in OpenLineage events, divided by configured datasets (0-1).' },
  lineageEvents: { name: 'datatrust_lineage_events_total', type: 'counter', help: 'OpenLineage events received, by event type and result (accepted, rejected, duplicate), kept across restarts.' },
  forwardPending: { name: 'datatrust_lineage_forward_pending', type: 'gauge', help: 'OpenLineage events waiting to be forwarded to Marquez (absent when forwarding is off).' },
  jobBlocked: { name: 'datatrust_job_blocked', type: 'gauge', help: "1 when a lineage job's gate would answer 423 (an input is open or blocked upstream), else 0." },
  buildInfo: { name: 'datatrust_build_info', type: 'gauge', help: 'Always 1; the labels say which exporter version runs.' },
} as const satisfies Record<string, Family>;

/**
 * Check labels must be unique per dataset; two checks can share a name (same definition,
 * different configuration), so later ones get their position appended.
 */
function checkLabels(results: readonly { name: string; id: string }[]): string[] {
  const seen = new Set<string>();
  return results.map((r) => {
    let label = r.name;
    if (seen.has(label)) label = `${r.name} (${r.id.replace(/^.*?([^/]+:\d+):\d+$/, '$1')})`;
    seen.add(label);
    return label;
  });
}

/** A dataset's per-check lines, rendered once per scan (the ScanRecord is immutable). */
interface ScanLines {
  status: string;
  value: string;
  /** Observed checks have families of their own: alert rules and dashboards on the enforced ones never see them. */
  observedStatus: string;
  observedValue: string;
  /** Anomaly checks' measured value and expected band, split the same way. */
  anomalyMeasured: string;
  anomalyExpected: string;
  observedAnomalyMeasured: string;
  observedAnomalyExpected: string;
  lastScan: string;
}

function scanLines(scan: ScanRecord): ScanLines {
  const names = checkLabels(scan.results);
  const out = { status: '', value: '', observedStatus: '', observedValue: '', anomalyMeasured: '', anomalyExpected: '', observedAnomalyMeasured: '', observedAnomalyExpected: '' };
  scan.results.forEach((r, i) => {
    const l = labels([
      ['dataset', scan.dataset],
      ['check', names[i]!],
    ]);
    const observed = isObserved(r);
    const s = STATUS[r.outcome];
    if (s !== undefined) {
      if (observed) out.observedStatus += sample(F.observedStatus.name, l, s);
      else out.status += sample(F.checkStatus.name, l, s);
    }
    if (r.value !== null) {
      if (observed) out.observedValue += sample(F.observedValue.name, l, r.value);
      else out.value += sample(F.checkValue.name, l, r.value);
    }
    // The season stays out of the labels: as a label it would start new series every day.
    if (r.expected && r.measured !== undefined) {
      const bound = (b: string) => labels([['dataset', scan.dataset], ['check', names[i]!], ['bound', b]]);
      const e = r.expected;
      const [m, x] = observed ? (['observedAnomalyMeasured', 'observedAnomalyExpected'] as const) : (['anomalyMeasured', 'anomalyExpected'] as const);
      out[m] += sample(F[m].name, l, r.measured);
      out[x] += sample(F[x].name, bound('expected'), e.value) + sample(F[x].name, bound('lower'), e.lower) + sample(F[x].name, bound('upper'), e.upper);
    }
  });
  return { ...out, lastScan: sample(F.lastScan.name, labels([['dataset', scan.dataset]]), Date.parse(scan.finishedAt) / 1000) };
}

/**
 * The Prometheus metrics, rendered at scrape time from one immutable snapshot, so a scrape never
 * sees a half-applied scan. Lines that only change with a scan (per-check status and value,
 * pass ratios, histograms) are cached on the immutable objects they come from; a scrape of
 * 1,000 datasets × 20 checks mostly joins cached strings. prom-client supplies the process and
 * Node.js metrics, with one registry per format: it renames counters in place when rendering
 * OpenMetrics (its PR #829), which would otherwise strip `_total` from the next text scrape.
 */
export class ExporterMetrics {
  private readonly scanDuration = new Histogram(F.scanDuration.name, SCAN_BUCKETS, 'dataset');
  private readonly mttd = new Histogram(F.mttd.name, MTTD_BUCKETS);
  private readonly scanCache = new WeakMap<ScanRecord, ScanLines>();
  private readonly ratioCache = new WeakMap<PassRatios, string>();
  private readonly countersCache = new WeakMap<object, string>();
  private readonly checksCache = new WeakMap<object, string>();
  private edgeCache: { epoch: number; text: string } | undefined;
  private readonly registries: Record<ExpositionFormat, Registry | Registry<OpenMetricsContentType>>;

  constructor(private readonly source: MetricsSource) {
    const prometheus = new Registry();
    const openMetrics = new Registry<OpenMetricsContentType>();
    openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    for (const register of [prometheus, openMetrics]) {
      collectDefaultMetrics({ register });
      // prom-client names these gauges `_total`, which the naming rules (and promtool) reserve for counters.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) register.removeSingleMetric(name);
    }
    this.registries = { prometheus, openmetrics: openMetrics };
  }

  observer(): ServiceObserver {
    return {
      scanFinished: (dataset, seconds, count) => this.scanDuration.observe(seconds, dataset, count),
      mttd: (seconds) => this.mttd.observe(seconds),
    };
  }

  private lines(scan: ScanRecord): ScanLines {
    let l = this.scanCache.get(scan);
    if (!l) {
      l = scanLines(scan);
      this.scanCache.set(scan, l);
    }
    return l;
  }

  private ratioLines(dataset: string, r: PassRatios): string {
    let text = this.ratioCache.get(r);
    if (text === undefined) {
      text = '';
      for (const [window, key] of WINDOWS) {
        const v = r[key];
        if (v !== null) text += sample(F.passRatio.name, labels([['dataset', dataset], ['window', window]]), v);
      }
      this.ratioCache.set(r, text);
    }
    return text;
  }

  /** Evaluation counters, every dataset × outcome present from the start (at 0) so increase() sees the first. */
  private evaluationLines(snap: LiveSnapshot): string {
    let text = this.countersCache.get(snap.evaluations);
    if (text === undefined) {
      text = '';
      for (const dataset of snap.datasets) {
        for (const outcome of OUTCOMES) text += sample(F.evaluations.name, labels([['dataset', dataset], ['outcome', outcome]]), snap.evaluations[`${dataset}${SEP}${outcome}`] ?? 0);
      }
      this.countersCache.set(snap.evaluations, text);
    }
    return text;
  }

  private checkCountLines(snap: LiveSnapshot): string {
    let text = this.checksCache.get(snap.checkCounts);
    if (text === undefined) {
      text = '';
      for (const [dataset, n] of snap.checkCounts) text += sample(F.checks.name, labels([['dataset', dataset]]), n);
      this.checksCache.set(snap.checkCounts, text);
    }
    return text;
  }

  /** The exporter's own families for one snapshot. */
  private families(snap: LiveSnapshot, now: Date, format: ExpositionFormat): string {
    const parts: string[] = [];
    const family = (f: Family, body: string) => parts.push(header(f, format), body);
    const scans = snap.datasets.map((d) => snap.latest.get(d)).filter((s): s is ScanRecord => s !== undefined);
    const ds = (dataset: string) => labels([['dataset', dataset]]);

    family(F.checkStatus, scans.map((s) => this.lines(s).status).join(''));
    family(F.checkValue, scans.map((s) => this.lines(s).value).join(''));
    family(F.observedStatus, scans.map((s) => this.lines(s).observedStatus).join(''));
    family(F.observedValue, scans.map((s) => this.lines(s).observedValue).join(''));
    family(F.anomalyMeasured, scans.map((s) => this.lines(s).anomalyMeasured).join(''));
    family(F.anomalyExpected, scans.map((s) => this.lines(s).anomalyExpected).join(''));
    family(F.observedAnomalyMeasured, scans.map((s) => this.lines(s).observedAnomalyMeasured).join(''));
    family(F.observedAnomalyExpected, scans.map((s) => this.lines(s).observedAnomalyExpected).join(''));
    family(F.evaluations, this.evaluationLines(snap));
    let deliveries = '';
    const channels = [...new Set([...snap.outboxPending.keys(), ...Object.keys(snap.deliveries).map((k) => k.split(SEP)[0]!)])].sort();
    for (const channel of channels) {
      for (const result of DELIVERY_RESULTS) deliveries += sample(F.deliveries.name, labels([['channel', channel], ['result', result]]), snap.deliveries[`${channel}${SEP}${result}`] ?? 0);
    }
    family(F.deliveries, deliveries);
    family(F.passRatio, snap.datasets.map((d) => (snap.passRatios.get(d) ? this.ratioLines(d, snap.passRatios.get(d)!) : '')).join(''));
    let freshness = '';
    for (const d of snap.datasets) {
      const at = snap.newestDataAt.get(d);
      if (at !== undefined) freshness += sample(F.freshness.name, ds(d), (now.getTime() - at) / 1000);
    }
    family(F.freshness, freshness);
    family(F.lastScan, scans.map((s) => this.lines(s).lastScan).join(''));
    const lineageOnly = this.source.lineage.lineageOnlyDatasets();
    family(F.checks, this.checkCountLines(snap) + lineageOnly.map((d) => sample(F.checks.name, ds(d.dataset), 0)).join(''));
    let open = '';
    let blocked = '';
    let blockedBy = '';
    let overridden = '';
    for (const d of snap.datasets) {
      const o = activeOverride(snap.overrides.get(d), now);
      const blockers = this.source.upstreamBlockers(d);
      open += sample(F.breakerOpen.name, ds(d), this.source.ownOpen(d) ? 1 : 0);
      blocked += sample(F.upstreamBlocked.name, ds(d), this.source.upstreamBlocked(d) ? 1 : 0);
      // Names the root cause, so Alertmanager can hold back "blocked" alerts while it pages.
      for (const up of blockers) blockedBy += sample(F.blockedBy.name, labels([['dataset', d], ['upstream', up]]), 1);
      overridden += sample(F.overridden.name, ds(d), o ? 1 : 0);
    }
    for (const d of lineageOnly) blocked += sample(F.upstreamBlocked.name, ds(d.dataset), d.blocked ? 1 : 0);
    family(F.breakerOpen, open);
    family(F.upstreamBlocked, blocked);
    family(F.blockedBy, blockedBy);
    family(F.overridden, overridden);
    family(F.incidentsOpen, sample(F.incidentsOpen.name, '', snap.openIncidents.size));
    family(F.scansRunning, sample(F.scansRunning.name, '', snap.scansRunning));
    family(F.outboxPending, [...snap.outboxPending].map(([channel, n]) => sample(F.outboxPending.name, labels([['channel', channel]]), n)).join(''));
    family(F.scanDuration, this.scanDuration.render());
    family(F.mttd, this.mttd.render());
    this.lineageFamilies(family);
    family(F.buildInfo, sample(F.buildInfo.name, labels([['version', this.source.version], ['nodejs', process.version]]), 1));
    return parts.join('');
  }

  /** Edges, coverage, events and job gates. Never label `job` or `instance`: Prometheus owns them. */
  private lineageFamilies(family: (f: Family, body: string) => void): void {
    const lineage = this.source.lineage;
    if (this.edgeCache?.epoch !== lineage.epoch()) {
      // Tens of thousands of edges on a big graph: rendered again only when the graph changed.
      const epoch = lineage.epoch();
      const text = lineage
        .edges()
        .map((e) => sample(F.lineageEdge.name, labels([['source_dataset', e.source], ['target_dataset', e.target], ['pipeline', e.pipeline]]), 1))
        .join('');
      this.edgeCache = { epoch, text };
    }
    family(F.lineageEdge, this.edgeCache.text);
    family(F.datasetInfo, lineage.identities().map((i) => sample(F.datasetInfo.name, labels([['dataset', i.dataset], ['namespace', i.namespace], ['name', i.name]]), 1)).join(''));
    const coverage = lineage.coverage();
    family(F.pipelineCoverage, coverage.pipeline === undefined ? '' : sample(F.pipelineCoverage.name, '', coverage.pipeline));
    family(F.lineageCoverage, coverage.lineage === undefined ? '' : sample(F.lineageCoverage.name, '', coverage.lineage));
    const counts = lineage.eventCounts();
    let events = '';
    for (const type of lineage.eventTypes) for (const result of LINEAGE_RESULTS) events += sample(F.lineageEvents.name, labels([['type', type], ['result', result]]), counts.get(`${type}${SEP}${result}`) ?? 0);
    family(F.lineageEvents, events);
    const pending = lineage.forwardPending();
    family(F.forwardPending, pending === undefined ? '' : sample(F.forwardPending.name, '', pending));
    family(F.jobBlocked, lineage.jobs().map((j) => sample(F.jobBlocked.name, labels([['namespace', j.namespace], ['pipeline', j.name]]), j.blocked ? 1 : 0)).join(''));
  }

  /** Renders for a scraper: OpenMetrics when its Accept header asks for it, else the text format. */
  async render(accept: string | undefined): Promise<{ contentType: string; body: string }> {
    const format: ExpositionFormat = accept && /application\/openmetrics-text/.test(accept) ? 'openmetrics' : 'prometheus';
    // Taken once: every family of this scrape describes the same moment.
    const ours = this.families(this.source.snapshot(), this.source.now(), format);
    const process = (await this.registries[format].metrics()).replace(/# EOF\n?$/, '');
    const body = format === 'openmetrics' ? `${ours}${process}# EOF\n` : `${ours}\n${process}`;
    return { contentType: CONTENT_TYPE[format], body };
  }
}
