import { mergeRules } from '../checks/columnRules';
import { metricInfo } from '../checks/metrics';
import type { Check, ColumnRules, MetricRef } from '../checks/model';
import type { Dialect } from '../sources/dialect';
import { normaliseType } from '../sources/typeCategory';
import type { ColumnInfo, DescribedRelation, QueryKind } from '../sources/source';
import { AggregateQuery } from './aggregateQuery';
import { resolveColumn } from './columnResolver';
import { countCondition, type CountMetric, metricValues } from './columnMetrics';
import { and, RuleError } from './conditions';
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
  | { type: 'query'; kind: QueryKind; sql: string }
  /** separate count × 100 / aggregate total (duplicate_percent). */
  | { type: 'query_percent'; kind: QueryKind; sql: string; totalAlias: string }
  /** this row count − the other dataset's (run by the executor, maybe on another source). */
  | { type: 'row_count_diff'; alias: string; other: string; otherSource?: string; otherWhere?: string }
  | { type: 'schema' };

export interface PlannedCheck {
  check: Check;
  compute?: Compute;
  /** `change`/`anomaly`: the value is derived from this metric's history. */
  history?: { kind: 'change' | 'anomaly'; metricKey: string };
  /** Canonical identity of the measured metric, for history. */
  metricKey?: string;
  /** SQL returning failing rows, run only when the check does not pass. */
  samplesSql?: (limit: number) => string;
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
    return this.aggregate.add(this.d.filtered('COUNT(*)', filter));
  }

  sampleColumnList(check: Check, preferred: ColumnInfo[]): ColumnInfo[] {
    const cols = check.samplesColumns?.length ? check.samplesColumns.map((c) => this.column(c)) : this.input.described.columns;
    // Put the check's own columns first so a narrow sample still shows them.
    return [...preferred, ...cols.filter((c) => !preferred.includes(c))].slice(0, MAX_SAMPLE_COLUMNS);
  }

  sampleColumns(check: Check, preferred: ColumnInfo[]): string {
    return this.sampleColumnList(check, preferred)
      .map((c) => this.d.quote(c.name))
      .join(', ');
  }

  rowSamples(check: Check, preferred: ColumnInfo[], condition: string): (limit: number) => string {
    const where = and(this.where, condition);
    const cols = this.sampleColumns(check, preferred);
    return (limit) => `SELECT ${cols} FROM ${this.from}${where ? ` WHERE ${where}` : ''} LIMIT ${limit}`;
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
    return mergeRules(ref.rules, name === undefined ? undefined : configured[name]);
  }

  /** Plans a built-in metric; returns how to compute it and, for row-level metrics, the failing-row condition. */
  metric(check: Check, ref: MetricRef, filter: string | undefined): { compute: Compute; samples?: (limit: number) => string; rules?: ColumnRules; note?: string } {
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
        const countAlias = this.aggregate.add(d.filtered('COUNT(*)', and(filter, c.condition)));
        const compute: Compute = info.percentOf ? { type: 'percent', countAlias, totalAlias: this.rowCount(filter) } : { type: 'aggregate', alias: countAlias };
        return { compute, rules, ...(c.failing ? { samples: this.rowSamples(check, [col], and(filter, c.failing)!) } : {}), ...(c.note ? { note: c.note } : {}) };
      }
      case 'numeric': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const values = metricValues(d, col, rules, ref.metric, 'number');
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.filtered(`${NUMERIC_SQL[ref.metric]}(${values})`, filter)) }, rules };
      }
      case 'length': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        const values = metricValues(d, col, rules, ref.metric, 'text');
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.filtered(`${LENGTH_SQL[ref.metric]}(${d.length(d.toText(values))})`, filter)) }, rules };
      }
      case 'percentile': {
        const col = this.column(ref.columns[0]!);
        const rules = this.rulesFor(ref, col);
        return { compute: { type: 'aggregate', alias: this.aggregate.add(d.percentile(metricValues(d, col, rules, ref.metric, 'number'), ref.rank!, filter)) }, rules };
      }
      case 'freshness': {
        const col = this.column(ref.columns[0]!);
        let expr: string;
        if (col.category === 'temporal') expr = d.quote(col.name);
        else if (col.category === 'text') expr = d.textToTimestamp(d.quote(col.name));
        else throw new RuleError(`\`freshness\` needs a date or timestamp column; \`${col.name}\` is ${col.type}`);
        const endOfDay = normaliseType(col.type) === 'date';
        return { compute: { type: 'freshness', alias: this.aggregate.add(d.epochSeconds(d.filtered(`MAX(${expr})`, filter))), now: ref.nowVariable ?? 'NOW', ...(endOfDay ? { endOfDay } : {}) } };
      }
      case 'duplicate': {
        const cols = ref.columns.map((c) => this.column(c));
        const list = cols.map((c) => d.quote(c.name)).join(', ');
        const where = and(this.where, filter, ...cols.map((c) => `${d.quote(c.name)} IS NOT NULL`));
        const body = `FROM ${this.from} WHERE ${where} GROUP BY ${list}`;
        // Soda's definition: the number of distinct value combinations that occur more than once.
        const sql = `WITH frequencies AS (SELECT COUNT(*) AS frequency ${body}) SELECT COUNT(*) FROM frequencies WHERE frequency > 1`;
        const compute: Compute = info.percentOf ? { type: 'query_percent', kind: 'duplicates', sql, totalAlias: this.rowCount(filter) } : { type: 'query', kind: 'duplicates', sql };
        return { compute, samples: (limit) => `SELECT ${list}, COUNT(*) AS frequency ${body} HAVING COUNT(*) > 1 ORDER BY frequency DESC LIMIT ${limit}` };
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
        return { check, compute: m.compute, metricKey: metricKeyOf({ ...spec.ref, rules: m.rules ?? spec.ref.rules }, filter), ...(m.samples ? { samplesSql: m.samples } : {}), ...(m.note ? { note: m.note } : {}) };
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
        const alias = this.aggregate.add(d.filtered('COUNT(*)', and(filter, condition)));
        return { check, compute: { type: 'aggregate', alias }, samplesSql: this.rowSamples(check, [], and(filter, condition)!) };
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
        const sampleCols = this.sampleColumnList(check, cols)
          .map((c) => `s.${d.quote(c.name)}`)
          .join(', ');
        const fromS = d.from(this.input.described.resolved, this.input.samplePercent, 's');
        return {
          check,
          compute: { type: 'query', kind: 'reference', sql: `SELECT COUNT(*) FROM ${fromS} WHERE ${where}` },
          samplesSql: (limit) => `SELECT ${sampleCols} FROM ${fromS} WHERE ${where} LIMIT ${limit}`,
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
