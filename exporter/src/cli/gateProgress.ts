import { formatDuration } from '../checks/duration';
import type { GateBreaker } from './gateResponse';
import type { JobBlocker, JobGateView } from './jobGate';

/** `29m12s`, from milliseconds; whole seconds are plenty for a human waiting on a pipeline. */
export function formatRemaining(ms: number): string {
  return formatDuration(Math.ceil(ms / 1000));
}

/** How long the gate has waited, to the nearest second. */
export function formatWaited(ms: number): string {
  return formatDuration(Math.round(ms / 1000));
}

/** `(cause check_failed: No negative amounts after cleaning and 2 more)`, or '' with no cause. */
export function causeText(b: GateBreaker): string {
  const parts: string[] = [];
  if (b.cause) parts.push(`cause ${b.cause}`);
  const [first, ...rest] = b.failingChecks;
  if (first) {
    const detail = first.error ? ` (${first.error})` : '';
    parts.push(`${first.name}${detail}${rest.length ? ` and ${rest.length} more` : ''}`);
  }
  return parts.length ? ` (${parts.join(': ')})` : '';
}

/** `, overridden by alice until 2026-…: "rollback in progress"` when a manual override decides the state. */
export function overrideText(b: GateBreaker): string {
  const o = b.overridden;
  if (!o) return '';
  const who = o.actor ? ` by ${o.actor}` : '';
  const until = o.expiresAt ? ` until ${o.expiresAt}` : '';
  const why = o.reason ? `: "${o.reason}"` : '';
  return ` [manual override${who}${until}${why}]`;
}

function since(b: GateBreaker): string {
  return b.since ? ` since ${b.since}` : '';
}

export function openLine(b: GateBreaker, remainingMs: number): string {
  return `gate: ${b.dataset} is OPEN${since(b)}${causeText(b)}${overrideText(b)} — waiting, ${formatRemaining(remainingMs)} left`;
}

export function closedLine(b: GateBreaker): string {
  return `gate: ${b.dataset} is CLOSED${since(b)}${overrideText(b)} — proceeding`;
}

export function gaveUpLine(b: GateBreaker, waitedMs: number): string {
  return `gate: ${b.dataset} is still OPEN after ${formatWaited(waitedMs)}${causeText(b)}${overrideText(b)} — giving up`;
}

export function unreachableLine(reason: string, failures: number, delayMs: number, remainingMs: number): string {
  const attempt = failures > 1 ? ` (${failures} failures in a row)` : '';
  return `gate: exporter unreachable: ${reason}${attempt} — retrying in ${(delayMs / 1000).toFixed(1)}s, ${formatRemaining(remainingMs)} left`;
}

/**
 * The way from the open breaker to the job's input, jobs between datasets:
 * `raw_transactions → demo/demo.clean → cleaned_transactions`.
 */
export function blockerText(b: JobBlocker): string {
  const path = b.path[0] === b.dataset ? b.path : [b.dataset, ...b.path];
  const [head, ...rest] = path;
  // `via` names the job of each hop when the exporter gives one per hop; else it is listed after.
  const interleave = b.via.length === rest.length;
  const hops = rest.map((d, i) => (interleave ? ` → ${b.via[i]} → ${d}` : ` → ${d}`)).join('');
  return `${head}${hops}${!interleave && b.via.length ? ` (via ${b.via.join(', ')})` : ''}`;
}

/** `(blocked by raw_transactions → demo/demo.clean → cleaned_transactions and 1 more)`, else the cause, else ''. */
export function jobBlockedText(v: JobGateView): string {
  const [first, ...rest] = v.blockedBy;
  if (first) return ` (blocked by ${blockerText(first)}${rest.length ? ` and ${rest.length} more` : ''})`;
  return v.cause ? ` (cause ${v.cause})` : '';
}

function jobName(v: JobGateView): string {
  return `job ${v.namespace}/${v.job}`;
}

export function jobOpenLine(v: JobGateView, remainingMs: number): string {
  return `gate: ${jobName(v)} is OPEN${jobBlockedText(v)} — waiting, ${formatRemaining(remainingMs)} left`;
}

export function jobClosedLine(v: JobGateView): string {
  const n = v.inputs.length;
  return `gate: ${jobName(v)} is CLOSED (${n === 0 ? 'no inputs in lineage' : `${n} input${n === 1 ? '' : 's'} closed`}) — proceeding`;
}

export function jobGaveUpLine(v: JobGateView, waitedMs: number): string {
  return `gate: ${jobName(v)} is still OPEN after ${formatWaited(waitedMs)}${jobBlockedText(v)} — giving up`;
}
