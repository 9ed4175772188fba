import type { OutboxEntry } from './outboxEntry';
import { backoffMs, deliveryId, MAX_BATCH, planChannel } from './deliveryPolicy';

const T = Date.parse('2026-11-26T10:00:00Z');
const entry = (id: string, dueOffsetMs = 0): OutboxEntry => ({
  id,
  channel: 'slack',
  event: { id: `e-${id}`, type: 'incident.opened', priority: 'high', dataset: 'd', at: new Date(T).toISOString(), failingChecks: [], blocked: [], links: {} },
  createdAt: new Date(T).toISOString(),
  dueAt: new Date(T + dueOffsetMs).toISOString(),
  attempts: 0,
  status: 'pending',
});
const WINDOW = 5 * 60_000;

describe('alert grouping per channel', () => {
  it('sends the first event after a quiet window at once: grouping never delays detection', () => {
    expect(planChannel([entry('a')], undefined, WINDOW, T).send.map((e) => e.id)).toEqual(['a']);
    expect(planChannel([entry('a')], T - WINDOW, WINDOW, T).send.map((e) => e.id)).toEqual(['a']);
  });

  it('holds events that follow within the window and sends them together when it ends', () => {
    const held = planChannel([entry('a'), entry('b')], T - 60_000, WINDOW, T);
    expect(held).toEqual({ send: [], wakeAt: T - 60_000 + WINDOW });
    const released = planChannel([entry('a'), entry('b')], T - 60_000, WINDOW, T - 60_000 + WINDOW);
    expect(released.send.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('waits for entries backing off after a failure', () => {
    expect(planChannel([entry('a', 4000)], undefined, WINDOW, T)).toEqual({ send: [], wakeAt: T + 4000 });
  });

  it('caps a message at MAX_BATCH events and comes back for the rest', () => {
    const many = Array.from({ length: MAX_BATCH + 3 }, (_, i) => entry(`e${i}`));
    const plan = planChannel(many, undefined, WINDOW, T);
    expect(plan.send).toHaveLength(MAX_BATCH);
    expect(plan.wakeAt).toBe(T + WINDOW);
  });

  it('sends a batch that was attempted again as it was: same members under the same key, new entries after it', () => {
    const formed = (id: string) => ({ ...entry(id, 2000), batchId: 'batch-1' });
    const pending = [entry('new-1'), formed('a'), formed('b'), entry('new-2')];
    expect(planChannel(pending, undefined, WINDOW, T)).toEqual({ send: [entry('new-1'), entry('new-2')], wakeAt: T + 2000 });
    const retry = planChannel(pending, undefined, WINDOW, T + 2000);
    expect(retry).toMatchObject({ batchId: 'batch-1', wakeAt: T + 2000 + WINDOW });
    expect(retry.send.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('does nothing when nothing is pending', () => {
    expect(planChannel([], T, WINDOW, T)).toEqual({ send: [] });
  });
});

describe('retry backoff', () => {
  it('doubles per attempt, capped at five minutes, with jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => backoffMs(a, mid))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(40, mid)).toBe(300_000);
    expect(backoffMs(1, () => 0)).toBe(800);
    expect(backoffMs(1, () => 1)).toBe(1200);
  });
});

describe('delivery ids', () => {
  it('are stable for the same entries in any order, and differ for different sets', () => {
    expect(deliveryId([entry('a'), entry('b')])).toBe(deliveryId([entry('b'), entry('a')]));
    expect(deliveryId([entry('a')])).not.toBe(deliveryId([entry('a'), entry('b')]));
  });
});
