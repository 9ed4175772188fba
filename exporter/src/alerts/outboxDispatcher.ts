import type { DeliveryUpdate, StateStore } from '../state/stateStore';
import { backoffMs, deliveryId, MAX_ATTEMPTS, planChannel } from './deliveryPolicy';
import type { OutboxEntry } from './outboxEntry';
import { DeliveryError, type Notifier } from './types';

export interface DispatcherOptions {
  groupWindowMs: number;
  now?: () => number;
  /** Called after each delivery outcome is committed (metrics, MTTD). */
  onRecorded?: (update: DeliveryUpdate) => void;
  log?: (message: string) => void;
}

/**
 * Delivers the durable outbox: at least once, grouped per channel, retried with backoff.
 * Channels are independent: a slow or failing one never holds up the others or the scans.
 */
export class OutboxDispatcher {
  private readonly pending = new Map<string, OutboxEntry[]>();
  private readonly lastSentAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    private readonly notifiers: ReadonlyMap<string, Notifier>,
    private readonly opts: DispatcherOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Loads what a previous run left undelivered and starts delivering it. */
  async start(): Promise<void> {
    for (const e of await this.store.pendingOutbox()) this.add(e);
    for (const channel of this.pending.keys()) this.schedule(channel);
  }

  /** New entries, already committed by the scan's transaction. */
  enqueue(entries: readonly OutboxEntry[]): void {
    for (const e of entries) this.add(e);
    for (const channel of new Set(entries.map((e) => e.channel))) this.schedule(channel);
  }

  pendingCount(channel: string): number {
    return this.pending.get(channel)?.length ?? 0;
  }

  channels(): string[] {
    return [...new Set([...this.notifiers.keys(), ...this.pending.keys()])];
  }

  private add(e: OutboxEntry): void {
    const list = this.pending.get(e.channel) ?? [];
    if (!list.some((x) => x.id === e.id)) list.push(e);
    this.pending.set(e.channel, list);
  }

  private schedule(channel: string, at = this.now()): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(channel));
    const delay = Math.max(0, at - this.now());
    this.timers.set(
      channel,
      setTimeout(() => void this.tick(channel), delay),
    );
  }

  private async tick(channel: string, flush = false): Promise<void> {
    if (this.stopped || this.inFlight.has(channel)) return;
    const now = this.now();
    // A final flush ignores the grouping window and backoff: it is the last chance before exit.
    const pending = (this.pending.get(channel) ?? []).map((e) => (flush ? { ...e, dueAt: new Date(now).toISOString() } : e));
    const plan = planChannel(pending, flush ? undefined : this.lastSentAt.get(channel), this.opts.groupWindowMs, now);
    if (plan.send.length === 0) {
      if (plan.wakeAt !== undefined) this.schedule(channel, plan.wakeAt);
      return;
    }
    const sending = new Set(plan.send.map((e) => e.id));
    const entries = (this.pending.get(channel) ?? []).filter((e) => sending.has(e.id));
    const run = this.attempt(channel, entries, plan.batchId).finally(() => this.inFlight.delete(channel));
    this.inFlight.set(channel, run);
    await run;
    if (!flush && (this.pending.get(channel)?.length ?? 0) > 0) this.schedule(channel, this.now());
  }

  /**
   * Sends a batch: one attempted before goes again under its id; a new one is committed as a
   * batch first, so that whatever happens next (a timeout, a crash before the outcome is
   * recorded) its retry carries the same members under the same Idempotency-Key.
   */
  private async attempt(channel: string, entries: OutboxEntry[], formed: string | undefined): Promise<void> {
    let batchId = formed;
    if (batchId === undefined) {
      batchId = deliveryId(entries);
      try {
        await this.store.formBatch(batchId, entries.map((e) => e.id));
      } catch (e) {
        // Not committed: not sent either (a retry could not promise the same key). Back off.
        this.opts.log?.(`alerts: cannot record a ${channel} delivery batch: ${(e as Error).message}`);
        const dueAt = new Date(this.now() + backoffMs(Math.max(...entries.map((x) => x.attempts)) + 1)).toISOString();
        for (const x of entries) x.dueAt = dueAt;
        return;
      }
      for (const x of entries) x.batchId = batchId;
    }
    await this.deliver(channel, entries, batchId);
  }

  private async deliver(channel: string, entries: OutboxEntry[], batchId: string): Promise<void> {
    const notifier = this.notifiers.get(channel);
    const at = new Date(this.now()).toISOString();
    const ids = entries.map((e) => e.id);
    let update: DeliveryUpdate;
    if (!notifier) {
      update = { channel, entryIds: ids, at, result: 'failed', error: `channel \`${channel}\` is no longer configured`, firstAlerts: [] };
    } else {
      try {
        await notifier.send({ deliveryId: batchId, channel, events: entries.map((e) => e.event) }, this.abort.signal);
        this.lastSentAt.set(channel, this.now());
        const firstAlerts = entries.filter((e) => e.event.type === 'incident.opened' && e.event.incidentId).map((e) => e.event.incidentId!);
        update = { channel, entryIds: ids, at, result: 'success', firstAlerts };
      } catch (e) {
        const retryable = !(e instanceof DeliveryError) || e.retryable;
        const attempts = Math.max(...entries.map((x) => x.attempts)) + 1;
        const error = e instanceof Error ? e.message : String(e);
        if (retryable && attempts < MAX_ATTEMPTS) {
          const nextDueAt = new Date(this.now() + backoffMs(attempts)).toISOString();
          update = { channel, entryIds: ids, at, result: 'retry', error, nextDueAt, firstAlerts: [] };
        } else {
          update = { channel, entryIds: ids, at, result: 'failed', error, firstAlerts: [] };
        }
        this.opts.log?.(`alerts: ${channel} delivery ${update.result === 'retry' ? `failed, retrying at ${update.nextDueAt}` : 'failed for good'}: ${error}`);
      }
    }
    try {
      await this.store.recordDelivery(update);
    } catch (e) {
      // Not recorded: keep the entries pending so they are retried (at least once, never lost),
      // but back off in memory, or a failing store would turn this into a hot resend loop.
      this.opts.log?.(`alerts: cannot record ${channel} delivery: ${(e as Error).message}`);
      const attempts = Math.max(...entries.map((x) => x.attempts)) + 1;
      const dueAt = new Date(this.now() + backoffMs(attempts)).toISOString();
      for (const e of this.pending.get(channel) ?? []) if (ids.includes(e.id)) Object.assign(e, { attempts, dueAt });
      return;
    }
    const list = this.pending.get(channel) ?? [];
    if (update.result === 'retry') {
      for (const e of list) if (ids.includes(e.id)) Object.assign(e, { attempts: e.attempts + 1, dueAt: update.nextDueAt!, lastError: update.error });
    } else {
      this.pending.set(channel, list.filter((e) => !ids.includes(e.id)));
    }
    this.opts.onRecorded?.(update);
  }

  /**
   * Stops, after one last try at what is due (bounded by `flushTimeoutMs`). Whatever is left
   * stays in the outbox for the next start.
   */
  async stop(flushTimeoutMs: number): Promise<void> {
    const flush = Promise.all(
      [...this.pending.keys()].map(async (channel) => {
        await this.inFlight.get(channel);
        await this.tick(channel, true);
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([flush, new Promise((r) => (timer = setTimeout(r, flushTimeoutMs)))]);
    clearTimeout(timer);
    this.stopped = true;
    this.abort.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.allSettled([...this.inFlight.values()]);
    await Promise.allSettled([...this.notifiers.values()].map((n) => n.close?.()));
  }
}
