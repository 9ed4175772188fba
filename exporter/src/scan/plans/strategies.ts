import type { Relation } from '../../sources/dialect';

/**
 * The ways a dataset's metrics can be computed besides the one single-pass aggregate. Every
 * strategy returns exactly the values of the single pass (scan/plans/plans.test.ts proves it on
 * the semantic fixtures); they differ only in what they cost on a given engine.
 */
export interface Strategies {
  /** Row counts, NULL counts, min/max answered from exact file statistics (Parquet footers). */
  metadata: boolean;
  /** Counts with a condition run as `SELECT count(*) … WHERE cond`, all in one UNION ALL statement. */
  splitCounts: boolean;
  /** Percentiles (ordered-set aggregates) in their own queries, out of the main aggregate. */
  ownPercentiles: boolean;
  /** Costly one-column conditions (regex, casts) evaluated once per distinct value of a low-cardinality column. */
  groupedConditions: boolean;
  /** How duplicates are counted: by hashing every key, or by sorting them (`auto`: from statistics). */
  duplicates: 'hash' | 'sort' | 'auto';
  /** Independent queries run at once on extra connections that share the scan's snapshot. */
  concurrent: boolean;
  /** Failed-row samples of a dataset fetched in one statement (duplicates with their count). */
  batchSamples: boolean;
  /**
   * The main aggregate split in two statements over different columns, to run at once: DuckDB
   * reads a Parquet row group on one thread, so one statement over a few row groups uses one core.
   */
  columnGroups: boolean;
}

/** The one-aggregate plan the engine started with: the reference every other plan must match. */
export const SINGLE_PASS: Strategies = {
  metadata: false,
  splitCounts: false,
  ownPercentiles: false,
  groupedConditions: false,
  duplicates: 'hash',
  concurrent: false,
  batchSamples: false,
  columnGroups: false,
};

/** Forcing strategies on or off (tests and the benchmark); unset ones follow the engine's rules. */
export type PlanOverrides = Partial<Strategies>;

/**
 * The engine's rules, per engine and relation kind. Each departure from the single pass is
 * there because `npm run bench` measured it faster on that engine (bench/results/README.md):
 *
 * - Parquet (DuckDB): the single pass reads and decodes every column it names for every row.
 *   A `WHERE` count lets DuckDB skip row groups by their statistics and evaluate the condition
 *   once per dictionary entry, and a footer answers row/NULL counts and exact min/max without
 *   reading data. Duplicates of a near-unique key sort faster than they hash.
 * - PostgreSQL: an ordered-set aggregate (percentile) makes the whole aggregate serial; alone,
 *   the rest gets a parallel plan. A regex over a low-cardinality text column costs far less
 *   per distinct value than per row. Each query is one backend, so independent queries overlap
 *   on separate connections (bounded by `pool_size`), in one shared snapshot.
 * - DuckDB tables, CSV and JSON: the single pass (CSV/JSON are parsed again by every query;
 *   DuckDB table statistics are not exact after DELETE/UPDATE).
 *
 * Samples are batched everywhere: fewer statements never cost more.
 */
function defaultStrategies(engine: string, relation: Relation | undefined, samplePercent?: number): Strategies {
  const parquet = engine === 'duckdb' && relation?.kind === 'files' && relation.format === 'parquet';
  if (parquet) return { ...SINGLE_PASS, metadata: !samplePercent, splitCounts: true, duplicates: 'auto', batchSamples: true };
  if (engine === 'postgres') return { ...SINGLE_PASS, ownPercentiles: true, groupedConditions: true, duplicates: 'auto', concurrent: true, batchSamples: true };
  return { ...SINGLE_PASS, batchSamples: true };
}

export function resolveStrategies(engine: string, relation: Relation | undefined, samplePercent: number | undefined, overrides: PlanOverrides | undefined): Strategies {
  return { ...defaultStrategies(engine, relation, samplePercent), ...(overrides ?? {}) };
}
