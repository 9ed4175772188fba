import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { unknownMessage } from '../diagnostics/didYouMean';
import { formatPosition } from '../diagnostics/diagnostic';
import { type MetricCall, parseCheckLine, type ParsedLine } from './checkLine';
import { isAnomalyKey, readAnomalySettings } from './anomalySettings';
import { isColumnRuleKey, OUTLIER_RULE_KEYS, readColumnRule } from './columnRules';
import { ParseFailure } from './lineScanner';
import { BUILTIN_METRIC_NAMES, metricInfo, type MetricFamily } from './metrics';
import { CHECK_KEYS, keyDoesNotApply } from './keyApplicability';
import { incrementalChoice } from './incrementalChoice';
import { unsupportedKey, unsupportedLine } from './unsupported';
import { readMode } from './mode';
import type { Check, CheckMode, CheckSpec, CheckTemplate, ColumnRules, MetricRef } from './model';
import { hasVariables } from './variables';
import { parseWhenClause } from './parseThreshold';
import { readListedSchema, readSchemaRules } from './schemaRules';
import type { Rule, ValueUnit } from './threshold';
import { keyNode, keyText, type NodeContext, pairs, readBoolean, readNumber, readString, readStringList, valueNode } from './yamlNodes';

const FAILED_ROWS_KEYS = ['fail condition', 'fail query', 'failed rows query', 'failed rows sql_file'];
/** Metric families whose values the missing/validity keys change (Soda Core's column metrics). */
const RULE_FAMILIES: MetricFamily[] = ['missing', 'validity', 'numeric', 'length', 'percentile', 'outlier'];

/** Everything read from the map nested under a check line. */
interface CheckConfig {
  name?: string;
  attributes?: Record<string, unknown>;
  filter?: string;
  warnNode?: Node;
  failNode?: Node;
  samplesLimit?: number;
  samplesColumns?: string[];
  /** `incremental: sketch` (DataTrust extension), with its node for errors. */
  incremental?: { value: string; node: Node | undefined };
  rules: ColumnRules;
  /** Where each missing/validity key was written, for errors on checks they cannot apply to. */
  ruleKeyNodes: { key: string; node: Node | undefined }[];
  failCondition?: string;
  failQuery?: string;
  userMetric?: { name: string; expression?: string; query?: string; node: Node | undefined };
  identity?: string;
  mode?: CheckMode;
  /** Every key as written, for errors on keys the check cannot use. */
  keys: { key: string; node: Node | undefined }[];
  /** Keys only an anomaly check reads, with their values. */
  anomalyKeys: { key: string; value: Node | undefined }[];
}

function userMetricKey(key: string): { name: string; kind: 'expression' | 'query' | 'sql_file' } | undefined {
  const m = /^(.+?)\s+(expression|query|sql_file)$/.exec(key);
  return m && !FAILED_ROWS_KEYS.includes(key) ? { name: m[1]!, kind: m[2] as 'expression' | 'query' | 'sql_file' } : undefined;
}

/** `… sql_file: path`, relative to the checks file. */
function readSqlFile(ctx: NodeContext, value: Node | undefined, where: string): string | undefined {
  const path = readString(ctx, value, where);
  if (path === undefined) return undefined;
  const full = resolve(dirname(ctx.yaml.file), path);
  try {
    return readFileSync(full, 'utf8');
  } catch (e) {
    ctx.report.error(ctx.yaml.positionOf(value), `cannot read ${where} file ${full}: ${(e as Error).message}`);
    return undefined;
  }
}

