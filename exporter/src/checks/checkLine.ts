import { type Arg, LineScanner } from './lineScanner';
import { BUILTIN_METRIC_NAMES, type BuiltinMetric, isBuiltinMetric, metricInfo, PRE_V3_METRICS } from './metrics';
import { parseThreshold } from './parseThreshold';
import type { Threshold } from './threshold';

/** `missing_count(col)`, `row_count`, `percentile(x, 0.9)` as written in a check line. */
export interface MetricCall {
  metric: BuiltinMetric;
  args: Arg[];
  index: number;
}

/** The syntax of one check line, before its nested configuration is applied. */
export type ParsedLine =
  | { type: 'metric'; call: MetricCall; threshold?: Threshold; deprecated?: string }
  /** `args`: `ones(col)` names the column a user-defined metric is about, as Soda allows. */
  | { type: 'user_metric'; name: string; args: Arg[]; threshold?: Threshold }
  | { type: 'schema' }
  | { type: 'failed_rows' }
  | { type: 'reference'; columns: Arg[]; dataset: string; otherColumns: Arg[]; mustNotExist: boolean }
  | { type: 'row_count_same_as'; dataset: string; partition?: string; source?: string }
  | { type: 'change'; aggregation?: 'avg' | 'min' | 'max'; lastN?: number; percent: boolean; of: MetricCall; threshold?: Threshold }
  | { type: 'anomaly'; of: MetricCall; deprecated?: string };

function preV3(s: LineScanner, word: string, index: number): never {
  return s.fail(`\`${word}\` is a pre-3.0 SodaCL spelling; SodaCL v3 names it \`${PRE_V3_METRICS[word]}\``, index);
}

/** Parses `name` or `name(args)` where name must be a built-in metric. */
function metricCall(s: LineScanner, context: string): MetricCall {
  s.skipWs();
  const index = s.pos;
  const name = s.word(`a metric ${context}`);
  const lower = name.toLowerCase();
  if (lower in PRE_V3_METRICS) preV3(s, lower, index);
  if (!isBuiltinMetric(lower)) {
    s.fail(`unknown metric \`${name}\`; accepted: ${BUILTIN_METRIC_NAMES.join(', ')}`, index);
  }
  const info = metricInfo(lower);
  let args: Arg[] = [];
  if (s.peekChar() === '(') args = s.parenArgs(`the arguments of \`${lower}\``);
  const want = info.args;
  if (want === 'none' && args.length > 0) s.fail(`\`${lower}\` takes no arguments`, index);
  if (want === 'column' && args.length !== 1) s.fail(`\`${lower}\` takes exactly one column, e.g. \`${lower}(amount)\``, index);
  if (want === 'columns' && args.length === 0) s.fail(`\`${lower}\` takes one or more columns, e.g. \`${lower}(id)\``, index);
  if (want === 'column-and-variable' && (args.length < 1 || args.length > 2 || (args[1] && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(args[1].text)))) {
    s.fail(`\`${lower}\` takes a column and optionally the name of the variable holding the time to measure against, e.g. \`${lower}(updated_at)\` or \`${lower}(updated_at, END_TIME)\``, index);
  }
  if (want === 'column-and-rank') {
    const rank = Number(args[1]?.text);
    if (args.length !== 2 || !(rank >= 0 && rank <= 1)) {
      s.fail(`\`${lower}\` takes a column and a fraction between 0 and 1, e.g. \`${lower}(amount, 0.95)\``, index);
    }
  }
  return { metric: lower, args, index };
}

function optionalThreshold(s: LineScanner, call: { metric: BuiltinMetric } | undefined): Threshold | undefined {
  if (s.atEnd()) return undefined;
  const kind = call && metricInfo(call.metric).unit === 'duration' ? 'duration' : 'number';
  const t = parseThreshold(s, kind);
  if (!s.atEnd()) s.fail(`unexpected \`${s.text.slice(s.pos)}\` after the threshold`);
  return t;
}

function parseChange(s: LineScanner): ParsedLine {
  let aggregation: 'avg' | 'min' | 'max' | undefined;
  let lastN: number | undefined;
  for (const agg of ['avg', 'min', 'max'] as const) {
    if (s.tryWord(agg)) {
      aggregation = agg;
      s.expectWord('last', `after \`change ${agg}\` (e.g. \`change ${agg} last 7 for row_count\`)`);
      const n = s.tryRegex(/\d+/y);
      if (!n || Number(n[0]) < 1) s.fail('expected how many previous values to use, e.g. `last 7`');
      lastN = Number(n[0]);
    }
  }
  const percent = s.tryWord('percent');
  s.expectWord('for', 'in a change-over-time check (`change [avg last N] [percent] for <metric> <threshold>`)');
  const of = metricCall(s, 'after `change … for`');
  return { type: 'change', aggregation, lastN, percent, of, threshold: optionalThreshold(s, undefined) };
}

/** `(a, b)`, or one bare (possibly quoted) column as Soda's grammar allows: `values in a must exist in t b`. */
function referenceColumns(s: LineScanner, what: string): Arg[] {
  if (s.peekChar() === '(') return s.parenArgs(what);
  s.skipWs();
  const index = s.pos;
  const m = s.tryRegex(/"[^"]+"|[A-Za-z_$][A-Za-z0-9_$]*/y);
  if (!m) s.fail(`expected ${what}: a column, or columns in \`( … )\``);
  return [{ text: m[0], index }];
}

