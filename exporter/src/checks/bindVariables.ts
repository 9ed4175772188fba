import { metricRef } from './buildCheck';
import { parseCheckLine, type ParsedLine } from './checkLine';
import { ParseFailure } from './lineScanner';
import type { Check, CheckSpec, CheckTemplate } from './model';
import { parseWhenClause } from './parseThreshold';
import type { Rule } from './threshold';
import { hasVariables, substituteVariables, undefinedVariablesMessage } from './variables';

/**
 * SodaCL substitutes `${VAR}` everywhere in a checks file: thresholds (`row_count > ${MIN}`,
 * `fail: when > ${MAX}`, `freshness(ts) < ${AGE}`), check names, attributes, column and dataset
 * names in the check line, and SQL. The parser keeps those texts (Check.template); this binds
 * them to one scan's variables, parsing the line again as if the values had been written.
 *
 * `partial` binds only the variables it is given and leaves the others for a later pass (a `for
 * each dataset T` binds `${T}` per dataset first). SQL keeps unknown variables either way: the
 * planner reports those against the exact query that uses them.
 */
export function bindVariables(check: Check, variables: Readonly<Record<string, string>>, opts: { partial?: boolean } = {}): Check {
  if (check.spec.kind === 'invalid') return check;
  const missing = new Set<string>();
  const text = (value: string): string => {
    if (!hasVariables(value)) return value;
    const r = substituteVariables(value, variables, { keepUnknown: true });
    r.missing.forEach((m) => missing.add(m));
    return r.text;
  };
  const sql = (value: string | undefined): string | undefined => (value === undefined || !hasVariables(value) ? value : substituteVariables(value, variables, { keepUnknown: true }).text);

  const out: Check = { ...check, name: text(check.name) };
  if (check.attributes) out.attributes = bindAttributes(check.attributes, text);
  if (check.filter !== undefined) out.filter = sql(check.filter)!;
  out.spec = bindSql(check.spec, sql);

  const template = check.template;
  const bound: CheckTemplate = {};
  if (template?.line !== undefined) bound.line = text(template.line);
  if (template?.warn !== undefined) bound.warn = text(template.warn);
  if (template?.fail !== undefined) bound.fail = text(template.fail);
  if (missing.size) {
    if (!opts.partial) return invalid(out, undefinedVariablesMessage(`the check \`${check.definition}\``, [...missing].sort()));
    // Some variables come later (the scan's): keep what this pass substituted for the next one.
    if (template) out.template = bound;
    return out;
  }
  try {
    if (bound.line !== undefined) rebindLine(out, parseCheckLine(bound.line));
    if (bound.warn !== undefined) out.warn = whenRule(out, bound.warn, 'warn');
    if (bound.fail !== undefined) out.fail = whenRule(out, bound.fail, 'fail');
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    return invalid(out, `after substituting variables: ${e.message}`);
  }
  delete out.template;
  return out;
}

function invalid(check: Check, error: string): Check {
  // Thresholds still waiting for their variables mean nothing: show none.
  const { template: _template, warn: _warn, fail: _fail, ...rest } = check;
  return { ...rest, ...(check.template ? {} : { ...(check.warn ? { warn: check.warn } : {}), ...(check.fail ? { fail: check.fail } : {}) }), spec: { kind: 'invalid', error } };
}

function bindAttributes(attributes: Record<string, unknown>, text: (v: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [text(k), typeof v === 'string' ? text(v) : v]));
}

function bindSql(spec: CheckSpec, sql: (v: string | undefined) => string | undefined): CheckSpec {
  switch (spec.kind) {
    case 'failed_rows':
      return { ...spec, condition: sql(spec.condition), query: sql(spec.query) };
    case 'user_metric':
      return { ...spec, expression: sql(spec.expression), query: sql(spec.query) };
    default:
      return spec;
  }
}

function whenRule(check: Check, clause: string, level: 'warn' | 'fail'): Rule {
  try {
    return { threshold: parseWhenClause(clause, check.unit === 'duration' ? 'duration' : 'number'), meaning: 'outcome-when' };
  } catch (e) {
    if (e instanceof ParseFailure) throw new ParseFailure(`in \`${level}: ${clause}\`: ${e.message}`, e.index);
    throw e;
  }
}

/** Applies a check line parsed after substitution; the kind of check cannot change. */
function rebindLine(check: Check, line: ParsedLine): void {
  const spec = check.spec;
  const changed = () => new ParseFailure(`a variable may change values and names in \`${check.definition}\`, not the kind of check`, 0);
  switch (line.type) {
    case 'metric':
      if (spec.kind !== 'metric' || spec.ref.metric !== line.call.metric) throw changed();
      check.spec = { kind: 'metric', ref: metricRef(line.call, spec.ref.rules) };
      break;
    case 'change':
      if (spec.kind !== 'change' || spec.of.metric !== line.of.metric) throw changed();
      check.spec = { ...spec, of: metricRef(line.of, spec.of.rules), aggregation: line.aggregation, lastN: line.lastN ?? 1, percent: line.percent };
      break;
    case 'anomaly':
      if (spec.kind !== 'anomaly' || spec.of.metric !== line.of.metric) throw changed();
      check.spec = { ...spec, of: metricRef(line.of, spec.of.rules) };
      break;
    case 'reference':
      if (spec.kind !== 'reference') throw changed();
      check.spec = { ...spec, columns: line.columns.map((a) => a.text), other: line.dataset, otherColumns: line.otherColumns.map((a) => a.text), mustNotExist: line.mustNotExist };
      break;
    case 'row_count_same_as':
      if (spec.kind !== 'row_count_same_as') throw changed();
      check.spec = { kind: 'row_count_same_as', other: line.dataset, ...(line.source ? { otherSource: line.source } : {}), ...(line.partition ? { otherPartition: line.partition } : {}) };
      break;
    case 'user_metric':
      if (spec.kind !== 'user_metric' || spec.metricName !== line.name) throw changed();
      break;
    default:
      throw changed();
  }
  if ('threshold' in line && line.threshold) check.fail = { threshold: line.threshold, meaning: 'pass-when' };
}
