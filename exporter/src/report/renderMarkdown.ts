import { humanDuration, percent, usd, utc, weekLabel } from './formatReport';
import { mdCell, mdTable } from './markdown';
import type { ReportModel } from './reportModel';

const mark = (met: boolean | undefined) => (met === undefined ? '–' : met ? '✅' : '❌');

/** The report as GitHub Markdown: for pull requests and `$GITHUB_STEP_SUMMARY`. Same figures as the HTML. */
export function renderReportMarkdown(m: ReportModel): string {
  const pr = m.passRatio;
  const mean = m.mttd.overall.meanSeconds;
  const c = m.cost;
  const out = [
    `## Data reliability report`,
    '',
    `${utc(m.since)} to ${utc(m.until)}`,
    '',
    mdTable(
      ['Measure', 'Value', 'Target', ''],
      [
        ['Check pass ratio', pr.overall === null ? '–' : percent(pr.overall), percent(pr.target, 1), mark(pr.overall === null ? undefined : pr.overall >= pr.target)],
        ['Mean time to detect', mean === null ? '–' : humanDuration(mean), `≤ ${humanDuration(m.mttd.targetSeconds)} (80% below the ${humanDuration(m.mttd.baselineSeconds)} baseline, an input)`, mark(mean === null ? undefined : mean <= m.mttd.targetSeconds)],
        ['p95 time to detect', m.mttd.overall.p95Seconds === null ? '–' : humanDuration(m.mttd.overall.p95Seconds), '', ''],
        ['Pipeline coverage', m.coverage.pipeline === undefined ? 'not measured yet' : percent(m.coverage.pipeline, 1), percent(m.coverage.targets.pipeline, 0), mark(m.coverage.pipeline === undefined ? undefined : m.coverage.pipeline >= m.coverage.targets.pipeline)],
        ['Lineage coverage', m.coverage.lineage === undefined ? 'not measured yet' : percent(m.coverage.lineage, 1), percent(m.coverage.targets.lineage, 0), mark(m.coverage.lineage === undefined ? undefined : m.coverage.lineage >= m.coverage.targets.lineage)],
        ['Monthly cost (input)', c.inputs.monthlyCostUsd === undefined ? 'not entered' : usd(c.inputs.monthlyCostUsd), `−${percent(c.target, 0)} vs ${usd(c.inputs.baselineCostUsd)} (input)`, mark(c.costReduction === undefined ? undefined : c.costReduction >= c.target)],
        ['People (input)', c.inputs.fte === undefined ? 'not entered' : `${c.inputs.fte} FTE`, `baseline ${c.inputs.baselineFte} FTE (input)`, ''],
      ],
    ),
    '',
    '### Per week',
    '',
    mdTable(
      ['Week of', 'Pass ratio', 'Evaluations', 'Incidents alerted', 'MTTD mean', 'MTTD p95'],
      pr.weeks.map((w, i) => {
        const t = m.mttd.weeks[i]!;
        return [weekLabel(w.week), w.ratio === null ? '–' : percent(w.ratio), String(w.total), String(t.count), t.meanSeconds === null ? '–' : humanDuration(t.meanSeconds), t.p95Seconds === null ? '–' : humanDuration(t.p95Seconds)];
      }),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    '### Incidents',
    '',
    m.incidents.length
      ? mdTable(
          ['Dataset', 'Detected', 'Root cause', 'What failed', 'MTTD', 'Time to resolve'],
          m.incidents.map((i) => [i.dataset, utc(i.detectedAt), i.rootCause, i.reason, i.mttdSeconds === undefined ? '–' : humanDuration(i.mttdSeconds), i.resolveSeconds === undefined ? 'open' : humanDuration(i.resolveSeconds)]),
        )
      : 'No incidents in this period.',
    '',
    '### Top offending checks',
    '',
    m.topChecks.length
      ? mdTable(
          ['Dataset', 'Check', 'Fail', 'Error', 'Warn', 'Pass ratio'],
          m.topChecks.map((o) => [o.dataset, o.check ?? '', String(o.fail), String(o.error), String(o.warn), percent(o.total ? o.pass / o.total : 0)]),
          ['l', 'l', 'r', 'r', 'r', 'r'],
        )
      : 'Every evaluated check passed.',
    '',
    `_Cost figures are inputs from \`report:\` in ${mdCell('datatrust.yml')}, not measurements._`,
  ];
  return out.join('\n') + '\n';
}