function parseReference(s: LineScanner): ParsedLine {
  const columns = referenceColumns(s, 'the columns of `values in`');
  const mustNotExist = (() => {
    s.expectWord('must', 'after `values in (…)`');
    return s.tryWord('not');
  })();
  s.expectWord('exist', 'in a reference check (`values in (a) must [not] exist in other (b)`)');
  s.expectWord('in', 'after `must exist`');
  const dataset = s.datasetName('the referenced dataset after `exist in`');
  const otherColumns = referenceColumns(s, 'the referenced columns');
  if (otherColumns.length !== columns.length) {
    s.fail(`reference check compares ${columns.length} column(s) with ${otherColumns.length}; the counts must match`);
  }
  if (!s.atEnd()) s.fail(`unexpected \`${s.text.slice(s.pos)}\` after the reference check`);
  return { type: 'reference', columns, dataset, otherColumns, mustNotExist };
}

/**
 * Parses the text of one check, e.g. `missing_count(user_id) = 0` or
 * `values in (user_id) must exist in users (id)`. Throws ParseFailure with the index of the
 * offending token.
 */
export function parseCheckLine(text: string): ParsedLine {
  const s = new LineScanner(text);
  s.skipWs();
  const start = s.pos;
  const first = s.peekWord()?.toLowerCase();
  if (first === undefined) return s.fail('expected a check, e.g. `row_count > 0`');

  if (first === 'schema') {
    s.tryWord('schema');
    if (!s.atEnd()) s.fail('`schema` takes no threshold; put `warn:`/`fail:` conditions under it');
    return { type: 'schema' };
  }
  if (first === 'failed') {
    s.tryWord('failed');
    s.expectWord('rows', 'in `failed rows`');
    if (!s.atEnd()) s.fail('`failed rows` takes `fail condition:` or `fail query:` under it, not a threshold');
    return { type: 'failed_rows' };
  }
  if (first === 'values') {
    s.tryWord('values');
    s.expectWord('in', 'in a reference check (`values in (a) must exist in other (b)`)');
    return parseReference(s);
  }
  if (first === 'reference') {
    return s.fail('`reference from (…) to T (…)` is a pre-3.0 SodaCL spelling; SodaCL v3 writes `values in (…) must exist in T (…)`', start);
  }
  if (first === 'change') {
    s.tryWord('change');
    return parseChange(s);
  }
  if (first === 'anomaly') {
    s.tryWord('anomaly');
    if (s.tryWord('score')) {
      s.expectWord('for', 'in `anomaly score for <metric> < default`');
      const of = metricCall(s, 'after `anomaly score for`');
      if (!s.tryRegex(/<\s*default\b/y) || !s.atEnd()) s.fail('expected `< default` after the metric of `anomaly score for`');
      return { type: 'anomaly', of, deprecated: '`anomaly score for … < default` is deprecated in SodaCL; write `anomaly detection for …`' };
    }
    s.expectWord('detection', 'after `anomaly` (`anomaly detection for <metric>`)');
    s.expectWord('for', 'in `anomaly detection for <metric>`');
    const of = metricCall(s, 'after `anomaly detection for`');
    if (!s.atEnd()) s.fail('`anomaly detection for <metric>` takes no threshold');
    return { type: 'anomaly', of };
  }
  if (first === 'freshness' && /^\s*freshness\s+using\b/i.test(text)) {
    s.tryWord('freshness');
    s.tryWord('using');
    s.skipWs();
    const index = s.pos;
    const column = s.word('a column after `freshness using`');
    const call: MetricCall = { metric: 'freshness', args: [{ text: column, index }], index: start };
    if (s.tryWord('with')) {
      s.skipWs();
      const at = s.pos;
      call.args.push({ text: s.word('the name of the variable holding "now" after `with`'), index: at });
    }
    const modern = `freshness(${call.args.map((a) => a.text).join(', ')})`;
    return { type: 'metric', call, threshold: optionalThreshold(s, call), deprecated: `\`freshness using ${column}${call.args[1] ? ` with ${call.args[1].text}` : ''}\` is deprecated; write \`${modern}\`` };
  }

  s.pos += s.peekWord()!.length;
  const afterWord = s.pos;
  const hasArgs = s.peekChar() === '(';
  if (first === 'row_count' || first === 'count') {
    if (s.tryWord('same')) {
      if (first === 'count') preV3(s, 'count', start);
      s.expectWord('as', 'in `row_count same as <dataset>`');
      const dataset = s.datasetName('a dataset after `row_count same as`');
      // The other dataset's partition: `[daily]`, or bare as Soda's grammar allows (`daily-ref`).
      const partition = s.tryRegex(/\[\s*([^\]\s]+)\s*\]/y)?.[1] ?? (s.peekWord()?.toLowerCase() !== 'in' ? s.tryRegex(/[A-Za-z0-9_][A-Za-z0-9_$-]*/y)?.[0] : undefined);
      let source: string | undefined;
      if (s.tryWord('in')) source = s.word('a data source name after `in`');
      if (!s.atEnd()) s.fail(`unexpected \`${s.text.slice(s.pos)}\``);
      return { type: 'row_count_same_as', dataset, ...(partition ? { partition } : {}), ...(source ? { source } : {}) };
    }
  }
  if (first in PRE_V3_METRICS) preV3(s, first, start);
  if (isBuiltinMetric(first)) {
    s.pos = start;
    const call = metricCall(s, '');
    return { type: 'metric', call, threshold: optionalThreshold(s, call) };
  }
  // A word that is not a built-in metric names a user-defined metric, with or without a column
  // (`avg_surface`, `ones(col)`); its `<name> expression:` or `<name> query:` key is checked by the caller.
  s.pos = afterWord;
  const args = hasArgs ? s.parenArgs(`the arguments of \`${text.slice(start, afterWord)}\``) : [];
  return { type: 'user_metric', name: text.slice(start, afterWord), args, threshold: optionalThreshold(s, undefined) };
}
