import { mergeRules, withoutOutlierRules } from '../checks/columnRules';
import { metricInfo } from '../checks/metrics';
import type { Check, ColumnRules, MetricRef } from '../checks/model';
import type { Dialect } from '../sources/dialect';
import { normaliseType } from '../sources/typeCategory';
import type { ColumnInfo, DescribedRelation, QueryKind } from '../sources/source';
import { AggregateQuery, type NumericFn } from './aggregateQuery';
import { resolveColumn } from './columnResolver';
import { countCondition, type CountMetric, metricValues } from './columnMetrics';
import { and, RuleError } from './conditions';
import { outlierSql } from './outlierSql';
import { substituteVariables, undefinedVariablesMessage } from '../checks/variables';

/** How one metric value is obtained. */
export type Compute =
  | { type: 'aggregate'; alias: string }
  /** count × 100 / total, both from the aggregate query (Soda's percent metrics). */
  | { type: 'percent'; countAlias: string; totalAlias: string }
  /**
   * The reference time (variable `now`, `NOW` unless `freshness(col, VAR)`) − epoch seconds from
   * the aggregate query. `endOfDay`: a DATE column's newest day counts until its last instant, as in Soda.
   */
  | { type: 'freshness'; alias: string; now: string; endOfDay?: boolean }
  /** First cell of a separate query. */
  | { type: 'query'; kind: QueryKind; sql: string; duplicates?: DuplicateSpec }
  /** separate count × 100 / aggregate total (duplicate_percent). */
  | { type: 'query_percent'; kind: QueryKind; sql: string; totalAlias: string; duplicates?: DuplicateSpec }
  /** this row count − the other dataset's (run by the executor, maybe on another source). */
  | { type: 'row_count_diff'; alias: string; other: string; otherSource?: string; otherWhere?: string }
  | { type: 'schema' };

/** A duplicates metric, for plans that compute it another way than `sql` (scan/plans/duplicatesSql.ts). */
export interface DuplicateSpec {
  /** Quoted key columns. */
  columns: string[];
  from: string;
  /** Rows considered: the dataset and check filters and every key column NOT NULL. */
  where: string;
}

/** Failing rows as a condition on the dataset's own rows, so samples of several checks can share a statement. */
export interface RowSampleSpec {
  /** FROM item, aliased when `columns` use the alias. */
  from: string;
  where: string;
  /** SELECT expressions, and the column names they output. */
  columns: string[];
  names: string[];
  /** The aggregate count of exactly these failing rows, when there is one. */
  countAlias?: string;
}

/** A row-level check's failed-row samples: as SQL, and as a condition for batching. */
interface Samples {
  samplesSql: (limit: number) => string;
  sampleSpec?: RowSampleSpec;
}

export interface PlannedCheck {
  check: Check;
  compute?: Compute;
  /** `change`/`anomaly`: the value is derived from this metric's history. */
  history?: { kind: 'change' | 'anomaly'; metricKey: string };
  /** Canonical identity of the measured metric, for history. */
  metricKey?: string;
  /** SQL returning failing rows, run only when the check does not pass. */
  samplesSql?: (limit: number) => string;
  /** The same samples as a row condition, for batching. */
  sampleSpec?: RowSampleSpec;
  /** Set when the check cannot run; reported as its `error`. */
  error?: string;
  /** Said in the result whatever the outcome (e.g. why an `invalid_count` is 0). */
  note?: string;
}

export interface DatasetPlan {
  aggregate: AggregateQuery;
  /** Dataset-level WHERE (datatrust.yml `filter:`), applied to every query. */
  where?: string;
  from: string;
  checks: PlannedCheck[];
}

export interface PlanInput {
  dataset: string;
  dialect: Dialect;
  described: DescribedRelation;
  checks: readonly Check[];
  /** `configurations for` rules of this dataset, by column name. */
  configurations: Record<string, ColumnRules>;
  /** Dataset-level filter from datatrust.yml. */
  datasetFilter?: string;
  variables: Record<string, string>;
  /** Partition filters (`filter X [p]: where:`) by check id. */
  partitionFilters: Record<string, string>;
  /** Other datasets of the same source, described, for reference checks. */
  others: Record<string, DescribedRelation | { error: string }>;
  /** The dataset's `sample:` percentage, for queries that must alias the relation. */
  samplePercent?: number;
}

