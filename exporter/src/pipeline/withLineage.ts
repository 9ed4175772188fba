import { parseGateDuration, parseGateInterval } from '../cli/gateOptions';
import { jobLabel } from '../cli/jobGate';
import type { DatasetIdentity, Facets, JobIdentity, LineageEvent, RunEventType } from '../openlineage/types';
import { checkJobGate, type JobGatePolicy, type OnGateUnreachable } from './jobGateCheck';
import { completeFacets, errorMessageFacet, jobEvent, type OutputStatistics, type OutputWithStatistics, runClock, runEvent } from './lineageEvents';
import { type LineageTarget, resolveLineageTarget } from './lineageTarget';
import { DEFAULT_LINEAGE_TIMEOUT_MS, postLineageEvent } from './postLineageEvent';
import { type DatasetRef, type JobRef, LineageOptionsError, sameDataset, toDataset, toJob } from './refs';
import { isUuid, uuidv7 } from './runId';

/** Where warnings (lineage not delivered) and gate progress go. */
export interface LineageLogger {
  warn(message: string): void;
  /** Gate progress (`gate: job demo/demo.clean is OPEN … — waiting, 29m left`). */
  info?(message: string): void;
}

/** Wait for the job gate like `datatrust gate --job … --wait`. */
export interface JobGateOptions {
  /** How long to wait for the gate to close: `'30m'`, `'90s'`; `'0s'` (the default) checks once. */
  wait?: string;
  /** How often to re-ask and report progress (default `'15s'`). */
  interval?: string;
  /** No answer from the exporter: `'closed'` (default, as `datatrust gate`) refuses to run; `'open'` runs with a warning. */
  onUnreachable?: OnGateUnreachable;
  /** Stops waiting at once (the job does not run: JobGateUnavailableError). */
  signal?: AbortSignal;
}

/** Where lineage goes; shared by withLineage and registerJob. */
export interface LineageConnection {
  /** Exporter base URL; default `$DATATRUST_URL`, then `$OPENLINEAGE_URL`, then `http://127.0.0.1:8470`. */
  url?: string;
  /** Bearer token; default `$DATATRUST_LINEAGE_TOKEN`, then `$DATATRUST_API_TOKEN`, then `$OPENLINEAGE_API_KEY`. */
  token?: string;
  /** Per request to the exporter (default 5000): lineage never holds a pipeline up for long. */
  timeoutMs?: number;
  /** Default: stderr. */
  logger?: LineageLogger;
}

export interface WithLineageOptions extends LineageConnection {
  /** `{ namespace, name }` or `'NAMESPACE/NAME'`. */
  job: JobRef;
  /** Datasets the job reads: `{ namespace, name }` or `'NAMESPACE:NAME'`. */
  inputs?: DatasetRef[];
  /** Datasets the job writes. */
  outputs?: DatasetRef[];
  /** Ask the job gate before running: `true` checks once; `{ wait: '30m' }` waits for it to close. */
  gate?: boolean | JobGateOptions;
  /** Default: a new UUID v7. */
  runId?: string;
  /** Extra job facets (`sourceCodeLocation`, `documentation`, …), on every event. */
  jobFacets?: Facets;
  /** Extra run facets (`nominalTime`, `parent`, …), on every event. */
  runFacets?: Facets;
}

/** The run in progress, handed to the pipeline's function. */
export interface LineageRun {
  readonly runId: string;
  readonly job: JobIdentity;
  /** Another dataset the run read, reported with COMPLETE or FAIL. */
  addInput(dataset: DatasetRef): void;
  /** Another dataset the run wrote, optionally with what it wrote. */
  addOutput(dataset: DatasetRef, statistics?: OutputStatistics): void;
  /** Rows, bytes or files written to an output (the `outputStatistics` facet); adds the output if needed. */
  outputStatistics(dataset: DatasetRef, statistics: OutputStatistics): void;
}

const stderrLogger: Required<LineageLogger> = {
  warn: (m) => process.stderr.write(`datatrust: WARNING: ${m}\n`),
  info: (m) => process.stderr.write(`datatrust: ${m}\n`),
};

