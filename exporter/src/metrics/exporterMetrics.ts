import { Counter, Gauge, Histogram, type OpenMetricsContentType, Registry } from 'prom-client';
import { activeOverride } from '../breaker/breakerView';
import type { CheckResult, Outcome } from '../scan/result';
import type { ServiceObserver } from '../service/dataTrustService';
import type { LiveSnapshot } from '../service/liveState';

/** What the metrics read at scrape time. */
export interface MetricsSource {
  snapshot(): LiveSnapshot;
  /** Upstream datasets whose open breakers block this one. */
  blockedBy(dataset: string): string[];
  now(): Date;
  version: string;
}

const STATUS: Partial<Record<Outcome, number>> = { pass: 0, warn: 1, fail: 2, error: 3 };
const WINDOWS = [
  ['1d', 'd1'],
  ['7d', 'd7'],
  ['30d', 'd30'],
] as const;
const SEP = '\u0000';
const OUTCOMES: readonly Outcome[] = ['pass', 'warn', 'fail', 'error', 'not_evaluated'];
const DELIVERY_RESULTS = ['success', 'retry', 'failed'] as const;

/** Scan durations span milliseconds (small tables) to many minutes (10M-row files). */
const SCAN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
/** MTTD: the PRD's baseline is hours; the target minutes. */
const MTTD_BUCKETS = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

/** Calls `fn` for every check result of every dataset's latest scan, with its unique label. */
function eachCheck(snap: LiveSnapshot, fn: (dataset: string, check: string, r: CheckResult) => void): void {
  for (const l of snap.latest.values()) {
    const labels = checkLabels(l.results);
    l.results.forEach((r, i) => fn(l.dataset, labels[i]!, r));
  }
}

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

/**
 * The Prometheus metrics. Gauges and counters are computed at scrape time from one snapshot
 * (collect callbacks run synchronously, one after another, before any other event), so a
 * scrape never sees a half-applied scan. Counters live twice, once per exposition format:
 * prom-client renames counters in place when rendering OpenMetrics (its PR #829), which would
 * otherwise strip `_total` from the next Prometheus-format scrape.
 */
export class ExporterMetrics {
  private readonly prometheus = new Registry();
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  readonly scanDuration: Histogram<'dataset'>;
  readonly mttd: Histogram;
  /** The snapshot every collect of the current scrape reads. */
  private frame: { snap: LiveSnapshot; now: Date } | undefined;