const NUMERIC_SQL: Record<string, string> = {
  avg: 'AVG',
  min: 'MIN',
  max: 'MAX',
  sum: 'SUM',
  stddev: 'STDDEV_SAMP',
  stddev_pop: 'STDDEV_POP',
  stddev_samp: 'STDDEV_SAMP',
  variance: 'VAR_SAMP',
  var_pop: 'VAR_POP',
  var_samp: 'VAR_SAMP',
};
const LENGTH_SQL: Record<string, string> = { avg_length: 'AVG', min_length: 'MIN', max_length: 'MAX' };
const MAX_SAMPLE_COLUMNS = 50;

/** Canonical metric identity: `missing_count(user_id)`, `row_count where <filter>`. */
export function metricKeyOf(ref: MetricRef, filter: string | undefined): string {
  const extra = ref.rank !== undefined ? `, ${ref.rank}` : ref.nowVariable !== undefined ? `, ${ref.nowVariable}` : '';
  const args = ref.columns.length ? `(${ref.columns.join(', ')}${extra})` : '';
  const rules = Object.keys(ref.rules).length ? ` ${JSON.stringify(ref.rules)}` : '';
  return `${ref.metric}${args}${rules}${filter ? ` where ${filter}` : ''}`;
}

class Planner {
  readonly aggregate = new AggregateQuery();
  readonly d: Dialect;
  readonly from: string;
  readonly where?: string;

  constructor(readonly input: PlanInput) {
    this.d = input.dialect;
    this.from = input.described.fromSql;
    const datasetFilter = input.datasetFilter ? this.sql(input.datasetFilter, 'the dataset filter') : undefined;
    if (datasetFilter) this.where = datasetFilter;
  }

  /** Substitutes scan variables into user SQL; a missing variable fails the check. */
  sql(text: string, what: string): string {
    const r = substituteVariables(text, this.input.variables);
    if (r.missing.length) throw new RuleError(undefinedVariablesMessage(what, r.missing));
    return r.text;
  }

  column(name: string): ColumnInfo {
    return resolveColumn(name, this.input.described.columns, this.input.dataset);
  }

  /** The check's own filter AND its partition filter. */
  checkFilter(check: Check): string | undefined {
    const partition = this.input.partitionFilters[check.id];
    return and(partition ? this.sql(partition, 'the partition filter') : undefined, check.filter ? this.sql(check.filter, '`filter`') : undefined);
  }

  rowCount(filter: string | undefined): string {
    return this.aggregate.add(this.d.filtered('COUNT(*)', filter), { fn: 'count', ...(filter ? { filter } : {}) });
  }

  /**
   * A sample's columns: the check's own, then `samples columns:` when given, else the columns
   * its condition names and the dataset's first column (usually its key). Never every column:
   * on columnar files each extra column is decoded for the sample (bench/results/README.md).
   */
  sampleColumnList(check: Check, preferred: ColumnInfo[], condition = ''): ColumnInfo[] {
    const all = this.input.described.columns;
    const extra = check.samplesColumns?.length ? check.samplesColumns.map((c) => this.column(c)) : [...namedColumns(all, condition), ...all.slice(0, 1)];
    const out: ColumnInfo[] = [];
    for (const c of [...preferred, ...extra]) if (!out.includes(c)) out.push(c);
    return out.slice(0, MAX_SAMPLE_COLUMNS);
  }

  rowSamples(check: Check, preferred: ColumnInfo[], condition: string, countAlias?: string): Samples {
    const where = and(this.where, condition)!;
    const list = this.sampleColumnList(check, preferred, condition);
    const columns = list.map((c) => this.d.quote(c.name));
    const cols = columns.join(', ');
    const sampleSpec: RowSampleSpec = { from: this.from, where, columns, names: list.map((c) => c.name), ...(countAlias ? { countAlias } : {}) };
    return { samplesSql: (limit) => `SELECT ${cols} FROM ${this.from} WHERE ${where} LIMIT ${limit}`, sampleSpec };
  }

  /** Samples from a user query's rows: `samples columns` picks among its columns. */
  failedRowsSamples(check: Check, sql: string): (limit: number) => string {
    const cols = check.samplesColumns?.length ? check.samplesColumns.map((c) => this.d.quote(c.replace(/^"|"$/g, ''))).join(', ') : '*';
    return (limit) => `SELECT ${cols} FROM (${sql}) AS failed_rows LIMIT ${limit}`;
  }

  /** The check's keys merged over its column's `configurations for` entry (exact name first, then case-insensitive). */
  rulesFor(ref: MetricRef, col: ColumnInfo): ColumnRules {
    const configured = this.input.configurations;
    const name = Object.keys(configured).find((k) => k === col.name) ?? Object.keys(configured).find((k) => k === ref.columns[0]) ?? Object.keys(configured).find((k) => k.replace(/^"|"$/g, '').toLowerCase() === col.name.toLowerCase());
    const merged = mergeRules(ref.rules, name === undefined ? undefined : configured[name]);
    // A configured `outlier k for col` is no rule of `avg(col)`: it must not change its value or history key.
    return metricInfo(ref.metric).family === 'outlier' ? merged : withoutOutlierRules(merged);
  }

