import { type GateClock, type GateSubject, waitForGate } from '../cli/gateLoop';
import { GatePolicy } from '../cli/gatePolicy';
import { blockerText, jobClosedLine, jobGaveUpLine, jobOpenLine } from '../cli/gateProgress';
import { fetchJobGate, jobLabel, type JobBlocker, type JobGateView } from '../cli/jobGate';
import type { JobIdentity } from '../openlineage/types';
import type { LineageTarget } from './lineageTarget';

export type OnGateUnreachable = 'closed' | 'open';

/** The job gate as withLineage asks it: durations already parsed. */
export interface JobGatePolicy {
  /** 0 checks once. */
  waitMs: number;
  intervalMs: number;
  /** `closed` (default, as `datatrust gate`): no answer means the job does not run. `open`: it runs, with a warning. */
  onUnreachable: OnGateUnreachable;
  /** Cancels the wait: the job does not run. */
  signal?: AbortSignal;
}

/** The job gate kept a job from running. */
export class JobGateError extends Error {
  constructor(
    message: string,
    readonly job: JobIdentity,
  ) {
    super(message);
    this.name = 'JobGateError';
  }
}

/** The job's gate is open: an input, or something upstream of one, has an open breaker. */
export class JobBlockedError extends JobGateError {
  /** The open breakers upstream, each with its lineage path to the job's input. */
  readonly blockedBy: JobBlocker[];
  /** The gate's answer as the exporter sent it (`cause`, `inputs`, …). */
  readonly gate: JobGateView;

  constructor(job: JobIdentity, gate: JobGateView, stillOpenAfterMs?: number) {
    const waited = stillOpenAfterMs ? ` after waiting ${Math.round(stillOpenAfterMs / 1000)}s` : '';
    const why = gate.blockedBy.length ? `blocked by ${gate.blockedBy.map(blockerText).join('; ')}` : gate.cause ? `cause ${gate.cause}` : 'no cause given';
    super(`job ${jobLabel(job)} did not run: its gate is OPEN${waited}: ${why}`, job);
    this.name = 'JobBlockedError';
    this.blockedBy = gate.blockedBy;
    this.gate = gate;
  }
}

/** The gate could not say (exporter unreachable, unknown job, bad answer) and the policy is to fail closed. */
export class JobGateUnavailableError extends JobGateError {
  constructor(
    job: JobIdentity,
    readonly reason: string,
  ) {
    super(`job ${jobLabel(job)} did not run: its gate could not be checked (${reason})`, job);
    this.name = 'JobGateUnavailableError';
  }
}

export interface JobGateCheck {
  job: JobIdentity;
  target: LineageTarget | { error: string };
  policy: JobGatePolicy;
  /** Reports the job's declared lineage (a JobEvent) so a job the exporter has never seen can be gated. */
  register: () => Promise<void>;
  info: (line: string) => void;
  warn: (line: string) => void;
  clock?: GateClock & { random?: () => number };
}

/** Real time; a sleep ends early when `signal` aborts (the caller then stops asking). */
function realClock(signal: AbortSignal | undefined): GateClock {
  return {
    now: Date.now,
    sleep: (ms) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, signal?.aborted ? 0 : ms);
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}

/**
 * Asks the job gate until it closes or the wait ends; returns when the job may run, throws a
 * JobGateError when it may not. A job the exporter does not know yet (404, its first run) is
 * registered with its declared inputs and outputs and asked again, so the gate judges those.
 */
export async function checkJobGate(c: JobGateCheck): Promise<void> {
  const clock: GateClock & { random?: () => number } = c.clock ?? realClock(c.policy.signal);
  const cancelled = () => new JobGateUnavailableError(c.job, 'the wait was cancelled');
  if (c.policy.signal?.aborted) throw cancelled();
  const unreachable = (reason: string, lastKnown?: JobGateView): void => {
    if (c.policy.onUnreachable === 'open') {
      // As `datatrust gate --on-unreachable open`: an OPEN answer seen during this wait still counts.
      if (lastKnown) throw new JobBlockedError(c.job, lastKnown);
      c.warn(`the gate of job ${jobLabel(c.job)} could not be checked (${reason}); onUnreachable 'open': running it WITHOUT a data quality check of its inputs`);
      return;
    }
    throw new JobGateUnavailableError(c.job, `${reason}; failing closed, set gate.onUnreachable to 'open' to run anyway`);
  };
  if ('error' in c.target) return unreachable(c.target.error);

  const target = c.target;
  let registered = false;
  const ask = (waitSeconds: number, timeoutMs: number) => fetchJobGate({ baseUrl: target.url, job: c.job, waitSeconds, timeoutMs, now: clock.now, ...(target.token ? { token: target.token } : {}) });
  const subject: GateSubject<JobGateView> = {
    async poll(waitSeconds, timeoutMs) {
      if (c.policy.signal?.aborted) throw cancelled();
      const first = await ask(waitSeconds, timeoutMs);
      if (first.kind !== 'rejected' || !first.unknown || registered) return first;
      registered = true;
      await c.register();
      return ask(waitSeconds, timeoutMs);
    },
    openLine: jobOpenLine,
    closedLine: jobClosedLine,
    gaveUpLine: jobGaveUpLine,
  };
  const policy = new GatePolicy({ waitMs: c.policy.waitMs, intervalMs: c.policy.intervalMs, ...(clock.random ? { random: clock.random } : {}) }, clock.now);
  const outcome = await waitForGate(subject, policy, clock, c.info);
  switch (outcome.kind) {
    case 'closed':
      return;
    case 'open':
      throw new JobBlockedError(c.job, outcome.view, c.policy.waitMs);
    case 'rejected':
      throw new JobGateUnavailableError(c.job, outcome.reason);
    case 'unreachable':
      return unreachable(outcome.reason, outcome.lastKnown);
  }
}
