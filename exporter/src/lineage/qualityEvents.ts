import { createHash } from 'node:crypto';
import { isObserved } from '../checks/mode';
import { type IncomingEvent, readEvent } from '../openlineage/readEvents';
import type { CheckResult } from '../scan/result';
import { type DatasetIdentity, PRODUCER, RUN_EVENT_SCHEMA_URL, type RunEvent } from '../openlineage/types';

const ASSERTIONS_SCHEMA = 'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet';
const METRICS_SCHEMA = 'https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet';
const ERROR_SCHEMA = 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet';

/** The job that stands for a dataset's scans in lineage: `datatrust.scan.<dataset>`. */
export const scanJobName = (dataset: string) => `datatrust.scan.${dataset}`;

export interface ScanForLineage {
  scanId: string;
  dataset: string;
  identity: DatasetIdentity;
  startedAt: string;
  finishedAt: string;
  checks: readonly CheckResult[];
  measurements: Readonly<Record<string, number | null>>;
}

/** A scan id is any text; an OpenLineage run id must be a UUID: derive one, stable for the scan. */
export function scanRunId(scanId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(scanId)) return scanId.toLowerCase();
  const h = createHash('sha1').update(scanId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `missing_count(amount)` → metric `missing_count`, column `amount`; undefined for keys with rules or filters. */
function plainMetric(key: string): { metric: string; column?: string; rank?: number } | undefined {
  const m = /^([a-z_]+)(?:\(([^,(){}]+?)(?:, ([\d.]+))?\))?$/.exec(key);
  if (!m) return undefined;
  return { metric: m[1]!, ...(m[2] ? { column: m[2].trim() } : {}), ...(m[3] ? { rank: Number(m[3]) } : {}) };
}

/** Soda's thresholds as the expectation (`fail when > 0; warn when > 10`); an anomaly check's band (`48000–52000 (Monday)`). */
function expected(c: CheckResult): string | undefined {
  const short = (n: number) => String(Number(n.toPrecision(6)));
  if (c.expected) return `${short(c.expected.lower)}–${short(c.expected.upper)}${c.expected.season ? ` (${c.expected.season})` : ''}`;
  const parts = [c.threshold.fail ? `fail ${c.threshold.fail}` : '', c.threshold.warn ? `warn ${c.threshold.warn}` : ''].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

function assertion(c: CheckResult) {
  const column = c.metricKey ? plainMetric(c.metricKey)?.column : undefined;
  // A check with only a warn threshold never fails: its severity is warn, as in Soda. An observed
  // check never blocks a pipeline either: the facet's "failure produces a warning only".
  const severity = c.outcome === 'warn' || (c.threshold.warn && !c.threshold.fail) || isObserved(c) ? 'warn' : 'fail';
  return {
    assertion: c.definition,
    success: c.outcome === 'pass',
    ...(column ? { column } : {}),
    severity,
    name: c.name,
    ...(expected(c) ? { expected: expected(c) } : {}),
    ...(c.measured !== undefined ? { actual: String(c.measured) } : c.value !== null ? { actual: String(c.value) } : c.error ? { actual: `error: ${c.error}` } : {}),
  };
}

/** What the scan measured anyway, as OpenLineage's data quality metrics; no extra queries. */
function metricsFacet(s: ScanForLineage) {
  const columnMetrics: Record<string, { nullCount?: number; count?: number; sum?: number; min?: number; max?: number; quantiles?: Record<string, number> }> = {};
  const col = (name: string) => (columnMetrics[name] ??= {});
  let rowCount: number | undefined;
  for (const [key, value] of Object.entries(s.measurements)) {
    const m = plainMetric(key);
    if (!m || value === null || !Number.isFinite(value)) continue;
    if (m.metric === 'row_count' && !m.column) rowCount = value;
    else if (m.column && m.metric === 'missing_count') col(m.column).nullCount = value;
    else if (m.column && (m.metric === 'sum' || m.metric === 'min' || m.metric === 'max')) col(m.column)[m.metric] = value;
    else if (m.column && m.metric === 'percentile' && m.rank !== undefined) col(m.column).quantiles = { ...col(m.column).quantiles, [String(m.rank)]: value };
  }
  // Values in a column = rows − its NULLs, when the scan measured both.
  for (const c of Object.values(columnMetrics)) if (rowCount !== undefined && c.nullCount !== undefined) c.count = rowCount - c.nullCount;
  const freshness = s.checks.find((c) => c.metricKey?.startsWith('freshness(') && c.value !== null);
  const lastUpdated = freshness ? new Date(Date.parse(s.startedAt) - freshness.value! * 1000).toISOString() : undefined;
  return {
    _producer: PRODUCER,
    _schemaURL: METRICS_SCHEMA,
    ...(rowCount !== undefined && Number.isInteger(rowCount) ? { rowCount } : {}),
    ...(lastUpdated ? { lastUpdated } : {}),
    columnMetrics,
  };
}

/**
 * A scan as OpenLineage sees it: a run of the job `datatrust.scan.<dataset>` that read the
 * dataset, START then COMPLETE (FAIL when no check could be evaluated), the results under the
 * input's `inputFacets` where Marquez reads them: `dataQualityAssertions` (one per check) and
 * `dataQualityMetrics` (what the scan measured).
 */
export function qualityEvents(s: ScanForLineage, namespace: string): [RunEvent, RunEvent] {
  const runId = scanRunId(s.scanId);
  const job = { namespace, name: scanJobName(s.dataset) };
  const evaluated = s.checks.filter((c) => c.outcome !== 'not_evaluated');
  const failed = evaluated.length > 0 && evaluated.every((c) => c.outcome === 'error');
  const base = { producer: PRODUCER, schemaURL: RUN_EVENT_SCHEMA_URL, job };
  const start: RunEvent = { ...base, eventType: 'START', eventTime: s.startedAt, run: { runId }, inputs: [{ namespace: s.identity.namespace, name: s.identity.name }] };
  const end: RunEvent = {
    ...base,
    eventType: failed ? 'FAIL' : 'COMPLETE',
    eventTime: s.finishedAt,
    run: {
      runId,
      ...(failed ? { facets: { errorMessage: { _producer: PRODUCER, _schemaURL: ERROR_SCHEMA, message: evaluated[0]!.error ?? 'no check could be evaluated', programmingLanguage: 'SQL' } } } : {}),
    },
    inputs: [
      {
        namespace: s.identity.namespace,
        name: s.identity.name,
        inputFacets: {
          dataQualityAssertions: { _producer: PRODUCER, _schemaURL: ASSERTIONS_SCHEMA, assertions: evaluated.map(assertion) },
          dataQualityMetrics: metricsFacet(s),
        },
      },
    ],
  };
  return [start, end];
}

/** Our own scan jobs: they read every dataset but build nothing, so they stay out of the graph the breakers walk. */
export function isScanJob(job: { namespace: string; name: string }, namespace: string): boolean {
  return job.namespace === namespace && job.name.startsWith('datatrust.scan.');
}

/** Validated events for a finished scan, ready to store (and to forward to Marquez). */
export function qualityIncoming(s: ScanForLineage, namespace: string): IncomingEvent[] {
  return qualityEvents(s, namespace).map((e) => {
    const read = readEvent(e);
    // Our own events must meet the spec: a failure here is a bug, not bad input.
    if (!read.ok) throw new Error(`scan lineage event breaks the OpenLineage schema: ${read.violations.map((v) => v.message).join('; ')}`);
    return read.incoming;
  });
}
