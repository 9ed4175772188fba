/**
 * Lineage-triggered scans: a COMPLETE event for a job that writes a configured dataset queues a
 * scan of it, once per burst. The first event of a burst starts a short window; events inside
 * it merge into the same request, whose arrival time is the earliest event's (MTTD counts from
 * when the data landed, not from when we noticed).
 */
export class LineageTriggers {
  private readonly pending = new Map<string, { arrivedAt: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly debounceMs: number,
    private readonly request: (dataset: string, arrivedAt: Date) => void,
  ) {}

  offer(dataset: string, eventTimeMs: number): void {
    const p = this.pending.get(dataset);
    if (p) {
      p.arrivedAt = Math.min(p.arrivedAt, eventTimeMs);
      return;
    }
    const timer = setTimeout(() => {
      const fired = this.pending.get(dataset)!;
      this.pending.delete(dataset);
      this.request(dataset, new Date(fired.arrivedAt));
    }, this.debounceMs);
    timer.unref();
    this.pending.set(dataset, { arrivedAt: eventTimeMs, timer });
  }

  stop(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
