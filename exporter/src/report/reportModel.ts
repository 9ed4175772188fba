import { type Incident, mttdSeconds, summarizeMttd } from '../breaker/incident';
import type { ReportSettings } from '../config/types';
import type { EvaluationStats, OutcomeCounts } from '../state/stateStore';
import { COVERAGE_TARGETS, type Coverage } from './coverage';

/** PRD 1.3 and 5.1: the targets the report measures against. */
export const TARGETS = { passRatio: 0.999, mttdReduction: 0.8, costReduction: 0.9, ...COVERAGE_TARGETS } as const;

const DAY_MS = 86400_000;

export interface WeekPassRatio {
  /** Monday (UTC) that starts the week, `YYYY-MM-DD`. */
  week: string;
  pass: number;
  total: number;
  /** pass / total, or null without evaluations. */
  ratio: number | null;
}

export interface WeekMttd {
  week: string;
  count: number;
  meanSeconds: number | null;
  p95Seconds: number | null;
}

export interface ReportIncident {
  id: string;
  dataset: string;
  detectedAt: string;
  resolvedAt?: string;
  /** Resolution minus detection; undefined while open. */
  resolveSeconds?: number;
  mttdSeconds?: number;
  /** The dataset whose data was bad: an upstream one when this dataset was only blocked. */
  rootCause: string;
  /** What failed there, in words. */
  reason: string;
}

export interface Offender extends OutcomeCounts {
  dataset: string;
  check?: string;
  total: number;
}

export interface ReportModel {
  generatedAt: string;
  since: string;
  until: string;
  passRatio: { weeks: WeekPassRatio[]; overall: number | null; pass: number; total: number; target: number };
  mttd: { weeks: WeekMttd[]; overall: { count: number; meanSeconds: number | null; p95Seconds: number | null }; baselineSeconds: number; targetSeconds: number };
  coverage: Coverage & { targets: typeof COVERAGE_TARGETS };
  incidents: ReportIncident[];
  topDatasets: Offender[];
  topChecks: Offender[];
  cost: {
    inputs: ReportSettings;
    /** 1 − monthly / baseline, when the monthly cost is entered. */
    costReduction?: number;
    fteReduction?: number;
    target: number;
  };
}