function gatePolicy(gate: boolean | JobGateOptions | undefined): JobGatePolicy | undefined {
  if (!gate) return undefined;
  const o = gate === true ? {} : gate;
  const parse = (what: string, text: string, parser: (t: string) => number) => {
    try {
      return parser(text);
    } catch (e) {
      throw new LineageOptionsError(`gate.${what}: ${(e as Error).message}`);
    }
  };
  if (o.onUnreachable !== undefined && o.onUnreachable !== 'closed' && o.onUnreachable !== 'open') {
    throw new LineageOptionsError(`gate.onUnreachable must be 'closed' or 'open', got ${JSON.stringify(o.onUnreachable)}`);
  }
  return {
    waitMs: parse('wait', o.wait ?? '0s', parseGateDuration),
    intervalMs: parse('interval', o.interval ?? '15s', parseGateInterval),
    onUnreachable: o.onUnreachable ?? 'closed',
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/** Sends events and turns every failure into a warning: lineage never fails the pipeline (PRD 7.1). */
class LineageSender {
  private readonly target: LineageTarget | { error: string };
  private readonly timeoutMs: number;
  readonly logger: LineageLogger;

  constructor(c: LineageConnection) {
    this.target = resolveLineageTarget({ ...(c.url !== undefined ? { url: c.url } : {}), ...(c.token !== undefined ? { token: c.token } : {}) });
    this.timeoutMs = c.timeoutMs ?? DEFAULT_LINEAGE_TIMEOUT_MS;
    this.logger = c.logger ?? stderrLogger;
  }

  get resolved(): LineageTarget | { error: string } {
    return this.target;
  }

  /** True when the exporter took the event (2xx). */
  async send(event: LineageEvent, what: string): Promise<boolean> {
    let reason: string;
    if ('error' in this.target) {
      reason = this.target.error;
    } else {
      try {
        const d = await postLineageEvent(this.target, event, this.timeoutMs);
        if (d.ok) return true;
        reason = d.reason;
      } catch (e) {
        // postLineageEvent does not throw; a facet that cannot be serialised (a bigint, a cycle) does.
        reason = (e as Error).message;
      }
    }
    this.logger.warn(`lineage: could not report ${what} (${reason}); the pipeline goes on without it`);
    return false;
  }
}

class Run implements LineageRun {
  readonly inputs: DatasetIdentity[] = [];
  readonly outputs: OutputWithStatistics[] = [];

  constructor(
    readonly runId: string,
    readonly job: JobIdentity,
    private readonly warn: (m: string) => void,
  ) {}

  /** Inside the run a bad reference is a warning, not an exception: it must not fail work already done. */
  private ref(dataset: DatasetRef, what: string): DatasetIdentity | undefined {
    try {
      return toDataset(dataset, what);
    } catch (e) {
      this.warn(`lineage: ${(e as Error).message}; not reported`);
      return undefined;
    }
  }

  addInput(dataset: DatasetRef): void {
    const d = this.ref(dataset, 'input');
    if (d && !this.inputs.some((i) => sameDataset(i, d))) this.inputs.push(d);
  }

  addOutput(dataset: DatasetRef, statistics?: OutputStatistics): void {
    const d = this.ref(dataset, 'output');
    if (!d) return;
    const existing = this.outputs.find((o) => sameDataset(o, d));
    const target = existing ?? { namespace: d.namespace, name: d.name };
    if (!existing) this.outputs.push(target);
    if (statistics) target.statistics = { ...target.statistics, ...statistics };
  }

  outputStatistics(dataset: DatasetRef, statistics: OutputStatistics): void {
    this.addOutput(dataset, statistics);
  }
}

/**
 * Runs `fn` as one OpenLineage run of `job`: asks the job gate first when `gate` is set (and
 * throws a JobGateError instead of running `fn` when the gate says no), emits START, runs `fn`,
 * then emits COMPLETE and returns what `fn` returned, or emits FAIL with the `errorMessage` facet
 * and rethrows `fn`'s error. Reporting lineage never fails the pipeline: an exporter that is down,
 * slow or rejects an event costs a warning and at most `timeoutMs` per event. Invalid options (a
 * job without a namespace, a bad runId) throw a LineageOptionsError before anything runs.
 */
export async function withLineage<T>(options: WithLineageOptions, fn: (run: LineageRun) => Promise<T> | T): Promise<T> {
  const job = toJob(options.job);
  const inputs = (options.inputs ?? []).map((d) => toDataset(d, 'input'));
  const outputs = (options.outputs ?? []).map((d) => toDataset(d, 'output'));
  if (options.runId !== undefined && !isUuid(options.runId)) throw new LineageOptionsError(`runId must be a UUID (OpenLineage requires one), got "${options.runId}"`);
  const runId = options.runId ?? uuidv7();
  const jobFacets = completeFacets('JobFacet', options.jobFacets, 'jobFacets');
  const runFacets = completeFacets('RunFacet', options.runFacets, 'runFacets');
  const policy = gatePolicy(options.gate);
  const sender = new LineageSender(options);
  const warn = (m: string) => sender.logger.warn(m);
  const time = runClock();
  const label = jobLabel(job);

  if (policy) {
    await checkJobGate({
      job,
      target: sender.resolved,
      policy,
      register: async () => {
        await sender.send(jobEvent({ eventTime: time(), job, inputs, outputs, jobFacets }), `job ${label} (JobEvent)`);
      },
      info: (m) => sender.logger.info?.(m),
      warn,
    });
  }

  const run = new Run(runId, job, warn);
  for (const d of inputs) run.addInput(d);
  for (const d of outputs) run.addOutput(d);
  const emit = (eventType: RunEventType, extraRunFacets: Facets = {}) =>
    sender.send(
      runEvent({ eventType, eventTime: time(), runId, job, inputs: run.inputs, outputs: run.outputs, jobFacets, runFacets: { ...runFacets, ...extraRunFacets } }),
      `${eventType} of job ${label}, run ${runId}`,
    );

  await emit('START');
  let result: T;
  try {
    result = await fn(run);
  } catch (error) {
    await emit('FAIL', errorMessageFacet(error));
    throw error;
  }
  await emit('COMPLETE');
  return result;
}

export interface RegisterJobOptions extends LineageConnection {
  job: JobRef;
  inputs?: DatasetRef[];
  outputs?: DatasetRef[];
  jobFacets?: Facets;
}

/**
 * Reports a job's static lineage (a JobEvent: what it reads and writes) without running it, so
 * the graph, and the job's gate, know it before its first run. Returns whether the exporter took
 * it; a failure is a warning, never an exception.
 */
export async function registerJob(options: RegisterJobOptions): Promise<boolean> {
  const job = toJob(options.job);
  const event = jobEvent({
    eventTime: new Date().toISOString(),
    job,
    inputs: (options.inputs ?? []).map((d) => toDataset(d, 'input')),
    outputs: (options.outputs ?? []).map((d) => toDataset(d, 'output')),
    jobFacets: completeFacets('JobFacet', options.jobFacets, 'jobFacets'),
  });
  return new LineageSender(options).send(event, `job ${jobLabel(job)} (JobEvent)`);
}
