// The baselines for bench/transactions.checks.yml, written by hand for DuckDB and PostgreSQL:
//  - `hand`: what a good engineer writes for the same 20 metrics: one SELECT with every
//    aggregate, plus the GROUP BY for duplicates (and, for DuckDB, the same as one statement);
//  - `perCheck`: one query per check, each scanning the table, the way dbt runs tests.
// Every metric matches the engine's definition (Soda semantics: a missing value is neither
// valid nor invalid; duplicate_count counts distinct ids occurring more than once), and the
// benchmarks compare all three sets of values before timing anything, so no baseline wins by
// computing less.
import { dist } from './lib.mjs';

const { formatRegex } = dist('checks/validFormats.js');
/** `valid format: date iso 8601`, the same pattern the engine uses: same work, same answer. */
const ISO_DATE = formatRegex('date iso 8601');

const DIALECTS = {
  duckdb: {
    matches: (col, re) => `regexp_matches(${col}, '${re}')`,
    p99: (col) => `quantile_disc(${col}, 0.99)`,
    epoch: (e) => `epoch(${e})`,
  },
  postgres: {
    matches: (col, re) => `${col} ~ '${re}'`,
    p99: (col) => `percentile_disc(0.99) WITHIN GROUP (ORDER BY ${col})`,
    epoch: (e) => `EXTRACT(EPOCH FROM ${e})`,
  },
};

/**
 * The 20 metrics in check order. `agg` is the aggregate for the single SELECT; `alone` the
 * natural stand-alone query for the per-check baseline (a dbt test counts failing rows with a
 * WHERE, it does not aggregate FILTERs). `kind: 'freshness'` values are epoch seconds of the
 * newest row (the engine reports scan time minus that).
 */
export function suiteMetrics(dialect) {
  const d = DIALECTS[dialect];
  const count = (where) => ({ agg: `count(*) FILTER (WHERE ${where})`, alone: (t) => `SELECT count(*) FROM ${t} WHERE ${where}` });
  const percent = (where) => ({
    agg: `count(*) FILTER (WHERE ${where}) * 100.0 / NULLIF(count(*), 0)`,
    alone: (t) => `SELECT count(*) FILTER (WHERE ${where}) * 100.0 / NULLIF(count(*), 0) FROM ${t}`,
  });
  const agg = (expr) => ({ agg: expr, alone: (t) => `SELECT ${expr} FROM ${t}` });
  const duplicates = (t) => `SELECT count(*) FROM (SELECT txn_id FROM ${t} WHERE txn_id IS NOT NULL GROUP BY txn_id HAVING count(*) > 1) AS dup`;
  return [
    { name: 'row_count', ...agg('count(*)') },
    { name: 'missing_count(account_id)', ...count('account_id IS NULL') },
    { name: 'missing_count(user_id)', ...count('user_id IS NULL') },
    { name: 'missing_percent(merchant_category)', ...percent('merchant_category IS NULL') },
    { name: 'missing_count(amount)', ...count('amount IS NULL') },
    { name: 'invalid_count(fee)', ...count('fee < 0 OR fee > 50') },
    // NOT IN is NULL for a NULL currency: missing values are not counted as invalid.
    { name: 'invalid_count(currency)', ...count("currency NOT IN ('EUR', 'USD', 'GBP', 'CHF')") },
    { name: 'invalid_percent(channel)', ...percent("channel NOT IN ('card', 'transfer', 'atm', 'mobile')") },
    { name: 'invalid_count(value_date)', ...count(`NOT ${d.matches('value_date', ISO_DATE)}`) },
    { name: 'invalid_count(country)', ...count('length(country) <> 2') },
    { name: 'avg(amount)', ...agg('avg(amount)') },
    { name: 'min(amount)', ...agg('min(amount)') },
    { name: 'max(amount)', ...agg('max(amount)') },
    { name: 'sum(fee)', ...agg('sum(fee)') },
    { name: 'stddev(amount)', ...agg('stddev_samp(amount)') },
    { name: 'percentile(amount, 0.99)', ...agg(d.p99('amount')) },
    { name: 'freshness(created_at)', kind: 'freshness', ...agg(d.epoch('max(created_at)')) },
    { name: 'duplicate_count(txn_id)', kind: 'duplicates', alone: duplicates },
    { name: 'failed rows: booked without booked_at', ...count("status = 'booked' AND booked_at IS NULL") },
    { name: 'reversal_rate', ...agg("avg(CASE WHEN status = 'reversed' THEN 1.0 ELSE 0.0 END)") },
  ];
}

