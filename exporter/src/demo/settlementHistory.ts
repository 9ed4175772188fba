/**
 * The demo's seasonal story: `card_settlements` holds the day's settlement file from the card
 * network, fewer records at weekends. Eight weeks of its daily row counts are written into the
 * state store as history; today's file stopped short (the planted drop). The day's level sits
 * inside the spread of the whole week, so a detector that ignores the weekday (the MAD one)
 * lets it pass; compared with earlier days of the same weekday it is far out.
 */
import type { MetricPoint } from '../anomaly/detector';

/** Usual records of a day's file by UTC weekday, Sunday first. */
export const SETTLEMENT_WEEK = [4_500, 8_000, 10_000, 10_000, 9_500, 8_500, 5_500] as const;
/** Today's file holds this share of its weekday's usual records. */
export const SETTLEMENT_DROP = 0.6;
/** Days of history written: eight of each weekday. */
export const SETTLEMENT_HISTORY_DAYS = 56;
export const SETTLEMENT_DATASET = 'card_settlements';
export const SETTLEMENT_METRIC = 'row_count';

const DAY = 86_400_000;

/** -0.02…+0.02 from the day number: a hash, so the same weekday's days do not drift in step. */
function noiseOf(day: number): number {
  let h = Math.imul(day ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (((h >>> 0) % 41) - 20) / 1000;
}

/** A normal day's count: its weekday's level ±2%, the same on every machine. */
export function usualSettlements(at: number): number {
  const noise = noiseOf(Math.floor(at / DAY));
  return Math.round(SETTLEMENT_WEEK[new Date(at).getUTCDay()]! * (1 + noise));
}

/** Records in today's (short) file. */
export function todaysSettlements(anchor: Date): number {
  return Math.round(SETTLEMENT_WEEK[anchor.getUTCDay()]! * SETTLEMENT_DROP);
}

/** One point a day for SETTLEMENT_HISTORY_DAYS days before `anchor`, at its time of day, oldest first. */
export function settlementHistory(anchor: Date): MetricPoint[] {
  return Array.from({ length: SETTLEMENT_HISTORY_DAYS }, (_, i) => {
    const at = anchor.getTime() - (SETTLEMENT_HISTORY_DAYS - i) * DAY;
    return { at, value: usualSettlements(at) };
  });
}
