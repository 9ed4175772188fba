import type { GatePolicy } from './gatePolicy';
import { unreachableLine } from './gateProgress';
import type { PollResult } from './gateResponse';

/** What a gate is asked about (a dataset's breaker, a job's inputs) and how its answers read. */
export interface GateSubject<V extends { state: 'open' | 'closed' }> {
  /** One ask; `waitSeconds` > 0 long-polls. Never throws. */
  poll(waitSeconds: number, timeoutMs: number): Promise<PollResult<V>>;
  openLine(view: V, remainingMs: number): string;
  closedLine(view: V): string;
  gaveUpLine(view: V, waitedMs: number): string;
}

/** How a wait ended. */
export type GateOutcome<V> =
  | { kind: 'closed'; view: V; json: unknown }
  /** Still open at the deadline. */
  | { kind: 'open'; view: V; json: unknown }
  /** No answer at the deadline; `lastKnown` is this wait's last real answer, if any. */
  | { kind: 'unreachable'; reason: string; lastKnown?: V; waitedMs: number }
  /** The request itself is wrong (unknown subject, auth, not an exporter): waiting cannot help. */
  | { kind: 'rejected'; reason: string };

export interface GateClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Asks the gate until it is closed or the policy's deadline passes: at once first (so the first
 * progress line, or the all-clear, comes immediately), then long polls of one interval; retries
 * an unreachable exporter with jittered backoff. Each state change and retry is reported through
 * `progress`; what the outcome means (exit code, exception) is the caller's.
 */
export async function waitForGate<V extends { state: 'open' | 'closed' }>(subject: GateSubject<V>, policy: GatePolicy, clock: GateClock, progress: (line: string) => void): Promise<GateOutcome<V>> {
  const started = clock.now();
  let lastKnown: V | undefined;
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    const waitSeconds = attempt === 0 ? 0 : policy.longPollSeconds();
    const askedAt = clock.now();
    const result = await subject.poll(waitSeconds, policy.requestTimeoutMs(waitSeconds));

    if (result.kind === 'rejected') return result;

    if (result.kind === 'state') {
      failures = 0;
      lastKnown = result.view;
      if (result.view.state === 'closed') {
        progress(subject.closedLine(result.view));
        return { kind: 'closed', view: result.view, json: result.json };
      }
      if (policy.expired()) {
        progress(subject.gaveUpLine(result.view, clock.now() - started));
        return { kind: 'open', view: result.view, json: result.json };
      }
      progress(subject.openLine(result.view, policy.remainingMs()));
      // After the immediate first ask, go straight into the long poll.
      if (attempt > 0) await clock.sleep(policy.delayAfterOpen(askedAt));
      continue;
    }

    failures++;
    if (policy.expired()) return { kind: 'unreachable', reason: result.reason, waitedMs: clock.now() - started, ...(lastKnown ? { lastKnown } : {}) };
    const delay = policy.delayAfterFailure(failures, result.retryAfterMs);
    progress(unreachableLine(result.reason, failures, delay, policy.remainingMs()));
    await clock.sleep(delay);
  }
}