/** The hand-written queries over relation `t`. */
export function handQueries(dialect, t) {
  const metrics = suiteMetrics(dialect);
  const aggregates = metrics.filter((m) => m.kind !== 'duplicates');
  const select = aggregates.map((m, i) => `  ${m.agg} AS c${i}`).join(',\n');
  const aggregate = `SELECT\n${select}\nFROM ${t}`;
  const duplicates = metrics.find((m) => m.kind === 'duplicates').alone(t);
  // One statement, two scans: what someone might try to save a round trip.
  const oneStatement = `SELECT *, (${duplicates}) AS dup FROM (${aggregate}) AS a`;
  // PostgreSQL cannot run an ordered-set aggregate (percentile_disc) in parallel, and one in the
  // SELECT makes the whole aggregate serial: someone who knows that moves it to its own query.
  const isPercentile = (m) => m.name.startsWith('percentile(');
  const percentileIndex = aggregates.findIndex(isPercentile);
  const split = {
    aggregate: `SELECT\n${aggregates
      .filter((m) => !isPercentile(m))
      .map((m, i) => `  ${m.agg} AS c${i}`)
      .join(',\n')}\nFROM ${t}`,
    percentile: aggregates[percentileIndex].alone(t),
    /** Puts the percentile back in its place in the aggregate row. */
    merge: (row, p) => [...row.slice(0, percentileIndex), p, ...row.slice(percentileIndex)],
  };
  return { metrics, aggregates, aggregate, duplicates, oneStatement, split };
}

/** Values of the hand-written aggregate row plus the duplicate count, in check order. */
export function handValues(metrics, aggregateRow, duplicateCount) {
  let i = 0;
  return metrics.map((m) => (m.kind === 'duplicates' ? duplicateCount : aggregateRow[i++]));
}

function toNumber(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime() / 1000;
  if (typeof v === 'object' && typeof v.toDouble === 'function') return v.toDouble();
  return Number(String(v));
}

/**
 * Compares a baseline's values with the engine's check results (same order). Freshness is
 * compared as the newest-row time the engine derived from its own scan time. Throws on any
 * mismatch: a baseline that computes something else would make every ratio meaningless.
 */
export function assertSameValues(label, metrics, values, engineRun) {
  const checks = engineRun.checks;
  if (checks.length !== metrics.length) throw new Error(`${label}: engine ran ${checks.length} checks, the suite has ${metrics.length}`);
  const scanSec = Date.parse(engineRun.startedAt) / 1000;
  metrics.forEach((m, i) => {
    const c = checks[i];
    if (c.outcome === 'error') throw new Error(`engine check ${c.name} errored: ${c.error}`);
    let mine = toNumber(values[i]);
    let theirs = c.value;
    if (m.kind === 'freshness') theirs = scanSec - theirs;
    const ok = mine === theirs || (mine !== null && theirs !== null && Math.abs(mine - theirs) <= 1e-6 * Math.max(1, Math.abs(theirs)) + (m.kind === 'freshness' ? 0.01 : 0));
    if (!ok) throw new Error(`${label}: ${m.name} = ${mine}, but the engine measured ${theirs} (${c.name})`);
  });
}

/** An engine run's values in the baselines' terms (freshness as the newest row's epoch seconds), to cross-check two engine runs. */
export function engineValues(metrics, engineRun) {
  const scanSec = Date.parse(engineRun.startedAt) / 1000;
  return engineRun.checks.map((c, i) => (metrics[i]?.kind === 'freshness' && c.value !== null ? scanSec - c.value : c.value));
}