function readConfig(ctx: NodeContext, node: Node | undefined): CheckConfig {
  const config: CheckConfig = { rules: {}, ruleKeyNodes: [], keys: [], anomalyKeys: [] };
  if (node === undefined || (isScalar(node) && node.value === null)) return config;
  if (!isMap(node)) {
    ctx.report.error(ctx.yaml.positionOf(node), 'the configuration under a check must be a map of keys such as `name:`, `fail:`, `valid format:`');
    return config;
  }
  for (const pair of pairs(node)) {
    const key = keyText(pair);
    const value = valueNode(pair);
    const where = `\`${key}\``;
    config.keys.push({ key, node: keyNode(pair) });
    if (isColumnRuleKey(key)) {
      readColumnRule(ctx, key, value, config.rules);
      config.ruleKeyNodes.push({ key, node: keyNode(pair) });
      continue;
    }
    if (isAnomalyKey(key)) {
      config.anomalyKeys.push({ key, value });
      continue;
    }
    const user = userMetricKey(key);
    if (user) {
      const text = user.kind === 'sql_file' ? readSqlFile(ctx, value, where) : readString(ctx, value, where);
      if (text !== undefined) {
        config.userMetric = { name: user.name, node: keyNode(pair), ...(user.kind === 'expression' ? { expression: text } : { query: text }) };
      }
      continue;
    }
    switch (key) {
      case 'name':
        config.name = readString(ctx, value, where);
        break;
      case 'identity':
        config.identity = readString(ctx, value, where);
        break;
      case 'mode':
        config.mode = readMode(ctx, value, where);
        break;
      case 'attributes':
        if (isMap(value)) {
          config.attributes = value.toJSON() as Record<string, unknown>;
          // Soda attributes are free-form labels; giving one a meaning would change existing files.
          const mode = config.attributes.mode;
          if (mode === 'observe' || mode === 'enforce') ctx.report.warning(ctx.yaml.positionOf(value), `the attribute \`mode: ${mode}\` is only a label; to change how the check counts write \`mode: ${mode}\` next to \`attributes:\``);
        } else ctx.report.error(ctx.yaml.positionOf(value), '`attributes` must be a map, e.g. `attributes: {owner: payments}`');
        break;
      case 'filter':
        config.filter = readString(ctx, value, where);
        break;
      case 'warn':
        config.warnNode = value;
        break;
      case 'fail':
        config.failNode = value;
        break;
      case 'samples limit':
        config.samplesLimit = readNumber(ctx, value, where, { integer: true, min: 0 });
        break;
      case 'samples columns':
        config.samplesColumns = readStringList(ctx, value, where);
        break;
      case 'incremental': {
        const v = readString(ctx, value, where);
        if (v !== undefined) config.incremental = { value: v, node: value };
        break;
      }
      case 'collect failed rows':
        if (readBoolean(ctx, value, where) === false) config.samplesLimit = 0;
        break;
      case 'fail condition':
        config.failCondition = readString(ctx, value, where);
        break;
      case 'fail query':
      case 'failed rows query':
        config.failQuery = readString(ctx, value, where);
        break;
      case 'failed rows sql_file':
        config.failQuery = readSqlFile(ctx, value, where);
        break;
      default:
        ctx.report.error(
          ctx.yaml.positionOf(keyNode(pair)),
          unsupportedKey(key) ??
            unknownMessage('check configuration key', key, CHECK_KEYS),
        );
    }
  }
  return config;
}

export function metricRef(call: MetricCall, rules: ColumnRules): MetricRef {
  const ref: MetricRef = { metric: call.metric, columns: call.args.map((a) => a.text), rules };
  if (call.metric === 'percentile') {
    ref.columns = [call.args[0]!.text];
    ref.rank = Number(call.args[1]!.text);
  }
  if (call.metric === 'freshness' && call.args[1]) {
    ref.columns = [call.args[0]!.text];
    ref.nowVariable = call.args[1].text;
  }
  return ref;
}

function unitOf(line: ParsedLine): ValueUnit {
  if (line.type === 'metric') return metricInfo(line.call.metric).unit;
  if (line.type === 'change') return line.percent ? 'percent' : metricInfo(line.of.metric).unit === 'duration' ? 'duration' : 'number';
  return 'number';
}

