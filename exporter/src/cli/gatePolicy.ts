/** First retry after an unreachable exporter; doubles per consecutive failure up to the interval. */
export const FIRST_BACKOFF_MS = 1000;
/** Extra time a long poll may take beyond the `wait` it asked for (network, a busy server). */
export const LONG_POLL_GRACE_MS = 10_000;

export interface GatePolicyOptions {
  /** How long to wait in total for the breaker to close (`--wait`). */
  waitMs: number;
  /** How often to report and re-ask (`--interval`); also caps the backoff. */
  intervalMs: number;
  firstBackoffMs?: number;
  /** In [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * When `datatrust gate` asks, how long each ask may block, and how long it pauses between asks.
 * Pure apart from the injected clock: it never sleeps or does I/O itself.
 */
export class GatePolicy {
  readonly deadline: number;
  private readonly intervalMs: number;
  private readonly firstBackoffMs: number;
  private readonly random: () => number;

  constructor(
    opts: GatePolicyOptions,
    private readonly now: () => number,
  ) {
    if (!(opts.waitMs >= 0)) throw new RangeError(`waitMs must be >= 0, got ${opts.waitMs}`);
    if (!(opts.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${opts.intervalMs}`);
    this.deadline = now() + opts.waitMs;
    this.intervalMs = opts.intervalMs;
    this.firstBackoffMs = Math.min(opts.firstBackoffMs ?? FIRST_BACKOFF_MS, opts.intervalMs);
    this.random = opts.random ?? Math.random;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  expired(): boolean {
    return this.now() >= this.deadline;
  }

  /**
   * The `?wait=` of the next long poll, in whole seconds: one interval (so progress is printed
   * that often) but never past the deadline. 0 asks for the current state at once.
   */
  longPollSeconds(): number {
    return Math.floor(Math.min(this.intervalMs, this.remainingMs()) / 1000);
  }

  /** How long a poll that asked `?wait=waitSeconds` may take before it counts as unreachable. */
  requestTimeoutMs(waitSeconds: number): number {
    return waitSeconds * 1000 + LONG_POLL_GRACE_MS;
  }

  /**
   * Pause after an "open" answer that started at `pollStartedAt`. A server that held the long
   * poll for the whole interval gets asked again at once; one that answered early (no long-poll
   * support, or a change that is still "open") is asked again one interval after the last ask.
   */
  delayAfterOpen(pollStartedAt: number): number {
    return clamp(pollStartedAt + this.intervalMs - this.now(), 0, this.remainingMs());
  }

  /**
   * Pause after the `failures`-th consecutive failed ask (1-based): 1 s, 2 s, 4 s… capped at the
   * interval, with "equal jitter" (half fixed, half random) so many pipelines gated on one
   * restarting exporter do not retry in lockstep. A server's Retry-After is honoured. Never past
   * the deadline, where one last ask decides.
   */
  delayAfterFailure(failures: number, retryAfterMs?: number): number {
    const exp = Math.min(this.intervalMs, this.firstBackoffMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
    const jittered = exp / 2 + this.random() * (exp / 2);
    const wanted = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
    return clamp(Math.round(wanted), 0, this.remainingMs());
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
