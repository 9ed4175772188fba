import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';
import { readText, runTool } from './repo';

/**
 * Every metric the DataTrust exporter exports, read from its family table
 * (exporter/src/metrics/exporterMetrics.ts: `{ name: 'datatrust_…', type: 'gauge' | 'counter' |
 * 'histogram' }`), so dashboards and rules can use a metric the moment the exporter has it, and
 * never one it dropped. Histograms also answer to their _bucket, _sum and _count series; besides
 * these only Prometheus's own `up`.
 */
export function knownSeriesNames(): Set<string> {
  const source = readText('exporter/src/metrics/exporterMetrics.ts');
  const families = [...source.matchAll(/\{\s*name:\s*'(datatrust_\w+)',\s*type:\s*'(gauge|counter|histogram)'/g)];
  if (families.length === 0) throw new Error('found no metric families in exporter/src/metrics/exporterMetrics.ts: teach test/support/promql.ts its new shape');
  const names = new Set<string>(['up']);
  for (const [, name, type] of families) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name! + s);
    else names.add(name!);
  }
  return names;
}

/**
 * The metric names a PromQL expression selects, read from the official PromQL grammar's syntax
 * tree (the one Prometheus's own UI uses): a name is the Identifier of a VectorSelector, or the
 * value of a `__name__` matcher. Syntax errors are left to promtool, which reports them better.
 */
export function selectedMetrics(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  const cursor = tree.cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const node = cursor.node;
      const id = node.getChild('Identifier');
      if (id) names.add(expr.slice(id.from, id.to));
      const matchers = node.getChild('LabelMatchers');
      for (const m of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = m.getChild('LabelName');
        const value = m.getChild('StringLiteral');
        if (label && value && expr.slice(label.from, label.to) === '__name__') names.add(expr.slice(value.from + 1, value.to - 1));
      }
    }
  } while (cursor.next());
  return [...names];
}

/** A PromQL expression and where it comes from, for messages. */
export interface NamedExpr {
  where: string;
  expr: string;
}

/**
 * Checks that expressions parse, with promtool: each becomes a recording rule in a temporary
 * rules file (one file for all, so one promtool run). Returns promtool's verdict.
 */
export function promtoolParse(promtool: string, exprs: NamedExpr[]): { ok: boolean; output: string; names: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'datatrust-promql-'));
  try {
    const names = new Map<string, string>();
    const rules = exprs.map((e, i) => {
      const record = `dashboard_expr_${i}`;
      names.set(record, e.where);
      return { record, expr: e.expr };
    });
    const file = join(dir, 'exprs.rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard-expressions', rules }] }, { lineWidth: 0 }));
    const r = runTool(promtool, ['check', 'rules', file]);
    return { ok: r.code === 0, output: r.output, names };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
