import { formatDuration } from '../checks/duration';
import type { CheckResult, DatasetResult, OutcomeTally, ScanReport } from '../scan/result';
import type { Outcome } from '../checks/outcome';
import { isObserved, observedLabel } from '../checks/mode';
import { textTable } from './textTable';

export interface Style {
  outcome(o: Outcome, text: string): string;
  dim(text: string): string;
}

const ANSI: Record<Outcome, string> = { pass: '32', warn: '33', fail: '31', error: '35', not_evaluated: '90' };

export function terminalStyle(enabled: boolean): Style {
  return enabled
    ? { outcome: (o, t) => `\u001b[${ANSI[o]}m${t}\u001b[0m`, dim: (t) => `\u001b[2m${t}\u001b[0m` }
    : { outcome: (_o, t) => t, dim: (t) => t };
}

/** A value in the units the check thinks in: durations for freshness, % for percentages. */
export function formatValue(c: CheckResult): string {
  if (c.value === null) return '-';
  if (/^freshness\b/.test(c.definition) || /freshness using/.test(c.definition)) return formatDuration(c.value);
  const rounded = Number.isInteger(c.value) ? String(c.value) : String(Number(c.value.toFixed(Math.abs(c.value) < 1 ? 4 : 2)));
  return /_percent\(/.test(c.definition) ? `${rounded}%` : rounded;
}

/** One progress line per finished dataset: `[2/5] cleaned_transactions  8 checks  120 ms  7 pass, 1 fail`. */
export function progressLine(index: number, total: number, d: DatasetResult, style: Style): string {
  const counts = new Map<Outcome, number>();
  const observed = d.checks.filter(isObserved).length;
  for (const c of d.checks) if (!isObserved(c)) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  const parts = (['pass', 'warn', 'fail', 'error', 'not_evaluated'] as const)
    .filter((o) => counts.get(o))
    .map((o) => style.outcome(o, `${counts.get(o)} ${o.replace('_', ' ')}`));
  if (observed) parts.push(style.dim(`${observed} observed`));
  return `[${index}/${total}] ${d.dataset}  ${d.checks.length} check${d.checks.length === 1 ? '' : 's'}  ${d.durationMs} ms  ${parts.join(', ')}`;
}

function thresholdCell(c: CheckResult): string {
  return [c.threshold.fail && `fail ${c.threshold.fail}`, c.threshold.warn && `warn ${c.threshold.warn}`].filter(Boolean).join('; ');
}

function sampleLines(c: CheckResult): string[] {
  if (!c.samples || c.samples.rows.length === 0) return [];
  const shown = c.samples.rows.slice(0, 3).map((row) => '      ' + row.map((v, i) => `${c.samples!.columns[i]}=${v === null ? 'NULL' : String(v)}`).join(' '));
  const more = c.samples.rows.length > 3 ? [`      … ${c.samples.rows.length - 3} more sample rows (see --format json)`] : [];
  return ['    failed rows:', ...shown, ...more];
}

/** Which reader read an S3 dataset, and what the SDK reader had to download. */
export function readerText(r: NonNullable<DatasetResult['reader']>): string {
  if (r.kind === 'httpfs') return 'httpfs (DuckDB read the bucket directly)';
  const removed = r.removed ? `, ${r.removed} gone from the bucket removed` : '';
  const evicted = r.evicted ? `, ${r.evicted} other cached file${r.evicted === 1 ? '' : 's'} evicted` : '';
  return `sdk + local cache: ${r.objects} object${r.objects === 1 ? '' : 's'}, ${r.downloaded} downloaded (${r.downloadedBytes} bytes)${removed}${evicted}`;
}

/** The human report: a table of every check, then details of what did not pass. */
export function formatScanText(report: ScanReport, exitCode: number, style: Style): string {
  const rows = report.datasets.flatMap((d) =>
    d.checks.map((c) => [d.dataset, c.name, style.outcome(c.outcome, isObserved(c) ? observedLabel(c.outcome) : c.outcome.replace('_', ' ')), formatValue(c), thresholdCell(c)]),
  );
  const out = [textTable(['DATASET', 'CHECK', 'OUTCOME', 'VALUE', 'THRESHOLD'], rows, [28, 60, 0, 14, 0])];
  const notable = report.datasets.flatMap((d) => d.checks.filter((c) => c.outcome !== 'pass').map((c) => ({ d, c })));
  if (notable.length) {
    out.push('', 'Details:');
    for (const { d, c } of notable) {
      const heading = c.outcome.toUpperCase().replace('_', ' ') + (isObserved(c) ? observedLabel(c.outcome).slice(c.outcome.length) : '');
      out.push(`  ${style.outcome(c.outcome, heading)} ${d.dataset} › ${c.name}${c.name !== c.definition ? style.dim(` (${c.definition})`) : ''}`);
      if (c.error) out.push(`    error: ${c.error}`);
      if (c.message) out.push(`    ${c.message}`);
      // An anomaly check's value is its distance from the expectation; the message has the measured value.
      const valueLabel = c.expected ? 'anomaly score (robust SDs)' : 'value';
      if (c.outcome !== 'error' && c.value !== null) out.push(`    ${valueLabel}: ${formatValue(c)}${thresholdCell(c) ? `  (${thresholdCell(c)})` : ''}`);
      out.push(...sampleLines(c));
    }
  }
  const readers = report.datasets.filter((d) => d.reader).map((d) => `  ${d.dataset}: ${readerText(d.reader!)}`);
  if (readers.length) out.push('', 'Read from S3:', ...readers);
  const s = report.summary;
  const counts = [`${s.pass} pass`, `${s.warn} warn`, `${s.fail} fail`, `${s.error} error`, ...(s.notEvaluated ? [`${s.notEvaluated} not evaluated`] : [])];
  if (s.observed) counts.push(`observed (not in the exit code): ${observedCounts(s.observed)}`);
  out.push('', `Summary: ${counts.join(', ')} in ${report.datasets.length} dataset${report.datasets.length === 1 ? '' : 's'}, ${report.durationMs} ms (exit ${exitCode})`);
  return out.join('\n');
}

/** `1 pass, 1 fail`: an observed tally, naming only what occurred. */
export function observedCounts(t: OutcomeTally): string {
  const parts = ([['pass', t.pass], ['warn', t.warn], ['fail', t.fail], ['error', t.error], ['not evaluated', t.notEvaluated]] as const).filter(([, n]) => n > 0);
  return parts.map(([o, n]) => `${n} ${o}`).join(', ');
}

/** The JSON contract of `datatrust scan --format json`. */
export function scanJson(report: ScanReport): unknown {
  return {
    datasets: report.datasets.map((d) => ({
      dataset: d.dataset,
      source: d.source,
      durationMs: d.durationMs,
      ...(d.incremental ? { incremental: d.incremental } : {}),
      ...(d.reader ? { reader: d.reader } : {}),
      checks: d.checks.map((c) => ({
        name: c.name,
        definition: c.definition,
        outcome: c.outcome,
        value: c.value,
        threshold: c.threshold,
        ...(c.samples ? { samples: c.samples } : {}),
        ...(c.error ? { error: c.error } : {}),
        ...(c.message ? { message: c.message } : {}),
        ...(c.attributes ? { attributes: c.attributes } : {}),
        ...(c.mode ? { mode: c.mode } : {}),
        ...(c.source ? { source: c.source } : {}),
        ...(c.approximation ? { approximation: c.approximation } : {}),
        ...(c.expected ? { measured: c.measured, expected: c.expected } : {}),
        location: c.id,
      })),
    })),
    summary: report.summary,
  };
}
