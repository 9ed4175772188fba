/**
 * The lineage graph the panel draws: datasets as nodes, "feeds into" as edges, each dataset carrying
 * the quality signals read from the query results. Everything here is plain data so the traversal,
 * status and layout logic can be tested without Grafana or a browser.
 */

/** Colour-driving state of a dataset, most severe first. */
export type QualityState = 'failed' | 'blocked' | 'warn' | 'ok' | 'unknown';

/** A dataset's state from its own signals only; `blocked` can only come from the graph. */
export type OwnState = Exclude<QualityState, 'blocked'>;

/** `datatrust_check_status` values: 0 pass, 1 warn, 2 fail, 3 error. */
export type CheckOutcome = 'pass' | 'warn' | 'fail' | 'error';

export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  /** Epoch ms since which the check has had this outcome, when the data shows a transition. */
  sinceMs?: number;
}

/** Everything the queries told us about one dataset. Absent means "not in the data". */
export interface DatasetSignals {
  breakerOpen?: boolean;
  /**
   * The `cause` label on `datatrust_breaker_open`, when the exporter says the breaker is open because
   * of an upstream dataset rather than the dataset's own checks.
   */
  breakerCause?: string;
  /** `datatrust_check_pass_ratio` by its `window` label (e.g. `1d`); Node Graph arcs use `arc`. */
  passRatio: Record<string, number>;
  freshnessSeconds?: number;
  checks: CheckResult[];
  /** Epoch ms since which the breaker has been in its current position, when known. */
  sinceMs?: number;
  /**
   * `datatrust_breaker_upstream_blocked`: the exporter says an upstream breaker blocks this dataset,
   * which a depth-limited lineage query may not show.
   */
  upstreamBlocked?: boolean;
  /** True when `sinceMs` is only the start of the data we saw, not an observed transition. */
  sinceIsLowerBound?: boolean;
  /** String labels and fields seen for the dataset (e.g. Node Graph `title`, `detail__owner`). */
  attributes: Record<string, string>;
}

export interface DatasetNode {
  id: string;
  label: string;
  signals: DatasetSignals;
  ownState: OwnState;
  state: QualityState;
  /** True when an open breaker here stops data flowing downstream. */
  blocksDownstream: boolean;
  /** Upstream datasets whose open breaker blocks this one, nearest first. */
  blockingAncestors: string[];
  /** The most upstream of `blockingAncestors`: where to start fixing. */
  rootCauses: string[];
  /** The dataset's OpenLineage identity, when it came from a Marquez lineage frame. */
  lineage?: LineageIdentity;
}

/** Where a dataset or job lives in Marquez: `{namespace, name}` and its lineage node id. */
export interface LineageIdentity {
  namespace: string;
  name: string;
  /** `dataset:<namespace>:<name>` or `job:<namespace>:<name>`, as Marquez's lineage API names it. */
  nodeId: string;
}

/**
 * A pipeline (OpenLineage job) between datasets. From Marquez lineage it keeps its own inputs and
 * outputs, so a job that only writes (an ingest) or only reads (a report) is drawn too; from
 * `pipeline` labels on dataset edges it is the union of those edges' ends.
 */
export interface JobNode {
  /** Drawing id: the Marquez node id, or `pipeline:<name>` for pipelines named on edges. */
  id: string;
  label: string;
  inputs: string[];
  outputs: string[];
  lineage?: LineageIdentity;
  /** The exporter's `datatrust_job_blocked` said so, whatever this graph shows. */
  blockedByMetric?: boolean;
  /** The job's gate would refuse it: an input is open or blocked (or the metric says so). */
  blocked: boolean;
  /** Input datasets that are failed or blocked, i.e. why the job is blocked. */
  blockingInputs: string[];
}

export interface LineageEdge {
  /** Stable id `source->target`; duplicate edges from several frames collapse into one. */
  id: string;
  source: string;
  target: string;
  /** Pipelines (OpenLineage jobs) that move data along this edge, sorted, without duplicates. */
  pipelines: string[];
}

export interface LineageGraph {
  nodes: Map<string, DatasetNode>;
  edges: LineageEdge[];
  jobs: JobNode[];
}

/** Drawing id prefix of pipelines known only by name (a `pipeline` label on dataset edges). */
export const PIPELINE_PREFIX = 'pipeline:';

export function emptySignals(): DatasetSignals {
  return { passRatio: {}, checks: [], attributes: {} };
}

export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}
