import { createHash } from 'node:crypto';
import type { OutboxEntry } from './outboxEntry';

/** Give up after this many attempts (about a day with the backoff below); the entry goes `dead`. */
export const MAX_ATTEMPTS = 30;
const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** At most this many events in one message, so one delivery never grows unbounded. */
export const MAX_BATCH = 20;

/** Exponential backoff with ±20% jitter, so channels that failed together do not retry in lockstep. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface ChannelPlan {
  /** Entries to send now as one message (empty: nothing to do yet). */
  send: OutboxEntry[];
  /** The batch `send` already is, when it was attempted before: it goes again under its key. */
  batchId?: string;
  /** When to look at this channel again, if something is waiting. */
  wakeAt?: number;
}

/**
 * Alert grouping per channel (the PRD's 5-minute window against alert fatigue). The first
 * event after a quiet window goes out at once, so detection is never delayed; events that
 * follow within the window wait and leave together when it ends.
 */
export function planChannel(pending: readonly OutboxEntry[], lastSentAt: number | undefined, windowMs: number, now: number): ChannelPlan {
  const due = pending.filter((e) => e.status === 'pending' && Date.parse(e.dueAt) <= now);
  const later = pending.filter((e) => e.status === 'pending' && Date.parse(e.dueAt) > now).map((e) => Date.parse(e.dueAt));
  const windowOpensAt = lastSentAt === undefined ? now : lastSentAt + windowMs;
  if (due.length && windowOpensAt <= now) {
    // A batch that was attempted goes again exactly as it was, so a retry after a crash or a
    // timeout carries the same members under the same Idempotency-Key. New entries never join it.
    const formed = due.find((e) => e.batchId !== undefined)?.batchId;
    const send = formed !== undefined ? pending.filter((e) => e.batchId === formed && e.status === 'pending') : due.filter((e) => e.batchId === undefined).slice(0, MAX_BATCH);
    // Whatever is left can leave no earlier than the next window.
    const remaining = [...(due.length > send.length ? [now + windowMs] : []), ...later];
    const plan: ChannelPlan = formed !== undefined ? { send, batchId: formed } : { send };
    return remaining.length ? { ...plan, wakeAt: Math.min(...remaining) } : plan;
  }
  const candidates = [...(due.length ? [windowOpensAt] : []), ...later];
  return candidates.length ? { send: [], wakeAt: Math.min(...candidates) } : { send: [] };
}

/** The id of a new batch, from its members: sent as the Idempotency-Key and kept with them (OutboxEntry.batchId). */
export function deliveryId(entries: readonly OutboxEntry[]): string {
  const h = createHash('sha256');
  for (const id of entries.map((e) => e.id).sort()) h.update(id + '\n');
  return h.digest('hex').slice(0, 32);
}
