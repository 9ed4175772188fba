export interface ScanRequest<C> {
  dataset: string;
  /** Context of the request (trigger, arrival time); the latest one wins when requests merge. */
  context: C;
}

interface Pending<C, R> {
  id: string;
  context: C;
  promise: Promise<R>;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export interface Ticket<R> {
  /** Identifies the scan run that will serve this request (shared by merged requests). */
  id: string;
  result: Promise<R>;
  /** True when the request joined a run that was already waiting. */
  merged: boolean;
}

/**
 * Runs scans with two guarantees: never two scans of one dataset at once, and at most `limit`
 * scans in total. A request for a dataset that is already waiting joins that run rather than
 * adding another: a burst of triggers costs one scan, not a backlog.
 */
export class ScanQueue<C, R> {
  private readonly running = new Set<string>();
  private readonly waiting = new Map<string, Pending<C, R>>();
  private readonly order: string[] = [];
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly run: (dataset: string, id: string, context: C) => Promise<R>,
    private readonly newId: () => string,
  ) {}

  get active(): number {
    return this.running.size;
  }

  get queued(): number {
    return this.waiting.size;
  }

  request(req: ScanRequest<C>): Ticket<R> {
    if (this.closed) throw new Error('the scan queue is shut down');
    const existing = this.waiting.get(req.dataset);
    if (existing) {
      existing.context = req.context;
      return { id: existing.id, result: existing.promise, merged: true };
    }
    let resolve!: (r: R) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<R>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending<C, R> = { id: this.newId(), context: req.context, promise, resolve, reject };
    this.waiting.set(req.dataset, pending);
    this.order.push(req.dataset);
    this.pump();
    return { id: pending.id, result: promise, merged: false };
  }

  private pump(): void {
    for (let i = 0; i < this.order.length && this.running.size < this.limit; ) {
      const dataset = this.order[i]!;
      if (this.running.has(dataset)) {
        i++;
        continue;
      }
      this.order.splice(i, 1);
      const job = this.waiting.get(dataset)!;
      this.waiting.delete(dataset);
      this.running.add(dataset);
      this.run(dataset, job.id, job.context)
        .then(job.resolve, job.reject)
        .finally(() => {
          this.running.delete(dataset);
          this.pump();
        });
    }
  }

  /** Refuses new requests and drops waiting ones (they reject); running scans continue. */
  close(): void {
    this.closed = true;
    for (const [dataset, job] of this.waiting) job.reject(new Error(`scan of ${dataset} cancelled: shutting down`));
    this.waiting.clear();
    this.order.length = 0;
  }
}
