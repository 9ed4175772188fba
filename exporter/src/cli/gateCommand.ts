import type { JobIdentity } from '../openlineage/types';
import { fetchBreaker } from './fetchBreaker';
import { parseExporterUrl } from './gateOptions';
import { type GateOutcome, type GateSubject, waitForGate } from './gateLoop';
import { GatePolicy } from './gatePolicy';
import { closedLine, formatWaited, gaveUpLine, jobClosedLine, jobGaveUpLine, jobOpenLine, openLine } from './gateProgress';
import type { GateBreaker } from './gateResponse';
import type { CommandIO } from './io';
import { fetchJobGate, jobLabel, type JobGateView } from './jobGate';

/** `datatrust gate` exit codes: the contract pipelines script against. */
export const GATE_EXIT = { closed: 0, open: 1, error: 2 } as const;

export type OnUnreachable = 'closed' | 'open';

export interface GateArgs {
  /** The dataset whose breaker gates the pipeline; or `job`. */
  dataset?: string;
  /** The job whose inputs (from lineage) gate it; or `dataset`. */
  job?: JobIdentity;
  /** Exporter base URL, e.g. `http://127.0.0.1:8470`. */
  url: string;
  /** Total time to wait for the gate to close; 0 checks once. */
  waitMs: number;
  /** How often to re-ask and report progress; also the long-poll length and backoff cap. */
  intervalMs: number;
  token?: string;
  /** `closed` (default): an unreachable exporter blocks the pipeline (exit 2). `open`: it lets it through (exit 0) with a warning. */
  onUnreachable: OnUnreachable;
  format: 'text' | 'json';
}

/** Seams for tests; production uses the real clock and timers. */
export interface GateDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const realDeps: GateDeps = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A subject plus what the unreachable messages and JSON call it. */
interface Gated<V extends { state: 'open' | 'closed' }> {
  subject: GateSubject<V>;
  /** `cleaned_transactions`, `the inputs of job demo/demo.clean`. */
  what: string;
  identity: Record<string, string>;
}

function breakerGate(baseUrl: URL, dataset: string, token: string | undefined, now: () => number): Gated<GateBreaker> {
  return {
    subject: {
      poll: (waitSeconds, timeoutMs) => fetchBreaker({ baseUrl, dataset, waitSeconds, timeoutMs, now, ...(token ? { token } : {}) }),
      openLine,
      closedLine,
      gaveUpLine,
    },
    what: dataset,
    identity: { dataset },
  };
}

function jobGate(baseUrl: URL, job: JobIdentity, token: string | undefined, now: () => number): Gated<JobGateView> {
  return {
    subject: {
      poll: (waitSeconds, timeoutMs) => fetchJobGate({ baseUrl, job, waitSeconds, timeoutMs, now, ...(token ? { token } : {}) }),
      openLine: jobOpenLine,
      closedLine: jobClosedLine,
      gaveUpLine: jobGaveUpLine,
    },
    what: `the inputs of job ${jobLabel(job)}`,
    identity: { namespace: job.namespace, job: job.name },
  };
}

/**
 * `datatrust gate <dataset>` / `datatrust gate --job NAMESPACE/JOB`: waits until the dataset's
 * circuit breaker (or every current input of the job, through lineage) is closed. Exit 0 closed,
 * 1 still open at the deadline, 2 unreachable or a bad request/response (with
 * `onUnreachable: 'open'`, unreachable at the deadline exits 0 with a warning). Progress goes to
 * stderr; stdout gets one final word (`closed`, `open`, `unreachable`) or, with `--format json`,
 * the gate's JSON as the exporter sent it.
 */
export async function gateCommand(args: GateArgs, io: CommandIO, deps: Partial<GateDeps> = {}): Promise<number> {
  const { now, sleep, random } = { ...realDeps, ...deps };
  if ((args.dataset === undefined) === (args.job === undefined)) {
    io.err('gate: give either a dataset or --job NAMESPACE/JOB');
    return GATE_EXIT.error;
  }
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
  const clock = { now, sleep };
  const progress = (line: string) => io.err(line);
  if (args.job) {
    const gated = jobGate(baseUrl, args.job, args.token, now);
    return report(args, io, gated, await waitForGate(gated.subject, policy, clock, progress));
  }
  const gated = breakerGate(baseUrl, args.dataset!, args.token, now);
  return report(args, io, gated, await waitForGate(gated.subject, policy, clock, progress));
}

/** Turns how the wait ended into the exit code and the stdout line. */
function report<V extends { state: 'open' | 'closed' }>(args: GateArgs, io: CommandIO, gated: Gated<V>, outcome: GateOutcome<V>): number {
  const print = (word: string, json: unknown) => io.out(args.format === 'json' ? JSON.stringify(json, null, 2) : word);
  switch (outcome.kind) {
    case 'closed':
      print('closed', outcome.json);
      return GATE_EXIT.closed;
    case 'open':
      print('open', outcome.json);
      return GATE_EXIT.open;
    case 'rejected':
      io.err(`gate: ${outcome.reason}`);
      return GATE_EXIT.error;
    case 'unreachable':
      return unreachableAtDeadline(args, io, gated, outcome.reason, outcome.lastKnown !== undefined, outcome.waitedMs);
  }
}

/**
 * The deadline passed with the exporter unreachable. Failing closed is the default: no answer
 * means no proof the data is good. Failing open lets the pipeline run, loudly, unless this very
 * run saw the gate open; then "open" is the last thing known, and that is what we report.
 */
function unreachableAtDeadline<V extends { state: 'open' | 'closed' }>(args: GateArgs, io: CommandIO, gated: Gated<V>, reason: string, sawOpen: boolean, waitedMs: number): number {
  const waited = formatWaited(waitedMs);
  const print = (word: 'open' | 'unreachable', state: 'open' | 'unknown') =>
    io.out(args.format === 'json' ? JSON.stringify({ ...gated.identity, state, error: reason, onUnreachable: args.onUnreachable }, null, 2) : word);
  if (args.onUnreachable === 'open') {
    if (sawOpen) {
      io.err(`gate: exporter unreachable at the deadline (${reason}); its last answer was OPEN, so not failing open`);
      print('open', 'open');
      return GATE_EXIT.open;
    }
    io.err(`gate: WARNING: the exporter was unreachable for ${waited} (${reason}).`);
    io.err(`gate: WARNING: --on-unreachable open: letting the pipeline proceed WITHOUT a data quality check of ${gated.what}.`);
    print('unreachable', 'unknown');
    return GATE_EXIT.closed;
  }
  io.err(`gate: exporter unreachable for ${waited} (${reason}); failing closed (use --on-unreachable open to proceed anyway)`);
  print('unreachable', 'unknown');
  return GATE_EXIT.error;
}
