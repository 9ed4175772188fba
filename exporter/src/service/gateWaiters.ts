/**
 * Long-polling gate requests. A waiter is released when the effective answer of its gate
 * changes, whatever changed it: a scan (a first scan too, which has no transition to announce),
 * an override set, cleared or expired, a breaker upstream, a new lineage edge. Rather than
 * guessing which events matter, every possible change re-reads the answer of each waiting gate
 * and wakes those whose answer differs from the one they started with.
 */
export class GateWaiters {
  private readonly waiting = new Set<{ gate: string; answer: string; wake: () => void }>();

  /** @param answer the current answer of a gate (`open`/`closed`), or undefined when it no longer exists. */
  constructor(private readonly answer: (gate: string) => string | undefined) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves when `gate`'s answer changes, after `ms`, or when `signal` aborts. */
  wait(gate: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const w = { gate, answer: this.answer(gate) ?? '', wake: () => done() };
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(w);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (signal?.aborted) return done();
      signal?.addEventListener('abort', done, { once: true });
      this.waiting.add(w);
    });
  }

  /** Something changed: wake the waiters whose gate now answers differently. */
  recheck(): void {
    const answers = new Map<string, string>();
    for (const w of [...this.waiting]) {
      if (!answers.has(w.gate)) answers.set(w.gate, this.answer(w.gate) ?? '');
      if (answers.get(w.gate) !== w.answer) w.wake();
    }
  }

  releaseAll(): void {
    for (const w of [...this.waiting]) w.wake();
  }
}