  /** Plans a built-in metric; returns how to compute it and, for row-level metrics, the failing-row condition. */
  metric(check: Check, ref: MetricRef, filter: string | undefined): { compute: Compute; samples?: Samples; rules?: ColumnRules; note?: string } {
    const info = metricInfo(ref.metric);
    const d = this.d;
    switch (info.family) {
      case 'row_count':
        return { compute: { type: 'aggregate', alias: this.rowCount(filter) } };
      case 'missing':
      case 'validity': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const count = ref.metric.replace('_percent', '_count') as CountMetric;
        const c = countCondition(d, col, count, rules);
        const isNull = c.condition === `${d.quote(col.name)} IS NULL`;
        const costly = isCostly(rules, col);
        const spec = { fn: 'count' as const, condition: c.condition, column: col, ...(isNull ? { isNull } : {}), ...(costly ? { costly } : {}), ...(filter ? { filter } : {}) };
        const countAlias = this.aggregate.add(d.filtered('COUNT(*)', and(filter, c.condition)), spec);
        const compute: Compute = info.percentOf ? { type: 'percent', countAlias, totalAlias: this.rowCount(filter) } : { type: 'aggregate', alias: countAlias };
        // The failing rows are the counted ones (missing, invalid), or their complement (valid).
        const counted = c.failing === c.condition ? countAlias : undefined;
        return { compute, rules, ...(c.failing ? { samples: this.rowSamples(check, [col], and(filter, c.failing)!, counted) } : {}), ...(c.note ? { note: c.note } : {}) };
      }
      case 'numeric': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const values = metricValues(d, col, rules, ref.metric, 'number');
        const fn = NUMERIC_SQL[ref.metric]!.toLowerCase() as NumericFn;
        const spec = { fn, arg: values, valuesOf: col, ...(values === d.quote(col.name) ? { column: col } : {}), ...(filter ? { filter } : {}) };
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.filtered(`${NUMERIC_SQL[ref.metric]}(${values})`, filter), spec) }, rules };
      }
      case 'length': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const values = metricValues(d, col, rules, ref.metric, 'text');
        const arg = d.length(d.toText(values));
        const spec = { fn: LENGTH_SQL[ref.metric]!.toLowerCase() as NumericFn, arg, ...(filter ? { filter } : {}) };
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.filtered(`${LENGTH_SQL[ref.metric]}(${arg})`, filter), spec) }, rules };
      }
      case 'percentile': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const arg = metricValues(d, col, rules, ref.metric, 'number');
        const spec = { fn: 'percentile' as const, arg, rank: ref.rank!, ...(filter ? { filter } : {}), ...(check.incremental === 'sketch' ? { sketch: true } : {}) };
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.percentile(arg, ref.rank!, filter), spec) }, rules };
      }
      case 'freshness': {
        const col = this.column(ref.columns[0]!);
        let expr: string;
        if (col.category === 'temporal') expr = d.quote(col.name);
        else if (col.category === 'text') expr = d.textToTimestamp(d.quote(col.name));
        else throw new RuleError(`\`freshness\` needs a date or timestamp column; \`${col.name}\` is ${col.type}`);
        const endOfDay = normaliseType(col.type) === 'date';
        const spec = { fn: 'max_epoch' as const, arg: expr, ...(col.category === 'temporal' ? { column: col } : {}), ...(filter ? { filter } : {}) };
        return { compute: { type: 'freshness', alias: this.aggregate.add(d.epochSeconds(d.filtered(`MAX(${expr})`, filter)), spec), now: ref.nowVariable ?? 'NOW', ...(endOfDay ? { endOfDay } : {}) } };
      }
      case 'outlier': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const value = metricValues(d, col, rules, ref.metric, 'number');
        const sql = outlierSql({ d, from: this.from, where: and(this.where, filter), value, method: rules.outlierMethod ?? 'median_mad', k: rules.outlierK ?? 3 });
        const compute: Compute = info.percentOf ? { type: 'query_percent', kind: 'outliers', sql: sql.countSql, totalAlias: this.rowCount(filter) } : { type: 'query', kind: 'outliers', sql: sql.countSql };
        const columns = this.sampleColumnList(check, [col]).map((c) => d.quote(c.name)).join(', ');
        return { compute, rules, samples: { samplesSql: (limit) => sql.samplesSql(columns, limit) } };
      }
      case 'duplicate': {
        const cols = ref.columns.map((c) => this.column(c));
        const list = cols.map((c) => d.quote(c.name)).join(', ');
        const where = and(this.where, filter, ...cols.map((c) => `${d.quote(c.name)} IS NOT NULL`));
        const body = `FROM ${this.from} WHERE ${where} GROUP BY ${list}`;
        // Soda's definition: the number of distinct value combinations that occur more than once.
        const sql = `WITH frequencies AS (SELECT COUNT(*) AS frequency ${body}) SELECT COUNT(*) FROM frequencies WHERE frequency > 1`;
        const duplicates: DuplicateSpec = { columns: cols.map((c) => d.quote(c.name)), from: this.from, where: where! };
        const compute: Compute = info.percentOf ? { type: 'query_percent', kind: 'duplicates', sql, totalAlias: this.rowCount(filter), duplicates } : { type: 'query', kind: 'duplicates', sql, duplicates };
        return { compute, samples: { samplesSql: (limit) => `SELECT ${list}, COUNT(*) AS frequency ${body} HAVING COUNT(*) > 1 ORDER BY frequency DESC LIMIT ${limit}` } };
      }
    }
  }

  plan(check: Check): PlannedCheck {
    const spec = check.spec;
    if (spec.kind === 'invalid') return { check, error: spec.error };
    const filter = this.checkFilter(check);
    const d = this.d;
    switch (spec.kind) {
      case 'metric': {
        const m = this.metric(check, spec.ref, filter);
        return { check, compute: m.compute, metricKey: metricKeyOf({ ...spec.ref, rules: m.rules ?? spec.ref.rules }, filter), ...(m.samples ?? {}), ...(m.note ? { note: m.note } : {}) };
      }
      case 'change':
      case 'anomaly': {
        const m = this.metric(check, spec.of, filter);
        const metricKey = metricKeyOf({ ...spec.of, rules: m.rules ?? spec.of.rules }, filter);
        return { check, compute: m.compute, metricKey, history: { kind: spec.kind, metricKey } };
      }
      case 'schema':
        return { check, compute: { type: 'schema' } };
      case 'user_metric': {
        // `ones(col)`: the column must exist; the metric's identity includes it.
        const cols = (spec.columns ?? []).map((c) => this.column(c).name);
        const key = `${spec.metricName}${cols.length ? `(${cols.join(', ')})` : ''}${filter ? ` where ${filter}` : ''}`;
        const failedRows = spec.failedRowsQuery !== undefined ? this.failedRowsSamples(check, selectOnly(trimSql(this.sql(spec.failedRowsQuery, 'the failed rows query')), 'the failed rows query')) : undefined;
        const planned = (p: PlannedCheck): PlannedCheck => (failedRows ? { ...p, samplesSql: failedRows } : p);
        if (spec.query !== undefined) return planned({ check, metricKey: key, compute: { type: 'query', kind: 'user', sql: trimSql(this.sql(spec.query, 'the metric query')) } });
        const expr = this.sql(spec.expression!, 'the metric expression');
        if (filter) {
          // A FILTER clause cannot wrap an arbitrary expression: filtered expressions get their own query.
          return planned({ check, metricKey: key, compute: { type: 'query', kind: 'user', sql: `SELECT ${expr} FROM ${this.from} WHERE ${and(this.where, filter)}` } });
        }
        return planned({ check, metricKey: key, compute: { type: 'aggregate', alias: this.aggregate.add(`(${expr})`) } });
      }
      case 'failed_rows': {
        if (spec.query !== undefined) {
          const sql = selectOnly(trimSql(this.sql(spec.query, 'the fail query')), 'the fail query');
          return {
            check,
            compute: { type: 'query', kind: 'failed_rows', sql: `SELECT COUNT(*) FROM (${sql}) AS failed_rows` },
            samplesSql: this.failedRowsSamples(check, sql),
          };
        }
        const condition = `(${this.sql(spec.condition!, 'the fail condition')})`;
        const alias = this.aggregate.add(d.filtered('COUNT(*)', and(filter, condition)), { fn: 'count', condition, ...(filter ? { filter } : {}) });
        return { check, compute: { type: 'aggregate', alias }, ...this.rowSamples(check, [], and(filter, condition)!, alias) };
      }
      case 'reference': {
        const other = this.input.others[spec.other];
        if (!other) throw new RuleError(`referenced dataset \`${spec.other}\` was not described`);
        if ('error' in other) throw new RuleError(other.error);
        const cols = spec.columns.map((c) => this.column(c));
        const otherCols = spec.otherColumns.map((c) => resolveColumn(c, other.columns, spec.other));
        const match = cols.map((c, i) => `o.${d.quote(otherCols[i]!.name)} = s.${d.quote(c.name)}`).join(' AND ');
        const exists = `${spec.mustNotExist ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${other.fromSql} AS o WHERE ${match})`;
        // Soda Core: a row is checked when ANY listed column is non-NULL (a NULL never matches, so a
        // half-filled key fails `must exist`); only all-NULL keys are skipped.
        const anyNotNull = cols.map((c) => `s.${d.quote(c.name)} IS NOT NULL`).join(' OR ');
        const where = and(this.where, filter, anyNotNull, exists);
        const sampleList = this.sampleColumnList(check, cols, filter ?? '');
        const sampleColumns = sampleList.map((c) => `s.${d.quote(c.name)}`);
        const fromS = d.from(this.input.described.resolved, this.input.samplePercent, 's');
        return {
          check,
          compute: { type: 'query', kind: 'reference', sql: `SELECT COUNT(*) FROM ${fromS} WHERE ${where}` },
          samplesSql: (limit) => `SELECT ${sampleColumns.join(', ')} FROM ${fromS} WHERE ${where} LIMIT ${limit}`,
          sampleSpec: { from: fromS, where: where!, columns: sampleColumns, names: sampleList.map((c) => c.name) },
        };
      }
      case 'row_count_same_as':
        return {
          check,
          compute: {
            type: 'row_count_diff',
            alias: this.rowCount(filter),
            other: spec.other,
            ...(spec.otherSource ? { otherSource: spec.otherSource } : {}),
            ...(spec.otherWhere ? { otherWhere: this.sql(spec.otherWhere, `the partition filter of \`${spec.other}\``) } : {}),
          },
        };
    }
  }
}

