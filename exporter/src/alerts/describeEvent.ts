import { formatDuration } from '../checks/duration';
import type { Outcome } from '../checks/outcome';
import type { AlertBatch, AlertEvent, FailingCheck } from './types';

/** Beyond this many checks a message says "and N more": alerts are read on phones. */
export const MAX_LISTED_CHECKS = 5;
/** Same idea for the downstream datasets named under Impact. */
export const MAX_LISTED_DATASETS = 10;

export type EventKind = 'open' | 'resolved' | 'warning';

/** One failing check, split into parts so each channel can style them (bold name, code definition). */
export interface CheckIssue {
  name: string;
  /** The SodaCL line, when the check has a human name that differs from it. */
  definition?: string;
  outcome: Outcome;
  /** The receiver's best explanation: error, then message, then the measured value. */
  detail?: string;
}

export interface EventLink {
  label: string;
  url: string;
}

/**
 * Everything a human-readable alert says about one event, decided once so Slack and e-mail
 * cannot drift apart. Formatters only lay it out.
 */
export interface EventDescription {
  kind: EventKind;
  emoji: string;
  title: string;
  dataset: string;
  /** Shown when there are no checks to list (a scan error, an upstream block, a resolution). */
  summary: string;
  issues: CheckIssue[];
  /** Failing checks left out of `issues`. */
  moreIssues: number;
  impact: string;
  /** Label and formatted time for the "Since" line (opened / resolved / first seen). */
  when: { label: string; at: string };
  /** For resolved incidents: how long the breaker was open, e.g. `42m13s`. */
  lasted?: string;
  action: string;
  incidentId?: string;
  /** Only http(s) links; anything else from the event is dropped rather than rendered. */
  links: EventLink[];
}

/** Fail and error first (they open breakers), then warnings; stable otherwise, keeping the producer's order. */
const SEVERITY_RANK: Record<Outcome, number> = { fail: 0, error: 0, warn: 1, not_evaluated: 2, pass: 3 };

export function kindOf(event: AlertEvent): EventKind {
  switch (event.type) {
    case 'incident.opened':
      return 'open';
    case 'incident.resolved':
      return 'resolved';
    case 'dataset.warning':
      return 'warning';
  }
}

/** `upstream:raw_tx` → `raw_tx`; undefined for the dataset's own causes. */
export function upstreamOf(cause: string | undefined): string | undefined {
  return cause?.startsWith('upstream:') ? cause.slice('upstream:'.length) || undefined : undefined;
}

/** Seconds from `openedAt` to `at`, or undefined when either is missing or unparsable. */
export function lastedSeconds(event: AlertEvent): number | undefined {
  if (!event.openedAt) return undefined;
  const from = Date.parse(event.openedAt);
  const to = Date.parse(event.at);
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return undefined;
  return Math.round((to - from) / 1000);
}

