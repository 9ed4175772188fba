/** A per-dataset metric of the exporter's contract. */
export type MetricRole = 'breaker' | 'upstreamBlocked' | 'passRatio' | 'freshness' | 'checkStatus';

/**
 * What a query's frames are for. `auto` detects by field names and labels; the metric roles let a
 * query whose metric name was lost (e.g. `max by (dataset) (...)` drops `__name__`) still be read.
 */
export type QueryRole = 'auto' | 'edges' | 'marquez' | 'nodes' | 'state' | MetricRole | 'jobBlocked' | 'ignore';

export const QUERY_ROLES: Array<{ value: QueryRole; label: string; description: string }> = [
  { value: 'auto', label: 'Auto-detect', description: 'Decide from field names, labels and metric names' },
  { value: 'edges', label: 'Lineage edges', description: '`source`/`target` fields or `datatrust_lineage_edge_info`' },
  { value: 'marquez', label: 'Marquez lineage', description: 'One row per node of /api/v1/lineage: `id`, `type`, `namespace`, `name`, `inEdges`, `outEdges`' },
  { value: 'nodes', label: 'Node Graph nodes', description: 'Node Graph `nodes` frame (`id`, `title`, `mainstat`…)' },
  { value: 'state', label: 'Dataset state', description: 'Metrics keyed by `dataset`, recognised by name' },
  { value: 'breaker', label: 'Breaker open', description: 'Values are `datatrust_breaker_open`' },
  { value: 'upstreamBlocked', label: 'Blocked upstream', description: 'Values are `datatrust_breaker_upstream_blocked`' },
  { value: 'passRatio', label: 'Check pass ratio', description: 'Values are `datatrust_check_pass_ratio`' },
  { value: 'freshness', label: 'Freshness (s)', description: 'Values are `datatrust_dataset_freshness_seconds`' },
  { value: 'checkStatus', label: 'Check status', description: 'Values are `datatrust_check_status`' },
  { value: 'jobBlocked', label: 'Job blocked', description: 'Values are `datatrust_job_blocked` (labels `namespace`, `pipeline`)' },
  { value: 'ignore', label: 'Ignore', description: 'Not used by this panel' },
];

export const METRIC_ROLES: readonly MetricRole[] = ['breaker', 'upstreamBlocked', 'passRatio', 'freshness', 'checkStatus'];

export function isMetricRole(role: QueryRole): role is MetricRole {
  return (METRIC_ROLES as readonly string[]).includes(role);
}

const NAME_TO_ROLE: Record<string, MetricRole | 'edges' | 'jobBlocked'> = {
  breaker: 'breaker',
  breaker_open: 'breaker',
  breaker_upstream_blocked: 'upstreamBlocked',
  upstream_blocked: 'upstreamBlocked',
  job_blocked: 'jobBlocked',
  check_pass_ratio: 'passRatio',
  pass_ratio: 'passRatio',
  dataset_freshness_seconds: 'freshness',
  freshness_seconds: 'freshness',
  freshness: 'freshness',
  check_status: 'checkStatus',
  lineage_edge_info: 'edges',
  lineage_edges: 'edges',
  edges: 'edges',
};

/**
 * Recognises the exporter's metric names, with or without the `datatrust_` prefix and with Node
 * Graph's `detail__` prefix, so table columns like `breaker_open` work too. The same names serve
 * as a default for refIds: a query called `breaker_open` or `freshness` needs no role option.
 */
export function roleOfMetricName(name: string): MetricRole | 'edges' | 'jobBlocked' | undefined {
  const normalised = name.trim().toLowerCase().replace(/^detail__/, '').replace(/^datatrust_/, '');
  return NAME_TO_ROLE[normalised];
}
