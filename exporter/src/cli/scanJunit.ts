import type { ScanReport } from '../scan/result';
import { isObserved, observedLabel } from '../checks/mode';
import { formatValue } from './formatScan';

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * `scan --format junit`: JUnit XML, which CI systems (GitHub test reporters, GitLab, Jenkins)
 * show natively. One test suite per dataset, one test case per check: `fail` is a failure,
 * `error` an error, `not_evaluated` skipped; a warning passes, with the warning as its output. An
 * observed check (`mode: observe`) passes whatever its outcome, with what it would have done as its output.
 */
export function scanJunit(report: ScanReport): string {
  const s = report.summary;
  const o = s.observed;
  const total = s.pass + s.warn + s.fail + s.error + s.notEvaluated + (o ? o.pass + o.warn + o.fail + o.error + o.notEvaluated : 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="datatrust scan" tests="${total}" failures="${s.fail}" errors="${s.error}" skipped="${s.notEvaluated}" time="${seconds(report.durationMs)}" timestamp="${xml(report.startedAt)}">`];
  for (const d of report.datasets) {
    const count = (outcome: string) => d.checks.filter((c) => c.outcome === outcome && !isObserved(c)).length;
    lines.push(`  <testsuite name="${xml(d.dataset)}" tests="${d.checks.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('not_evaluated')}" time="${seconds(d.durationMs)}" timestamp="${xml(d.startedAt)}">`);
    for (const c of d.checks) {
      const open = `    <testcase classname="${xml(d.dataset)}" name="${xml(c.name)}" file="${xml(c.id.replace(/:\d+:\d+$/, ''))}">`;
      const detail = [c.name !== c.definition ? c.definition : '', c.error ?? c.message ?? '', c.value !== null ? `value: ${formatValue(c)}` : ''].filter(Boolean).join('\n');
      if (isObserved(c)) {
        if (c.outcome === 'pass') lines.push(open.replace(/>$/, '/>'));
        else lines.push(open, `      <system-out>${xml(`${observedLabel(c.outcome)}${detail ? `: ${detail}` : ''}`)}</system-out>`, '    </testcase>');
        continue;
      }
      switch (c.outcome) {
        case 'pass':
          lines.push(open.replace(/>$/, '/>'));
          continue;
        case 'fail':
          lines.push(open, `      <failure type="fail" message="${xml(c.message ?? `value ${formatValue(c)}`)}">${xml(detail)}</failure>`);
          break;
        case 'error':
          lines.push(open, `      <error type="error" message="${xml(c.error ?? 'error')}">${xml(detail)}</error>`);
          break;
        case 'not_evaluated':
          lines.push(open, `      <skipped message="${xml(c.message ?? 'not evaluated')}"/>`);
          break;
        case 'warn':
          lines.push(open, `      <system-out>${xml(`warn: ${detail}`)}</system-out>`);
          break;
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