/** `2026-03-01T10:00:05.123Z` → `2026-03-01 10:00:05 UTC`; unparsable text is shown as given. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function sortBySeverity(checks: readonly FailingCheck[]): FailingCheck[] {
  return [...checks].sort((a, b) => SEVERITY_RANK[a.outcome] - SEVERITY_RANK[b.outcome]);
}

export function checkIssue(check: FailingCheck): CheckIssue {
  const detail = check.error ?? check.message ?? (check.value === null ? undefined : `value ${formatValue(check.value)}`);
  return {
    name: check.name,
    ...(check.definition && check.definition !== check.name ? { definition: check.definition } : {}),
    outcome: check.outcome,
    ...(detail ? { detail } : {}),
  };
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "a, b and 3 more" with at most `max` names. */
export function listNames(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function titleOf(event: AlertEvent, kind: EventKind, lasted: string | undefined): string {
  if (kind === 'resolved') return lasted ? `Resolved after ${lasted}` : 'Resolved';
  if (kind === 'warning') return 'Quality Warning';
  if (event.cause === 'scan_error') return 'Quality Scan Error';
  const upstream = upstreamOf(event.cause);
  if (upstream) return `Blocked by Upstream ${upstream}`;
  return 'Quality Check Failed';
}

function summaryOf(event: AlertEvent, kind: EventKind): string {
  if (kind === 'resolved') return 'All checks pass again; the breaker is closed.';
  if (kind === 'warning') return 'Checks are warning; nothing is blocked yet.';
  if (event.cause === 'scan_error') return 'The scan could not run, so the data cannot be trusted.';
  const upstream = upstreamOf(event.cause);
  if (upstream) return `Upstream dataset ${upstream} has an open breaker.`;
  return 'Checks failed.';
}

/** "3 downstream pipelines blocked: a, b, c; 4 datasets: w, x, y and 1 more" (PRD 4.3), nearest first. */
function impactOf(event: AlertEvent, kind: EventKind): string {
  const jobs = event.blockedJobs ?? [];
  const n = event.blocked.length;
  if (n === 0 && jobs.length === 0) return kind === 'warning' ? 'none (warnings do not block)' : 'none';
  const verb = kind === 'resolved' ? 'unblocked' : 'blocked';
  const datasets = n ? `${plural(n, 'downstream dataset')} ${verb}: ${listNames(event.blocked, MAX_LISTED_DATASETS)}` : '';
  if (jobs.length === 0) return datasets;
  const pipelines = `${plural(jobs.length, 'downstream pipeline')} ${verb}: ${listNames(jobs, MAX_LISTED_DATASETS)}`;
  return n ? `${pipelines}; ${datasets.replace(/ (un)?blocked:/, ':')}` : pipelines;
}

function actionOf(event: AlertEvent, kind: EventKind): string {
  if (kind === 'resolved') return 'None: pipelines may proceed';
  if (kind === 'warning') return 'Review the warnings before they become failures';
  if (event.cause === 'scan_error') return 'Check the source connection and credentials, then rescan';
  const upstream = upstreamOf(event.cause);
  if (upstream) return `Fix ${upstream} first; this breaker closes when it does`;
  return 'Fix the data or the check, then rescan';
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function linksOf(event: AlertEvent): EventLink[] {
  const candidates: [string, string | undefined][] = [
    ['Dashboard', event.links.dashboard],
    ['Gate status', event.links.gate],
    ['Lineage', event.links.lineage],
  ];
  return candidates.flatMap(([label, url]) => (url && isHttpUrl(url) ? [{ label, url }] : []));
}

export function describeEvent(event: AlertEvent): EventDescription {
  const kind = kindOf(event);
  const seconds = kind === 'resolved' ? lastedSeconds(event) : undefined;
  const lasted = seconds === undefined ? undefined : formatDuration(seconds);
  const checks = sortBySeverity(event.failingChecks);
  const emoji = kind === 'open' ? '🚨' : kind === 'resolved' ? '✅' : '⚠️';
  const whenLabel = kind === 'open' ? 'Since' : kind === 'resolved' ? 'Resolved at' : 'First seen';
  return {
    kind,
    emoji,
    title: titleOf(event, kind, lasted),
    dataset: event.dataset,
    summary: summaryOf(event, kind),
    issues: checks.slice(0, MAX_LISTED_CHECKS).map(checkIssue),
    moreIssues: Math.max(0, checks.length - MAX_LISTED_CHECKS),
    impact: impactOf(event, kind),
    when: { label: whenLabel, at: formatTime(event.at) },
    ...(lasted ? { lasted } : {}),
    action: actionOf(event, kind),
    ...(event.incidentId ? { incidentId: event.incidentId } : {}),
    links: linksOf(event),
  };
}

export interface BatchCounts {
  open: number;
  resolved: number;
  warning: number;
}

export function countKinds(batch: AlertBatch): BatchCounts {
  const counts: BatchCounts = { open: 0, resolved: 0, warning: 0 };
  for (const e of batch.events) counts[kindOf(e)]++;
  return counts;
}

/** `2 open, 1 resolved, 1 warning`, leaving out kinds that did not occur. */
export function countsText(counts: BatchCounts): string {
  const parts = [counts.open ? `${counts.open} open` : '', counts.resolved ? `${counts.resolved} resolved` : '', counts.warning ? plural(counts.warning, 'warning') : ''];
  return parts.filter(Boolean).join(', ');
}

/** "3 data quality events" for a grouped message. */
export function batchHeadline(batch: AlertBatch): string {
  return `${batch.events.length} data quality event${batch.events.length === 1 ? '' : 's'}`;
}