  constructor(private readonly source: MetricsSource) {
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const both = [this.prometheus, this.openMetrics];
    const src = source;
    const scrape = () => this.frame ?? { snap: src.snapshot(), now: src.now() };

    new Gauge({
      name: 'datatrust_check_status',
      help: 'Latest outcome of each check: 0 pass, 1 warn, 2 fail, 3 error.',
      labelNames: ['dataset', 'check'],
      registers: both,
      collect() {
        this.reset();
        eachCheck(scrape().snap, (dataset, check, r) => {
          const v = STATUS[r.outcome];
          if (v !== undefined) this.set({ dataset, check }, v);
        });
      },
    });
    new Gauge({
      name: 'datatrust_check_value',
      help: 'Latest measured value of each check (percent metrics 0-100, freshness in seconds).',
      labelNames: ['dataset', 'check'],
      registers: both,
      collect() {
        this.reset();
        eachCheck(scrape().snap, (dataset, check, r) => {
          if (r.value !== null) this.set({ dataset, check }, r.value);
        });
      },
    });
    for (const registry of both) {
      new Counter({
        name: 'datatrust_check_evaluations_total',
        help: 'Check evaluations by outcome, kept across restarts in the state file.',
        labelNames: ['dataset', 'outcome'],
        registers: [registry],
        collect() {
          this.reset();
          const { snap } = scrape();
          // Every series exists from the start at 0, so increase() sees the first evaluation.
          for (const dataset of snap.datasets) for (const outcome of OUTCOMES) this.inc({ dataset, outcome }, 0);
          for (const [key, n] of Object.entries(snap.evaluations)) {
            const [dataset, outcome] = key.split(SEP);
            this.inc({ dataset: dataset!, outcome: outcome! }, n);
          }
        },
      });
      new Counter({
        name: 'datatrust_alert_deliveries_total',
        help: 'Alert delivery attempts by channel and result (success, retry, failed).',
        labelNames: ['channel', 'result'],
        registers: [registry],
        collect() {
          this.reset();
          const { snap } = scrape();
          for (const channel of snap.outboxPending.keys()) for (const result of DELIVERY_RESULTS) this.inc({ channel, result }, 0);
          for (const [key, n] of Object.entries(snap.deliveries)) {
            const [channel, result] = key.split(SEP);
            this.inc({ channel: channel!, result: result! }, n);
          }
        },
      });
    }
    new Gauge({
      name: 'datatrust_check_pass_ratio',
      help: 'Share of evaluated checks that passed over the window (0-1), from stored history.',
      labelNames: ['dataset', 'window'],
      registers: both,
      collect() {
        this.reset();
        for (const [dataset, r] of scrape().snap.passRatios) {
          for (const [window, key] of WINDOWS) if (r[key] !== null) this.set({ dataset, window }, r[key]);
        }
      },
    });
    new Gauge({
      name: 'datatrust_dataset_freshness_seconds',
      help: 'Age of the newest row, from the freshness checks: now minus MAX(column).',
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        const { snap, now } = scrape();
        for (const [dataset, at] of snap.newestDataAt) this.set({ dataset }, (now.getTime() - at) / 1000);
      },
    });
    new Gauge({
      name: 'datatrust_dataset_last_scan_timestamp_seconds',
      help: 'When the latest scan of the dataset finished (Unix time).',
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        for (const l of scrape().snap.latest.values()) this.set({ dataset: l.dataset }, Date.parse(l.finishedAt) / 1000);
      },
    });
    new Gauge({
      name: 'datatrust_dataset_checks',
      help: 'Checks configured for the dataset; 0 is a coverage gap.',
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        for (const [dataset, n] of scrape().snap.checkCounts) this.set({ dataset }, n);
      },
    });
    new Gauge({
      name: 'datatrust_breaker_open',
      help: "1 when the dataset's own breaker is open (its checks failed, or an override forces it), else 0.",
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        const { snap, now } = scrape();
        for (const dataset of snap.datasets) {
          const o = activeOverride(snap.overrides.get(dataset), now);
          const state = o ? o.state : (snap.breakers.get(dataset)?.state ?? 'closed');
          this.set({ dataset }, state === 'open' ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'datatrust_breaker_upstream_blocked',
      help: '1 when an open breaker upstream in the lineage blocks the dataset, else 0.',
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        for (const dataset of scrape().snap.datasets) this.set({ dataset }, src.blockedBy(dataset).length ? 1 : 0);
      },
    });
    new Gauge({
      name: 'datatrust_breaker_overridden',
      help: '1 while a manual override decides the breaker, else 0.',
      labelNames: ['dataset'],
      registers: both,
      collect() {
        this.reset();
        const { snap, now } = scrape();
        for (const dataset of snap.datasets) this.set({ dataset }, activeOverride(snap.overrides.get(dataset), now) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'datatrust_incidents_open',
      help: 'Incidents open now (breakers open on their own checks).',
      registers: both,
      collect() {
        this.set(scrape().snap.openIncidents.size);
      },
    });
    new Gauge({
      name: 'datatrust_scans_running',
      help: 'Dataset scans in progress.',
      registers: both,
      collect() {
        this.set(scrape().snap.scansRunning);
      },
    });
    new Gauge({
      name: 'datatrust_alert_outbox_pending',
      help: 'Alert events waiting for delivery, by channel.',
      labelNames: ['channel'],
      registers: both,
      collect() {
        this.reset();
        for (const [channel, n] of scrape().snap.outboxPending) this.set({ channel }, n);
      },
    });
    new Gauge({
      name: 'datatrust_build_info',
      help: 'Always 1; the labels say which exporter version runs.',
      labelNames: ['version', 'nodejs'],
      registers: both,
    }).set({ version: source.version, nodejs: process.version }, 1);
    this.scanDuration = new Histogram({ name: 'datatrust_scan_duration_seconds', help: 'Duration of dataset scans.', labelNames: ['dataset'], buckets: SCAN_BUCKETS, registers: both });
    this.mttd = new Histogram({ name: 'datatrust_mttd_seconds', help: 'Mean time to detect: first alert delivered minus bad data arrived, per incident.', buckets: MTTD_BUCKETS, registers: both });
  }

  observer(): ServiceObserver {
    return {
      scanFinished: (dataset, seconds) => this.scanDuration.observe({ dataset }, seconds),
      mttd: (seconds) => this.mttd.observe(seconds),
    };
  }

  /** Renders for a scraper: OpenMetrics when its Accept header asks for it, else the text format. */
  async render(accept: string | undefined): Promise<{ contentType: string; body: string }> {
    const registry = accept && /application\/openmetrics-text/.test(accept) ? this.openMetrics : this.prometheus;
    // prom-client calls every collect synchronously before its first await, so all of them
    // read this one frame; a concurrent scrape sets its own frame only after they ran.
    this.frame = { snap: this.source.snapshot(), now: this.source.now() };
    try {
      const body = registry.metrics();
      this.frame = undefined;
      return { contentType: registry.contentType, body: await body };
    } finally {
      this.frame = undefined;
    }
  }
}
