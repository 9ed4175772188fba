import { formatMemorySize } from './memorySize';

export interface WatchdogLimits {
  queryTimeoutMs: number;
  /** How long past the timeout a call may run (see deadlineGraceMs). */
  graceMs: number;
  /** DuckDB's memory_limit for the scan, for the message. */
  memoryLimitBytes: number;
  /** RSS past which the scan is stopped. */
  memoryCapBytes: number;
}

export interface StopReason {
  kind: 'deadline' | 'memory';
  /** One sentence for the checks' `error`, the incident and the log. */
  message: string;
}

/** Connecting gets at least this long: the PostgreSQL driver's connect timeout, DuckDB's lock retries. */
const CONNECT_MS = 10_000;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The last line of defence of a scan: engines cancel their own queries at `scan.query_timeout`,
 * but a frozen server cannot answer and some DuckDB expressions ignore interrupts. The watchdog
 * tracks the scan's source calls in flight and its memory, and says when the scan must be
 * stopped from outside (its worker process killed, or under `datatrust scan` the process).
 * Pure: callers report calls and memory samples and supply the clock.
 */
export class ScanWatchdog {
  private readonly inFlight = new Map<number, { source: string; what: string; since: number }>();
  private nextId = 0;
  private rss = 0;

  constructor(
    private readonly limits: WatchdogLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** A call to `source` started; returns the function that ends it. */
  begin(source: string, what: string): () => void {
    const id = this.nextId++;
    this.started(id, source, what);
    return () => this.ended(id);
  }

  /** The same, for calls reported by id from another process. */
  started(id: number, source: string, what: string): void {
    this.inFlight.set(id, { source, what, since: this.now() });
  }

  ended(id: number): void {
    this.inFlight.delete(id);
  }

  /** The scan's current resident memory. */
  memory(bytes: number): void {
    this.rss = bytes;
  }

  /** Why the scan must stop now, or undefined while it is within its limits. */
  verdict(): StopReason | undefined {
    const { queryTimeoutMs, graceMs, memoryCapBytes, memoryLimitBytes } = this.limits;
    if (this.rss > memoryCapBytes) {
      return {
        kind: 'memory',
        message: `the scan used ${formatMemorySize(this.rss)} of memory, over its cap of ${formatMemorySize(memoryCapBytes)} (DuckDB memory_limit ${formatMemorySize(memoryLimitBytes)} plus headroom): the scan was stopped`,
      };
    }
    const now = this.now();
    for (const call of this.inFlight.values()) {
      const allowed = (call.what === 'connect' ? Math.max(queryTimeoutMs, CONNECT_MS) : queryTimeoutMs) + graceMs;
      if (now - call.since > allowed) {
        return {
          kind: 'deadline',
          message: `source \`${call.source}\` did not answer within ${seconds(allowed)} (${call.what === 'connect' ? 'connecting' : `scan.query_timeout ${seconds(queryTimeoutMs)} plus ${seconds(graceMs)} grace`}): the scan was stopped`,
        };
      }
    }
    return undefined;
  }
}
