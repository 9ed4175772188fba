import { backoffMs } from '../alerts/deliveryPolicy';
import { postJson } from '../alerts/postJson';
import { DeliveryError } from '../alerts/types';
import type { LineageRepository } from '../state/lineageRepository';

export interface ForwarderOptions {
  /** Marquez's base URL; events go to `{url}/api/v1/lineage`. */
  url: string;
  apiKey?: string;
  log?: (message: string) => void;
  now?: () => number;
  /** Called whenever the backlog may have changed (for the gauge). */
  onBacklog?: (pending: number) => void;
}

const PAGE = 200;

/**
 * Forwards every stored event to a real Marquez, from the durable queue the lineage store fills
 * in the same transaction as the event itself: in commit order (so a run's START reaches
 * Marquez before its COMPLETE), one at a time as Marquez takes them, retried with backoff while
 * Marquez is down or refuses our key (the queue holds; nothing is dropped), surviving restarts.
 * An event Marquez rejects as invalid (400) is set aside and the rest go on. Delivery is at
 * least once: a crash between Marquez's answer and our record sends that event again.
 * Marquez being down never blocks a pipeline or a gate: nobody waits for this loop.
 */
export class MarquezForwarder {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wakeAt = 0;
  /** Set by every kick: a drain that finishes with it set looks again (events may have landed meanwhile). */
  private dirty = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly repo: LineageRepository,
    private readonly opts: ForwarderOptions,
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  start(): void {
    this.kick();
  }

  /** New events were committed: send them (unless a retry is pending: order comes first). */
  kick(): void {
    this.dirty = true;
    if (this.stopped || this.running) return;
    const delay = Math.max(0, this.wakeAt - this.now());
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.dirty = false;
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.dirty && this.wakeAt <= this.now()) this.kick();
      });
    }, delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const page = await this.repo.pendingForward(PAGE);
      this.opts.onBacklog?.(await this.repo.forwardBacklog());
      if (page.length === 0) return;
      for (const entry of page) {
        if (this.stopped) return;
        if (entry.dueAt > this.now()) {
          this.wakeAt = entry.dueAt;
          return this.later();
        }
        try {
          await postJson(`${this.opts.url}/api/v1/lineage`, JSON.parse(entry.payload) as unknown, {
            label: 'marquez',
            headers: this.opts.apiKey ? { Authorization: `Bearer ${this.opts.apiKey}` } : {},
            signal: this.abort.signal,
          });
          await this.repo.forwarded([entry.seq], this.now());
        } catch (e) {
          if (this.stopped) return;
          const err = e instanceof DeliveryError ? e : new DeliveryError(`marquez: ${(e as Error).message}`, true);
          // A refused key is a configuration problem to fix, not a reason to drop events.
          const retryable = err.retryable || /HTTP 40[13]\b/.test(err.message);
          if (!retryable) {
            this.opts.log?.(`lineage forwarding: Marquez refused event #${entry.seq}, set aside: ${err.message}`);
            await this.repo.forwardFailed(entry.seq, err.message, undefined);
            continue;
          }
          const retryAt = this.now() + backoffMs(entry.attempts + 1);
          this.opts.log?.(`lineage forwarding: ${err.message}; ${(await this.repo.forwardBacklog()).toLocaleString('en')} event(s) wait, next try in ${Math.round((retryAt - this.now()) / 1000)} s`);
          await this.repo.forwardFailed(entry.seq, err.message, retryAt);
          this.wakeAt = retryAt;
          return this.later();
        }
      }
    }
  }

  private later(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.max(0, this.wakeAt - this.now()));
    this.timer.unref();
  }

  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const running = this.running;
    if (running) {
      const t = setTimeout(() => this.abort.abort(), graceMs);
      await running.catch(() => undefined);
      clearTimeout(t);
    }
  }
}