/** Reads `warn: when …` / `fail: when …` for metric-like checks. */
function readRule(ctx: NodeContext, node: Node | undefined, level: string, unit: ValueUnit): Rule | undefined {
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof (node as Scalar).value !== 'string') {
    ctx.report.error(ctx.yaml.positionOf(node), `\`${level}:\` takes a condition such as \`when > 10\` or \`when between 1 and 5\``);
    return undefined;
  }
  try {
    return { threshold: parseWhenClause(String((node as Scalar).value), unit === 'duration' ? 'duration' : 'number'), meaning: 'outcome-when' };
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    ctx.report.error(ctx.yaml.positionInScalar(node, e.index), `in \`${level}:\`: ${e.message}`);
    return undefined;
  }
}

function specFor(ctx: NodeContext, line: ParsedLine, config: CheckConfig, lineNode: Node, configNode: Node | undefined): CheckSpec {
  const at = ctx.yaml.positionOf(lineNode);
  /** Missing/validity keys only change column metrics; anywhere else they would be silently ignored. */
  const rulesApplyTo = (call: MetricCall | undefined, what: string) => {
    const family = call ? metricInfo(call.metric).family : undefined;
    for (const { key, node } of config.ruleKeyNodes) {
      const counts = call?.metric.startsWith('valid_') || call?.metric.startsWith('invalid_');
      const outlier = OUTLIER_RULE_KEYS.includes(key);
      if (key === 'include null' ? counts : outlier ? family === 'outlier' : family && RULE_FAMILIES.includes(family)) continue;
      const where =
        key === 'include null' ? '`valid_count`/`invalid_count` (and their percentages)' : outlier ? '`outlier_count`/`outlier_percent`' : 'missing, validity, numeric, length, percentile and outlier metrics';
      ctx.report.error(ctx.yaml.positionOf(node), `\`${key}\` has no effect on ${what}: it only applies to ${where}`);
    }
  };
  const KIND_NAMES: Record<string, string> = { user_metric: 'a user-defined metric', schema: 'a schema check', failed_rows: 'a failed rows check', reference: 'a reference check', row_count_same_as: '`row_count same as`' };
  if (KIND_NAMES[line.type]) rulesApplyTo(undefined, KIND_NAMES[line.type]!);
  switch (line.type) {
    case 'metric':
      rulesApplyTo(line.call, `\`${line.call.metric}\``);
      return { kind: 'metric', ref: metricRef(line.call, config.rules) };
    case 'user_metric': {
      const um = config.userMetric;
      if (!um || um.name !== line.name) {
        const known = um ? ` (found \`${um.name} …\`)` : '';
        const builtins = line.args.length ? `unknown metric \`${line.name}\`; accepted: ${BUILTIN_METRIC_NAMES.join(', ')}. A user-defined metric` : `\`${line.name}\` is not a built-in metric; define it`;
        ctx.report.error(at, `${builtins} with \`${line.name} expression: <SQL aggregate>\` or \`${line.name} query: <SELECT …>\` under the check${known}`);
        return { kind: 'invalid', error: `unknown metric \`${line.name}\`` };
      }
      return {
        kind: 'user_metric',
        metricName: line.name,
        expression: um.expression,
        query: um.query,
        ...(line.args.length ? { columns: line.args.map((a) => a.text) } : {}),
        ...(config.failQuery !== undefined ? { failedRowsQuery: config.failQuery } : {}),
      };
    }
    case 'schema': {
      const listed = readListedSchema(ctx, configNode);
      if (listed) return { kind: 'schema', fail: listed };
      const warn = config.warnNode ? readSchemaRules(ctx, config.warnNode, 'warn') : undefined;
      const fail = config.failNode ? readSchemaRules(ctx, config.failNode, 'fail') : undefined;
      if (!warn && !fail) ctx.report.error(at, 'a schema check needs `warn:` or `fail:` conditions, or a list of `{name, type}` columns');
      return { kind: 'schema', ...(warn ? { warn } : {}), ...(fail ? { fail } : {}) };
    }
    case 'failed_rows': {
      if ((config.failCondition === undefined) === (config.failQuery === undefined)) {
        ctx.report.error(at, '`failed rows` needs exactly one of `fail condition:` (a SQL boolean expression) or `fail query:` (a SELECT returning the failed rows)');
      }
      return { kind: 'failed_rows', condition: config.failCondition, query: config.failQuery };
    }
    case 'reference':
      return { kind: 'reference', columns: line.columns.map((a) => a.text), other: line.dataset, otherColumns: line.otherColumns.map((a) => a.text), mustNotExist: line.mustNotExist };
    case 'row_count_same_as':
      return { kind: 'row_count_same_as', other: line.dataset, ...(line.source ? { otherSource: line.source } : {}), ...(line.partition ? { otherPartition: line.partition } : {}) };
    case 'change':
      rulesApplyTo(line.of, `\`${line.of.metric}\``);
      return { kind: 'change', of: metricRef(line.of, config.rules), aggregation: line.aggregation, lastN: line.lastN ?? 1, percent: line.percent };
    case 'anomaly':
      rulesApplyTo(line.of, `\`${line.of.metric}\``);
      return { kind: 'anomaly', of: metricRef(line.of, config.rules), settings: readAnomalySettings(ctx, config.anomalyKeys) };
  }
}

