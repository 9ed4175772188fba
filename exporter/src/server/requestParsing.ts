import { parseDuration } from '../checks/duration';
import type { BreakerState } from '../breaker/types';
import { HttpError } from './httpError';

export const MAX_WAIT_MS = 5 * 60_000;
export const MAX_OVERRIDE_TTL_MS = 7 * 86400_000;
/** A shorter override has already expired by the time anyone reads it. */
export const MIN_OVERRIDE_TTL_MS = 1000;

/** `?wait=30s` → ms, capped so a proxy's idle timeout is the only thing that can cut it shorter. */
export function parseWait(value: unknown): number {
  if (value === undefined || value === '') return 0;
  const seconds = typeof value === 'string' ? (parseDuration(value) ?? (/^\d+$/.test(value) ? Number(value) : undefined)) : undefined;
  if (seconds === undefined) throw new HttpError(400, '`wait` must be a duration such as `30s` or `5m`');
  return Math.min(seconds * 1000, MAX_WAIT_MS);
}

export interface OverrideRequest {
  state: BreakerState;
  reason: string;
  ttlMs: number;
  actor: string;
}

/** Validates `{state, reason, ttl, actor?}`; every problem named in one 400. */
export function parseOverride(body: unknown): OverrideRequest {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (b.state !== 'open' && b.state !== 'closed') problems.push('`state` must be "open" or "closed"');
  const reason = typeof b.reason === 'string' ? b.reason.trim() : '';
  if (!reason) problems.push('`reason` is required: overrides are audited');
  else if (reason.length > 500) problems.push('`reason` must be at most 500 characters');
  let ttlMs = 3600_000;
  if (b.ttl !== undefined) {
    const s = typeof b.ttl === 'number' ? b.ttl : typeof b.ttl === 'string' ? parseDuration(b.ttl) : undefined;
    if (s === undefined || s <= 0) problems.push('`ttl` must be a duration such as "2h" or a number of seconds');
    else if (s * 1000 > MAX_OVERRIDE_TTL_MS) problems.push('`ttl` must be at most 7d: overrides are temporary by design');
    else if (s * 1000 < MIN_OVERRIDE_TTL_MS) problems.push('`ttl` must be at least 1s: a shorter override has expired before anyone reads it');
    else ttlMs = s * 1000;
  }
  const actor = typeof b.actor === 'string' && b.actor.trim() ? b.actor.trim().slice(0, 100) : 'api';
  if (problems.length) throw new HttpError(400, problems.join('; '));
  return { state: b.state as BreakerState, reason, ttlMs, actor };
}

/** `?since=7d` → ms: how far back a history goes (default 7 days, at most 90). */
export function parseWindow(value: unknown, defaultMs = 7 * 86400_000): number {
  if (value === undefined || value === '') return defaultMs;
  const seconds = typeof value === 'string' ? parseDuration(value) : undefined;
  if (seconds === undefined || seconds <= 0) throw new HttpError(400, '`since` must be a duration such as `7d` or `24h`');
  return Math.min(seconds * 1000, 90 * 86400_000);
}
