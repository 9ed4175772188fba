import type { JobIdentity } from '../openlineage/types';
import { fetchGate, type FetchGateOptions, gateUrl } from './fetchBreaker';
import { isRecord, interpretGateAnswer, type PollResult } from './gateResponse';

/** A dataset that blocks a job: the open breaker and the lineage path from it to the job's input. */
export interface JobBlocker {
  dataset: string;
  /** Dataset names from the open breaker to the job's input. */
  path: string[];
  /** Jobs (`namespace/name`) between them. */
  via: string[];
}

export interface JobGateInput {
  dataset: string;
  namespace?: string;
  name?: string;
  state?: string;
}

/** What the gate needs from `GET /api/v1/gates/jobs/{namespace}/{job}`; the full JSON is kept for `--format json`. */
export interface JobGateView {
  namespace: string;
  job: string;
  state: 'open' | 'closed';
  cause?: string;
  blockedBy: JobBlocker[];
  inputs: JobGateInput[];
}

/** `demo/demo.clean`: how jobs are named on the command line and in messages. */
export function jobLabel(job: JobIdentity): string {
  return `${job.namespace}/${job.name}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Validates job gate JSON; returns a reason string when it is not what the exporter sends. */
export function parseJobGate(body: unknown): JobGateView | string {
  if (!isRecord(body)) return 'the body is not a JSON object';
  const { namespace, job, state, cause, blockedBy, inputs } = body;
  if (state !== 'open' && state !== 'closed') return `"state" is ${JSON.stringify(state)}, expected "open" or "closed"`;
  if (typeof namespace !== 'string' || typeof job !== 'string') return '"namespace" or "job" is missing';
  const blockers = (Array.isArray(blockedBy) ? blockedBy : []).filter(isRecord).map((b) => ({
    dataset: str(b.dataset) ?? '?',
    path: strings(b.path),
    via: strings(b.via),
  }));
  const ins = (Array.isArray(inputs) ? inputs : []).filter(isRecord).map((i) => ({
    dataset: str(i.dataset) ?? `${str(i.namespace) ?? '?'}:${str(i.name) ?? '?'}`,
    ...(str(i.namespace) ? { namespace: str(i.namespace)! } : {}),
    ...(str(i.name) ? { name: str(i.name)! } : {}),
    ...(str(i.state) ? { state: str(i.state)! } : {}),
  }));
  return { namespace, job, state, ...(typeof cause === 'string' ? { cause } : {}), blockedBy: blockers, inputs: ins };
}

/** `{base}/api/v1/gates/jobs/{namespace}/{job}?wait=Ns`, both parts encoded (namespaces hold `://`). */
export function jobGateUrl(baseUrl: URL, job: JobIdentity, waitSeconds: number): URL {
  return gateUrl(baseUrl, `/api/v1/gates/jobs/${encodeURIComponent(job.namespace)}/${encodeURIComponent(job.name)}`, waitSeconds);
}

/** One answer of the job gate: 200 closed, 423 open, 404 a job lineage has never seen. */
export function interpretJobGateResponse(job: JobIdentity, status: number, bodyText: string, retryAfter: string | null, now: number): PollResult<JobGateView> {
  return interpretGateAnswer({ parse: parseJobGate, what: 'job gate JSON', unknown: `unknown job \`${jobLabel(job)}\`` }, status, bodyText, retryAfter, now);
}

/** One ask of the job gate. Never throws. */
export function fetchJobGate(opts: FetchGateOptions & { job: JobIdentity }): Promise<PollResult<JobGateView>> {
  return fetchGate(jobGateUrl(opts.baseUrl, opts.job, opts.waitSeconds), opts, (status, text, retryAfter, now) => interpretJobGateResponse(opts.job, status, text, retryAfter, now));
}