/** Default outcome rules for checks whose value has a natural pass condition. */
function defaultFail(spec: CheckSpec): Rule | undefined {
  switch (spec.kind) {
    case 'reference':
    case 'failed_rows':
      return { threshold: { kind: 'compare', op: '=', value: 0 }, meaning: 'pass-when' };
    case 'row_count_same_as':
      return { threshold: { kind: 'compare', op: '=', value: 0 }, meaning: 'pass-when' };
    case 'anomaly':
      // The score is the distance from the expectation in robust standard deviations: beyond `sensitivity` is outside the band.
      return { threshold: { kind: 'compare', op: '>', value: spec.settings.sensitivity }, meaning: 'outcome-when' };
    default:
      return undefined;
  }
}

/**
 * The `mode:` of a check whose line cannot be read: a broken new rule under observation must not
 * open a critical dataset's breaker (an `error` result) any more than a failing one.
 */
function modeOf(ctx: NodeContext, configNode: Node | undefined): { mode?: CheckMode } {
  const pair = pairs(configNode).find((p) => keyText(p) === 'mode');
  const mode = pair ? readMode(ctx, valueNode(pair), '`mode`') : undefined;
  return mode ? { mode } : {};
}

/**
 * Builds one check from a list item under `checks for …`: either a plain string
 * (`row_count > 0`) or a one-key map whose value configures it.
 */
