import { humanDuration, percent, usd, utc, weekLabel } from './formatReport';
import type { ReportModel } from './reportModel';
import { barChart, esc, gauge, lineChart } from './svgCharts';

const STYLE = `
@page{size:A4;margin:14mm 12mm}
*{box-sizing:border-box}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR",sans-serif;color:#1f2328;margin:0 auto;max-width:186mm;padding:8mm 0}
h1{font-size:22px;margin:0 0 2px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #d0d7de;padding-bottom:3px}
.sub{color:#59636e;margin:0 0 12px}
section{break-inside:avoid;page-break-inside:avoid}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:12px 0}
.kpi{border:1px solid #d0d7de;border-radius:6px;padding:8px 10px}
.kpi .v{font-size:20px;font-weight:650}.kpi .v.nodata{font-size:15px;color:#59636e}.kpi .t{color:#59636e;font-size:11px}
.met{color:#1a7f37}.missed{color:#c4162a}.unknown{color:#59636e}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #e5e7eb;vertical-align:top}th{background:#f6f8fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:#eaeef2}.chart .tick,.chart .label{font-size:11px;fill:#59636e}.chart .value{font-size:11px;fill:#1f2328}.chart .nodata{font-size:11px;fill:#8c959f}
.chart .bar{fill:#4f7cba}.chart .bar.ok{fill:#2da44e}.chart .bar.below{fill:#d4a72c}.chart .track{fill:#eaeef2}
.chart .ref line{stroke-width:1.5;stroke-dasharray:5 4}.chart .ref text{font-size:11px}
.chart line.target{stroke:#c4162a}.chart .ref.target line{stroke:#c4162a}.chart .ref.target text{fill:#c4162a}
.chart .ref.baseline line{stroke:#8c959f}.chart .ref.baseline text{fill:#59636e}
.chart .series path{fill:none;stroke-width:2}.chart .series.mean path{stroke:#4f7cba}.chart .series.mean circle{fill:#4f7cba}
.chart .series.p95 path{stroke:#bf5700;stroke-dasharray:2 3}.chart .series.p95 circle{fill:#bf5700}
.legend{font-size:11px;color:#59636e}.legend b{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}
.input{font-size:10px;font-weight:600;color:#8250df;border:1px solid #c297ff;border-radius:8px;padding:0 5px;margin-left:4px}
.note{color:#59636e;font-size:11px}
@media print{body{padding:0}h2{margin-top:14px}}
`;

function verdict(met: boolean | undefined): string {
  return met === undefined ? '<span class="unknown">not measured</span>' : met ? '<span class="met">target met</span>' : '<span class="missed">below target</span>';
}

function kpi(title: string, value: string, target: string, met: boolean | undefined, name: string): string {
  return `<div class="kpi" data-kpi="${esc(name)}"><div class="t">${esc(title)}</div><div class="v${/^not /.test(value) ? ' nodata' : ''}">${esc(value)}</div><div class="t">${esc(target)} · ${verdict(met)}</div></div>`;
}

/**
 * The executive report: one self-contained HTML page (inline CSS and SVG, no script, no network)
 * that prints on A4. Every figure comes from the report model.
 */
