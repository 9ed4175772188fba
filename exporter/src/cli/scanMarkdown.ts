import type { Outcome } from '../checks/outcome';
import { mdCell, mdTable } from '../report/markdown';
import type { CheckResult, ScanReport } from '../scan/result';
import { isObserved, observedLabel } from '../checks/mode';
import { formatValue, observedCounts } from './formatScan';

const BADGE: Record<Outcome, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', error: '💥 error', not_evaluated: '⏸️ not evaluated' };

/**
 * `scan --format markdown`: a summary line, one table row per check, and the details of what did
 * not pass (failed-row samples folded away). Meant for `$GITHUB_STEP_SUMMARY` and pull-request
 * comments, where GitHub renders it.
 */
export function scanMarkdown(report: ScanReport, exitCode: number): string {
  const s = report.summary;
  const verdict = exitCode === 0 ? (s.observed ? '✅ All enforced checks pass' : '✅ All checks pass') : exitCode === 1 ? '⚠️ Warnings' : exitCode === 2 ? '❌ Checks failed' : '💥 Checks could not run';
  const counts = [`${s.pass} pass`, `${s.warn} warn`, `${s.fail} fail`, `${s.error} error`, ...(s.notEvaluated ? [`${s.notEvaluated} not evaluated`] : []), ...(s.observed ? [`observed (not in the exit code): ${observedCounts(s.observed)}`] : [])].join(', ');
  const badge = (c: CheckResult) => (isObserved(c) ? `👁️ ${observedLabel(c.outcome)}` : BADGE[c.outcome]);
  const out = [`### DataTrust scan: ${verdict}`, '', `${counts} in ${report.datasets.length} dataset${report.datasets.length === 1 ? '' : 's'}, ${report.durationMs} ms (exit ${exitCode})`, ''];
  const threshold = (t: { warn?: string; fail?: string }) => [t.fail && `fail ${t.fail}`, t.warn && `warn ${t.warn}`].filter(Boolean).join('; ');
  out.push(
    mdTable(
      ['Dataset', 'Check', 'Outcome', 'Value', 'Threshold'],
      report.datasets.flatMap((d) => d.checks.map((c) => [d.dataset, c.name, badge(c), formatValue(c), threshold(c.threshold)])),
      ['l', 'l', 'l', 'r', 'l'],
    ),
  );
  const notable = report.datasets.flatMap((d) => d.checks.filter((c) => c.outcome !== 'pass').map((c) => ({ d, c })));
  if (notable.length) {
    out.push('', '#### Details', '');
    for (const { d, c } of notable) {
      const why = c.error ?? c.message;
      out.push(`- **${mdCell(d.dataset)} › ${mdCell(c.name)}** ${badge(c)}${c.name !== c.definition ? ` — \`${c.definition.replace(/`/g, "'")}\`` : ''}${why ? `: ${mdCell(why)}` : ''}`);
      if (c.samples && c.samples.rows.length) {
        out.push('', '  <details><summary>Failed rows</summary>', '');
        out.push(mdTable(c.samples.columns, c.samples.rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))))).replace(/^/gm, '  '));
        out.push('', '  </details>', '');
      }
    }
  }
  return out.join('\n');
}