/** Soda's `identity:` keeps a check's metric history across edits of its definition: history is keyed by it. */
function withIdentity(p: PlannedCheck): PlannedCheck {
  const identity = p.check.identity;
  if (identity === undefined || p.metricKey === undefined) return p;
  const metricKey = `identity:${identity}`;
  return { ...p, metricKey, ...(p.history ? { history: { ...p.history, metricKey } } : {}) };
}

/** Rules that cost more than a comparison per row: regular expressions and casts of text. */
function isCostly(rules: ColumnRules, col: ColumnInfo): boolean {
  const regex = [rules.validRegex, rules.invalidRegex, rules.validFormat, rules.invalidFormat, rules.missingRegex, rules.missingFormat].some((r) => r !== undefined);
  return regex || (col.category === 'text' && (rules.validMin !== undefined || rules.validMax !== undefined));
}

/** Columns whose names appear as identifiers in `sql` (a condition), in table order. */
function namedColumns(columns: readonly ColumnInfo[], sql: string): ColumnInfo[] {
  if (!sql) return [];
  return columns.filter((c) => {
    const name = c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^A-Za-z0-9_$])${name}($|[^A-Za-z0-9_$])`, 'i').test(sql);
  });
}

/** User SQL often ends with `;`, which would break wrapping it in a subquery. */
function trimSql(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}

/**
 * A fail query is wrapped in `SELECT COUNT(*) FROM (…)`, so the source's own SELECT-only guard
 * never sees a `DELETE …` in it: the database would only report a puzzling syntax error. Refuse
 * it by name here. (The read-only session still stops anything that slips past this.)
 */
function selectOnly(sql: string, what: string): string {
  const keyword = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(sql)?.[1]?.toLowerCase();
  if (keyword !== 'select' && keyword !== 'with') throw new RuleError(`${what} must be a single SELECT; refused a statement starting with \`${keyword ?? sql.slice(0, 20)}\``);
  return sql;
}

/**
 * Compiles a dataset's checks into as few queries as possible: every aggregate metric goes into
 * one single-pass SELECT; only duplicates, references, user queries and samples get their own.
 * Pure: it reads the described relation and writes SQL, nothing else.
 */
export function planDataset(input: PlanInput): DatasetPlan {
  let planner: Planner;
  try {
    planner = new Planner(input);
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    const error = e.message;
    return { aggregate: new AggregateQuery(), from: input.described.fromSql, checks: input.checks.map((check) => ({ check, error })) };
  }
  const checks = input.checks.map((check) => {
    try {
      return withIdentity(planner.plan(check));
    } catch (e) {
      if (e instanceof Error && (e.name === 'RuleError' || e.name === 'ColumnNotFoundError' || e.name === 'IdentifierError')) return { check, error: e.message };
      throw e;
    }
  });
  return { aggregate: planner.aggregate, from: planner.from, checks, ...(planner.where ? { where: planner.where } : {}) };
}