export function buildCheck(ctx: NodeContext, item: Node): Check | undefined {
  let lineNode: Node | undefined;
  let configNode: Node | undefined;
  if (isScalar(item) && typeof item.value === 'string') {
    lineNode = item;
  } else if (isMap(item) && item.items.length === 1) {
    const pair = item.items[0]!;
    lineNode = keyNode(pair);
    configNode = valueNode(pair);
  } else {
    ctx.report.error(ctx.yaml.positionOf(item), 'a check is a text line such as `row_count > 0`, or a one-key map `- <check line>:` with its configuration nested under it');
    return undefined;
  }
  if (!lineNode) return undefined;
  const definition = String((lineNode as Scalar).value ?? '').trim();
  const location = ctx.yaml.positionOf(lineNode);
  const errorsBefore = ctx.report.diagnostics.filter((d) => d.severity === 'error').length;
  const base = { id: formatPosition(location), definition, name: definition, location };

  const unsupported = unsupportedLine(definition);
  if (unsupported) {
    ctx.report.error(location, unsupported);
    return { ...base, ...modeOf(ctx, configNode), unit: 'number', spec: { kind: 'invalid', error: unsupported } };
  }
  let line: ParsedLine;
  try {
    line = parseCheckLine(definition);
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    const lead = String((lineNode as Scalar).value).length - String((lineNode as Scalar).value).trimStart().length;
    ctx.report.error(ctx.yaml.positionInScalar(lineNode, lead + e.index), e.message);
    return { ...base, ...modeOf(ctx, configNode), unit: 'number', spec: { kind: 'invalid', error: e.message } };
  }
  if ((line.type === 'metric' || line.type === 'anomaly') && line.deprecated) ctx.report.warning(location, line.deprecated);

  const config = readConfig(ctx, line.type === 'schema' && isSeq(configNode) ? undefined : configNode);
  const unit = unitOf(line);
  const spec = specFor(ctx, line, config, lineNode, configNode);
  if (spec.kind !== 'invalid') {
    for (const { key, node } of config.keys) {
      const why = keyDoesNotApply(key, spec);
      if (why) ctx.report.error(ctx.yaml.positionOf(node), why);
    }
    const um = config.userMetric;
    if (um && spec.kind !== 'user_metric') ctx.report.error(ctx.yaml.positionOf(um.node), `\`${um.name} …\` defines a user-defined metric \`${um.name}\`, but this check measures \`${definition}\``);
  }
  const check: Check = { ...base, unit, spec };
  if (config.identity !== undefined) check.identity = config.identity;
  if (config.name !== undefined) check.name = config.name;
  if (config.mode !== undefined) check.mode = config.mode;
  if (config.attributes) check.attributes = config.attributes;
  if (config.filter !== undefined) check.filter = config.filter;
  if (config.samplesLimit !== undefined) check.samplesLimit = config.samplesLimit;
  if (config.samplesColumns) check.samplesColumns = config.samplesColumns;
  if (config.incremental) {
    // What incremental scans may keep instead of reading every row, opted into per check (README: Incremental scans).
    const at = ctx.yaml.positionOf(config.incremental.node);
    const choice = incrementalChoice(spec);
    if (choice && config.incremental.value === choice.value) check.incremental = choice.value;
    else if (choice) ctx.report.error(at, `\`incremental: ${config.incremental.value}\` is not supported on \`${definition}\`: ${choice.means}`);
  }

  const template: CheckTemplate = {};
  if (hasVariables(definition)) template.line = definition;
  for (const [level, node] of [['warn', config.warnNode], ['fail', config.failNode]] as const) {
    if (spec.kind !== 'schema' && isScalar(node) && typeof node.value === 'string' && hasVariables(node.value)) template[level] = node.value;
  }
  if (Object.keys(template).length) check.template = template;

  if (spec.kind !== 'schema') {
    const inline = 'threshold' in line && line.threshold ? ({ threshold: line.threshold, meaning: 'pass-when' } as Rule) : undefined;
    const fail = readRule(ctx, config.failNode, 'fail', unit);
    const warn = readRule(ctx, config.warnNode, 'warn', unit);
    if (inline && fail) ctx.report.error(ctx.yaml.positionOf(config.failNode), 'a check with an inline threshold cannot also have `fail:`; move the threshold into `fail: when …`');
    // Soda: a failed rows check with only `warn:` warns and never fails (a reference check alike).
    check.fail = inline ?? fail ?? (warn && (spec.kind === 'failed_rows' || spec.kind === 'reference') ? undefined : defaultFail(spec));
    if (warn) check.warn = warn;
    if (spec.kind === 'anomaly' && spec.settings.warnOnly) {
      // Soda's `warn_only`: what would fail warns.
      if (fail) ctx.report.error(ctx.yaml.positionOf(config.failNode), '`warn_only: true` and `fail:` contradict each other: with `warn_only` the check never fails');
      check.warn ??= check.fail;
      delete check.fail;
    }
    const needsThreshold = spec.kind === 'metric' || spec.kind === 'user_metric' || spec.kind === 'change';
    if (needsThreshold && !check.fail && !check.warn) {
      ctx.report.error(location, `\`${definition}\` needs a threshold, e.g. \`${definition} > 0\`, or \`warn: when …\`/\`fail: when …\` under it`);
    }
  }

  const errorsAfter = ctx.report.diagnostics.filter((d) => d.severity === 'error');
  if (errorsAfter.length > errorsBefore && check.spec.kind !== 'invalid') {
    check.spec = { kind: 'invalid', error: errorsAfter[errorsBefore]!.message };
  }
  return check;
}
