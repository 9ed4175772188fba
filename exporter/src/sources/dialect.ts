import type { FileFormat } from '../config/types';

/** A dataset's relation before rendering: a catalog table, or files read by DuckDB. */
export type Relation = { kind: 'table'; parts: string[]; quoted: boolean[] } | { kind: 'files'; path: string; format: FileFormat };

/**
 * The SQL differences between engines. Everything else the planner writes is standard SQL
 * (aggregate FILTER clauses, CTEs, EXISTS), which Trino and Spark SQL accept too; a new engine
 * implements this interface and a Source.
 */
export interface Dialect {
  readonly name: string;
  quote(identifier: string): string;
  /** A string literal. */
  string(value: string): string;
  number(value: number): string;
  /** Cast any value to text, for regex and length rules. */
  toText(expr: string): string;
  /** Partial (search) regex match, as SodaCL's `regex` keys mean it. */
  regexMatch(expr: string, pattern: string): string;
  length(expr: string): string;
  /** Replaces every match of `pattern` in a text expression. */
  regexReplaceAll(expr: string, pattern: string, replacement: string): string;
  /** Text to number without failing on garbage (NULL instead). */
  textToNumber(expr: string): string;
  /** Text to timestamp without failing on garbage (NULL instead). */
  textToTimestamp(expr: string): string;
  /** Seconds since the epoch of a date/timestamp expression (timestamps without zone are UTC). */
  epochSeconds(expr: string): string;
  percentile(expr: string, rank: number, filter?: string): string;
  /** `AGG FILTER (WHERE cond)` when cond is set. */
  filtered(aggregate: string, condition?: string): string;
  /**
   * A SELECT telling the planner, for the rest of the transaction, that shipping rows from
   * parallel workers is free: for a statement known to return few rows whose estimate is many.
   */
  readonly parallelForFewRows?: string;
  /** The FROM item for a relation, optionally aliased and sampled (the alias comes before TABLESAMPLE). */
  from(relation: Relation, samplePercent?: number, alias?: string): string;
}