/** Monday 00:00 UTC of the week holding `t`. */
export function weekStart(t: number): string {
  const d = new Date(Math.floor(t / DAY_MS) * DAY_MS);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

/** Every week from the one holding `since` to the one holding `until`, so empty weeks show as gaps. */
function weeksBetween(since: number, until: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(weekStart(since)); t <= until; t += 7 * DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const bad = (c: OutcomeCounts) => c.fail + c.error;
const total = (c: OutcomeCounts) => c.pass + c.warn + c.fail + c.error;

function rootCauseOf(i: Incident): { rootCause: string; reason: string } {
  if (i.cause.startsWith('upstream:')) {
    const up = i.cause.slice('upstream:'.length);
    return { rootCause: up, reason: `blocked by ${up}'s open breaker` };
  }
  if (i.cause === 'scan_error') return { rootCause: i.dataset, reason: `scan error${i.failingChecks[0]?.error ? `: ${i.failingChecks[0].error}` : ''}` };
  const names = i.failingChecks.map((c) => (c.message ? `${c.name} (${c.message})` : c.name));
  return { rootCause: i.dataset, reason: names.length ? names.join('; ') : String(i.cause) };
}

/** The report's figures from what the state store holds. Pure: every number the report shows comes from here. */
export function buildReportModel(input: { stats: EvaluationStats; incidents: readonly Incident[]; settings: ReportSettings; coverage: Coverage; since: Date; now: Date }): ReportModel {
  const { stats, settings, since, now } = input;
  const weeks = weeksBetween(since.getTime(), now.getTime());

  const passByWeek = new Map(weeks.map((w) => [w, { pass: 0, total: 0 }]));
  for (const d of stats.days) {
    const w = passByWeek.get(weekStart(Date.parse(`${d.day}T00:00:00Z`)));
    if (!w) continue;
    w.pass += d.pass;
    w.total += total(d);
  }
  const passWeeks = weeks.map((week) => {
    const w = passByWeek.get(week)!;
    return { week, pass: w.pass, total: w.total, ratio: w.total ? w.pass / w.total : null };
  });
  const pass = passWeeks.reduce((a, w) => a + w.pass, 0);
  const evaluated = passWeeks.reduce((a, w) => a + w.total, 0);

  const alerted = input.incidents.filter((i) => i.firstAlertAt && Date.parse(i.firstAlertAt) >= since.getTime());
  const mttdWeeks = weeks.map((week) => {
    const s = summarizeMttd(alerted.filter((i) => weekStart(Date.parse(i.firstAlertAt!)) === week).map((i) => mttdSeconds(i)!));
    return { week, count: s.count, meanSeconds: s.avgSeconds, p95Seconds: s.p95Seconds };
  });
  const overall = summarizeMttd(alerted.map((i) => mttdSeconds(i)!));
  const baselineSeconds = settings.baselineMttdMs / 1000;

  const incidents = input.incidents
    .filter((i) => Date.parse(i.detectedAt) >= since.getTime())
    .sort((a, b) => Date.parse(b.detectedAt) - Date.parse(a.detectedAt))
    .map((i): ReportIncident => {
      const m = mttdSeconds(i);
      return {
        id: i.id,
        dataset: i.dataset,
        detectedAt: i.detectedAt,
        ...(i.resolvedAt ? { resolvedAt: i.resolvedAt, resolveSeconds: Math.max(0, (Date.parse(i.resolvedAt) - Date.parse(i.detectedAt)) / 1000) } : {}),
        ...(m !== undefined ? { mttdSeconds: m } : {}),
        ...rootCauseOf(i),
      };
    });

  const perDataset = new Map<string, Offender>();
  for (const c of stats.checks) {
    const d = perDataset.get(c.dataset) ?? { dataset: c.dataset, pass: 0, warn: 0, fail: 0, error: 0, total: 0 };
    d.pass += c.pass;
    d.warn += c.warn;
    d.fail += c.fail;
    d.error += c.error;
    d.total += total(c);
    perDataset.set(c.dataset, d);
  }
  const rank = (a: Offender, b: Offender) => bad(b) - bad(a) || b.warn - a.warn || a.dataset.localeCompare(b.dataset) || (a.check ?? '').localeCompare(b.check ?? '');
  const topDatasets = [...perDataset.values()].filter((d) => bad(d) + d.warn > 0).sort(rank).slice(0, 5);
  const topChecks = stats.checks
    .map((c): Offender => ({ ...c, total: total(c) }))
    .filter((c) => bad(c) + c.warn > 0)
    .sort(rank)
    .slice(0, 10);

  return {
    generatedAt: now.toISOString(),
    since: since.toISOString(),
    until: now.toISOString(),
    passRatio: { weeks: passWeeks, overall: evaluated ? pass / evaluated : null, pass, total: evaluated, target: TARGETS.passRatio },
    mttd: { weeks: mttdWeeks, overall: { count: overall.count, meanSeconds: overall.avgSeconds, p95Seconds: overall.p95Seconds }, baselineSeconds, targetSeconds: Math.round(baselineSeconds * (1 - TARGETS.mttdReduction) * 1000) / 1000 },
    coverage: { ...input.coverage, targets: COVERAGE_TARGETS },
    incidents,
    topDatasets,
    topChecks,
    cost: {
      inputs: settings,
      ...(settings.monthlyCostUsd !== undefined && settings.baselineCostUsd > 0 ? { costReduction: 1 - settings.monthlyCostUsd / settings.baselineCostUsd } : {}),
      ...(settings.fte !== undefined && settings.baselineFte > 0 ? { fteReduction: 1 - settings.fte / settings.baselineFte } : {}),
      target: TARGETS.costReduction,
    },
  };
}
