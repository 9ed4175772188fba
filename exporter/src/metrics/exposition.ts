/**
 * The Prometheus text format (0.0.4) and OpenMetrics 1.0, written directly. Our label sets are
 * known and bounded, so formatting them ourselves (as OpenTelemetry's Prometheus exporter does)
 * lets the exporter cache each dataset's lines between scans instead of rebuilding tens of
 * thousands of label objects on every scrape. Pure.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics';
export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family {
  name: string;
  help: string;
  type: MetricType;
}

export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `{dataset="a",check="b"}` from name/value pairs; empty for none. */
export function labels(pairs: readonly (readonly [string, string])[]): string {
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function sample(name: string, labelText: string, value: number): string {
  return `${name}${labelText} ${formatNumber(value)}\n`;
}

/**
 * `# HELP` and `# TYPE` lines. OpenMetrics names a counter family without `_total` (its samples
 * keep it); the text format names the family after its samples.
 */
export function header(f: Family, format: ExpositionFormat): string {
  const name = format === 'openmetrics' && f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
  return `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`;
}

/** Bucket, sum and count lines of one histogram series, `le` last as prom-client writes it. */
export function histogramLines(name: string, pairs: readonly (readonly [string, string])[], bounds: readonly number[], cumulative: readonly number[], sum: number, count: number): string {
  let out = '';
  for (let i = 0; i < bounds.length; i++) out += sample(`${name}_bucket`, labels([...pairs, ['le', formatNumber(bounds[i]!)]]), cumulative[i]!);
  out += sample(`${name}_bucket`, labels([...pairs, ['le', '+Inf']]), count);
  out += sample(`${name}_sum`, labels(pairs), sum);
  out += sample(`${name}_count`, labels(pairs), count);
  return out;
}