export function renderReportHtml(m: ReportModel): string {
  const pr = m.passRatio;
  const mttdMean = m.mttd.overall.meanSeconds;
  const minutes = (s: number) => s / 60;
  const ratios = pr.weeks.flatMap((w) => (w.ratio === null ? [] : [w.ratio]));
  // Below the lowest week, so every bar shows; the axis rounds it down further.
  const prMin = Math.min(0.99, ...ratios) - 0.002;
  const mttdMax = Math.max(m.mttd.baselineSeconds, ...m.mttd.weeks.flatMap((w) => [w.meanSeconds ?? 0, w.p95Seconds ?? 0])) * 1.08;
  const labels = pr.weeks.map((w) => weekLabel(w.week));
  const cost = m.cost;

  const kpis = [
    kpi('Check pass ratio', pr.overall === null ? '–' : percent(pr.overall), `target ${percent(pr.target, 1)}`, pr.overall === null ? undefined : pr.overall >= pr.target, 'pass-ratio'),
    kpi('Mean time to detect', mttdMean === null ? '–' : humanDuration(mttdMean), `target ≤ ${humanDuration(m.mttd.targetSeconds)} (80% below baseline)`, mttdMean === null ? undefined : mttdMean <= m.mttd.targetSeconds, 'mttd'),
    kpi('Pipeline coverage', m.coverage.pipeline === undefined ? 'not measured yet' : percent(m.coverage.pipeline, 1), `target ${percent(m.coverage.targets.pipeline, 0)}`, m.coverage.pipeline === undefined ? undefined : m.coverage.pipeline >= m.coverage.targets.pipeline, 'pipeline-coverage'),
    kpi('Monthly cost (input)', cost.inputs.monthlyCostUsd === undefined ? 'not entered' : usd(cost.inputs.monthlyCostUsd), `baseline ${usd(cost.inputs.baselineCostUsd)}, target −${percent(cost.target, 0)}`, cost.costReduction === undefined ? undefined : cost.costReduction >= cost.target, 'cost'),
  ];

  const passChart = barChart({
    name: 'pass-ratio',
    title: 'Check pass ratio per week',
    bars: pr.weeks.map((w) => ({ label: weekLabel(w.week), value: w.ratio, text: w.ratio === null ? '' : percent(w.ratio) })),
    min: prMin,
    max: 1,
    format: (v) => percent(v, 1),
    lines: [{ value: pr.target, label: `target ${percent(pr.target, 1)}`, className: 'target' }],
  });
  const mttdChart = lineChart({
    name: 'mttd',
    title: 'Time to detect per week, minutes',
    labels,
    series: [
      { name: 'mean', className: 'mean', values: m.mttd.weeks.map((w) => (w.meanSeconds === null ? null : minutes(w.meanSeconds))), text: (v) => `${Number(v.toFixed(1))}` },
      { name: 'p95', className: 'p95', values: m.mttd.weeks.map((w) => (w.p95Seconds === null ? null : minutes(w.p95Seconds))), text: (v) => `${Number(v.toFixed(1))}` },
    ],
    min: 0,
    max: minutes(mttdMax),
    format: (v) => `${Number(v.toFixed(1))} min`,
    lines: [
      { value: minutes(m.mttd.baselineSeconds), label: `baseline ${humanDuration(m.mttd.baselineSeconds)} (input)`, className: 'baseline' },
      { value: minutes(m.mttd.targetSeconds), label: `target ${humanDuration(m.mttd.targetSeconds)}`, className: 'target' },
    ],
  });
  const costChart =
    cost.inputs.monthlyCostUsd === undefined
      ? '<p class="note">Enter <code>report.monthly_cost_usd</code> in datatrust.yml to compare with the baseline.</p>'
      : barChart({
          name: 'cost',
          title: 'Monthly cost, USD (inputs)',
          bars: [
            { label: 'Commercial baseline', value: cost.inputs.baselineCostUsd, text: usd(cost.inputs.baselineCostUsd) },
            { label: 'DataTrust-Light', value: cost.inputs.monthlyCostUsd, text: usd(cost.inputs.monthlyCostUsd) },
          ],
          min: 0,
          max: Math.max(cost.inputs.baselineCostUsd, cost.inputs.monthlyCostUsd) * 1.08 || 1,
          format: usd,
          lines: [{ value: cost.inputs.baselineCostUsd * (1 - cost.target), label: `target ${usd(cost.inputs.baselineCostUsd * (1 - cost.target))}`, className: 'target' }],
        });

  const incidentRows = m.incidents
    .map(
      (i) =>
        `<tr data-incident="${esc(i.id)}"><td>${esc(i.dataset)}</td><td>${esc(utc(i.detectedAt))}</td><td>${esc(i.rootCause)}</td><td>${esc(i.reason)}</td><td class="n">${i.mttdSeconds === undefined ? '–' : esc(humanDuration(i.mttdSeconds))}</td><td class="n">${i.resolveSeconds === undefined ? '<span class="missed">open</span>' : esc(humanDuration(i.resolveSeconds))}</td></tr>`,
    )
    .join('');
  const offenderRows = (rows: ReportModel['topChecks'], withCheck: boolean) =>
    rows
      .map((o) => `<tr><td>${esc(o.dataset)}</td>${withCheck ? `<td>${esc(o.check ?? '')}</td>` : ''}<td class="n">${o.fail}</td><td class="n">${o.error}</td><td class="n">${o.warn}</td><td class="n">${o.total}</td><td class="n">${percent(o.total ? o.pass / o.total : 0)}</td></tr>`)
      .join('');
  const offenderHead = (withCheck: boolean) => `<tr><th>Dataset</th>${withCheck ? '<th>Check</th>' : ''}<th class="n">Fail</th><th class="n">Error</th><th class="n">Warn</th><th class="n">Evaluations</th><th class="n">Pass ratio</th></tr>`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>DataTrust-Light report ${esc(m.since.slice(0, 10))} – ${esc(m.until.slice(0, 10))}</title>
<style>${STYLE}</style></head><body>
<h1>Data reliability report</h1>
<p class="sub">DataTrust-Light · ${esc(utc(m.since))} to ${esc(utc(m.until))} · generated ${esc(utc(m.generatedAt))}</p>
<div class="kpis">${kpis.join('')}</div>

<section id="pass-ratio"><h2>Check pass ratio per week</h2>
${passChart}
<p class="note">${pr.pass.toLocaleString('en-US')} of ${pr.total.toLocaleString('en-US')} check evaluations passed. Target: ${percent(pr.target, 1)} (PRD 5.1). Warnings and errors count as not passing; history checks without history are left out.</p></section>

<section id="mttd"><h2>Time to detect (MTTD)</h2>
${mttdChart}
<p class="legend"><b style="background:#4f7cba"></b>mean <b style="background:#bf5700"></b>p95 · ${m.mttd.overall.count} incident${m.mttd.overall.count === 1 ? '' : 's'} alerted; overall mean ${mttdMean === null ? '–' : humanDuration(mttdMean)}, p95 ${m.mttd.overall.p95Seconds === null ? '–' : humanDuration(m.mttd.overall.p95Seconds)}.</p>
<p class="note">MTTD is first alert delivered minus bad data arrived. The baseline (time to detect before DataTrust) is an input, <code>report.baseline_mttd</code>; the target is 80% below it (PRD 1.3).</p></section>

<section id="coverage"><h2>Coverage</h2>
<table><tr><th style="width:28%">Pipelines with quality checks</th><td>${gauge({ name: 'pipeline-coverage', title: 'Pipeline coverage', ...(m.coverage.pipeline !== undefined ? { value: m.coverage.pipeline } : {}), target: m.coverage.targets.pipeline })}</td></tr>
<tr><th>Datasets with recorded lineage</th><td>${gauge({ name: 'lineage-coverage', title: 'Lineage coverage', ...(m.coverage.lineage !== undefined ? { value: m.coverage.lineage } : {}), target: m.coverage.targets.lineage })}</td></tr></table>
<p class="note">Targets: pipelines 80%, lineage 90% (PRD 5.1). Both are measured from pipeline runs reported as OpenLineage events.</p></section>

<section id="incidents"><h2>Incidents</h2>
${m.incidents.length ? `<table><tr><th>Dataset</th><th>Detected</th><th>Root cause</th><th>What failed</th><th class="n">MTTD</th><th class="n">Time to resolve</th></tr>${incidentRows}</table>` : '<p>No incidents in this period.</p>'}</section>

<section id="offenders"><h2>Top offending datasets and checks</h2>
${m.topDatasets.length ? `<table>${offenderHead(false)}${offenderRows(m.topDatasets, false)}</table><p></p><table>${offenderHead(true)}${offenderRows(m.topChecks, true)}</table>` : '<p>Every evaluated check passed.</p>'}</section>

<section id="cost"><h2>Cost <span class="input">INPUTS</span></h2>
${costChart}
<table><tr><th>Input (datatrust.yml <code>report:</code>)</th><th class="n">Value</th></tr>
<tr><td>DataTrust monthly cost <span class="input">input</span></td><td class="n">${cost.inputs.monthlyCostUsd === undefined ? 'not entered' : usd(cost.inputs.monthlyCostUsd)}</td></tr>
<tr><td>Commercial baseline, monthly <span class="input">input</span></td><td class="n">${usd(cost.inputs.baselineCostUsd)}</td></tr>
<tr><td>People running DataTrust, FTE <span class="input">input</span></td><td class="n">${cost.inputs.fte === undefined ? 'not entered' : cost.inputs.fte}</td></tr>
<tr><td>People for the baseline, FTE <span class="input">input</span></td><td class="n">${cost.inputs.baselineFte}</td></tr>
<tr><th>Reduction (computed from the inputs)</th><th class="n"></th></tr>
<tr><td>Cost, target ${percent(cost.target, 0)}</td><td class="n" data-value="${cost.costReduction ?? ''}">${cost.costReduction === undefined ? '–' : percent(cost.costReduction, 1)}</td></tr>
<tr><td>People</td><td class="n" data-value="${cost.fteReduction ?? ''}">${cost.fteReduction === undefined ? '–' : percent(cost.fteReduction, 1)}</td></tr></table>
<p class="note">Cost figures are entered, not measured. Baselines default to the PRD's ($5,000/month, 2 FTE).</p></section>
</body></html>
`;
}
