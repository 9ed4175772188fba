import { fetchBreaker, type FetchBreakerOptions } from './fetchBreaker';
import { parseExporterUrl } from './gateOptions';
import { GatePolicy } from './gatePolicy';
import { closedLine, formatWaited, gaveUpLine, openLine, unreachableLine } from './gateProgress';
import type { GateBreaker, PollResult } from './gateResponse';
import type { CommandIO } from './io';

/** `datatrust gate` exit codes: the contract pipelines script against. */
export const GATE_EXIT = { closed: 0, open: 1, error: 2 } as const;

export type OnUnreachable = 'closed' | 'open';

export interface GateArgs {
  dataset: string;
  /** Exporter base URL, e.g. `http://127.0.0.1:8470`. */
  url: string;
  /** Total time to wait for the breaker to close; 0 checks once. */
  waitMs: number;
  /** How often to re-ask and report progress; also the long-poll length and backoff cap. */
  intervalMs: number;
  token?: string;
  /** `closed` (default): an unreachable exporter blocks the pipeline (exit 2). `open`: it lets it through (exit 0) with a warning. */
  onUnreachable: OnUnreachable;
  format: 'text' | 'json';
}

/** Seams for tests; production uses the real clock, timers and network. */
export interface GateDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  poll: (opts: FetchBreakerOptions) => Promise<PollResult>;
}

const realDeps: GateDeps = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  poll: fetchBreaker,
};

/**
 * `datatrust gate <dataset>`: waits until the dataset's circuit breaker is closed. Exit 0 closed,
 * 1 still open at the deadline, 2 unreachable or a bad request/response (with
 * `onUnreachable: 'open'`, unreachable at the deadline exits 0 with a warning). Progress goes to
 * stderr; stdout gets one final word (`closed`, `open`, `unreachable`) or, with `--format json`,
 * the breaker JSON as the exporter sent it.
 */
export async function gateCommand(args: GateArgs, io: CommandIO, deps: Partial<GateDeps> = {}): Promise<number> {
  const { now, sleep, random, poll } = { ...realDeps, ...deps };
  let baseUrl: URL;
  try {
    baseUrl = parseExporterUrl(args.url);
  } catch (e) {
    io.err(`gate: --url: ${(e as Error).message}`);
    return GATE_EXIT.error;
  }
  let policy: GatePolicy;
  try {
    policy = new GatePolicy({ waitMs: args.waitMs, intervalMs: args.intervalMs, random }, now);
  } catch (e) {
    io.err(`gate: ${(e as Error).message}`);
    return GATE_EXIT.error;
  }
  const started = now();

  const finish = (word: 'closed' | 'open', json: unknown, code: number): number => {
    io.out(args.format === 'json' ? JSON.stringify(json, null, 2) : word);
    return code;
  };

  let lastKnown: GateBreaker | undefined;
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    // The first ask is immediate so the first progress line (or the all-clear) comes at once.
    const waitSeconds = attempt === 0 ? 0 : policy.longPollSeconds();
    const askedAt = now();
    const result = await poll({ baseUrl, dataset: args.dataset, waitSeconds, timeoutMs: policy.requestTimeoutMs(waitSeconds), ...(args.token ? { token: args.token } : {}), now });

    if (result.kind === 'rejected') {
      io.err(`gate: ${result.reason}`);
      return GATE_EXIT.error;
    }

    if (result.kind === 'state') {
      failures = 0;
      lastKnown = result.breaker;
      if (result.breaker.state === 'closed') {
        io.err(closedLine(result.breaker));
        return finish('closed', result.json, GATE_EXIT.closed);
      }
      if (policy.expired()) {
        io.err(gaveUpLine(result.breaker, now() - started));
        return finish('open', result.json, GATE_EXIT.open);
      }
      io.err(openLine(result.breaker, policy.remainingMs()));
      // After the immediate first ask, go straight into the long poll.
      if (attempt > 0) await sleep(policy.delayAfterOpen(askedAt));
      continue;
    }

    failures++;
    if (policy.expired()) return unreachableAtDeadline(args, io, result.reason, lastKnown, now() - started);
    const delay = policy.delayAfterFailure(failures, result.retryAfterMs);
    io.err(unreachableLine(result.reason, failures, delay, policy.remainingMs()));
    await sleep(delay);
  }
}

/**
 * The deadline passed with the exporter unreachable. Failing closed is the default: no answer
 * means no proof the data is good. Failing open lets the pipeline run, loudly, unless this very
 * run saw the breaker open; then "open" is the last thing known, and that is what we report.
 */
function unreachableAtDeadline(args: GateArgs, io: CommandIO, reason: string, lastKnown: GateBreaker | undefined, waitedMs: number): number {
  const waited = formatWaited(waitedMs);
  const report = (code: number): number => {
    io.out(args.format === 'json' ? JSON.stringify({ dataset: args.dataset, state: 'unknown', error: reason, onUnreachable: args.onUnreachable }, null, 2) : 'unreachable');
    return code;
  };
  if (args.onUnreachable === 'open') {
    if (lastKnown) {
      io.err(`gate: exporter unreachable at the deadline (${reason}); its last answer was OPEN, so not failing open`);
      io.out(args.format === 'json' ? JSON.stringify({ dataset: args.dataset, state: 'open', error: reason, onUnreachable: 'open' }, null, 2) : 'open');
      return GATE_EXIT.open;
    }
    io.err(`gate: WARNING: the exporter was unreachable for ${waited} (${reason}).`);
    io.err(`gate: WARNING: --on-unreachable open: letting the pipeline proceed WITHOUT a data quality check of ${args.dataset}.`);
    return report(GATE_EXIT.closed);
  }
  io.err(`gate: exporter unreachable for ${waited} (${reason}); failing closed (use --on-unreachable open to proceed anyway)`);
  return report(GATE_EXIT.error);
}
