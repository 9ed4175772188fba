import { retryAfterMs } from '../http/retryAfter';

/** What the gate needs from `GET /api/v1/breakers/{dataset}`; the full JSON is kept for `--format json`. */
export interface GateBreaker {
  dataset: string;
  state: 'open' | 'closed';
  since: string;
  cause?: string;
  failingChecks: { name: string; message?: string; error?: string }[];
  incidentId?: string;
  overridden?: { state?: string; reason?: string; actor?: string; expiresAt?: string };
}

/** One ask of the exporter, classified for the polling loop. `V` is what the gate answered about. */
export type PollResult<V = GateBreaker> =
  /** 200 (closed) or 423 (open) with the gate's JSON. `json` is the body as the server sent it. */
  | { kind: 'state'; view: V; json: unknown }
  /** Cannot tell now (network, timeout, 5xx, 429, 408): retry with backoff. */
  | { kind: 'unreachable'; reason: string; retryAfterMs?: number }
  /** A definite "this request is wrong" (unknown dataset or job, auth, not a DataTrust exporter): exit 2 now. */
  | { kind: 'rejected'; reason: string; /** 404: the exporter does not know the dataset or job. */ unknown?: true };

const EXCERPT = 200;

export function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > EXCERPT ? one.slice(0, EXCERPT - 1) + '…' : one;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Validates breaker JSON; returns a reason string when it is not what the exporter sends. */
export function parseBreaker(body: unknown): GateBreaker | string {
  if (!isRecord(body)) return 'the body is not a JSON object';
  const { dataset, state, since, cause, failingChecks, incidentId, overridden } = body;
  if (state !== 'open' && state !== 'closed') return `"state" is ${JSON.stringify(state)}, expected "open" or "closed"`;
  if (typeof dataset !== 'string') return '"dataset" is missing';
  const checks = Array.isArray(failingChecks) ? failingChecks.filter(isRecord) : [];
  return {
    dataset,
    state,
    since: typeof since === 'string' ? since : '',
    ...(typeof cause === 'string' ? { cause } : {}),
    failingChecks: checks.map((c) => ({
      name: typeof c.name === 'string' ? c.name : String(c.definition ?? '?'),
      ...(typeof c.message === 'string' ? { message: c.message } : {}),
      ...(typeof c.error === 'string' ? { error: c.error } : {}),
    })),
    ...(typeof incidentId === 'string' ? { incidentId } : {}),
    ...(isRecord(overridden)
      ? {
          overridden: Object.fromEntries(
            (['state', 'reason', 'actor', 'expiresAt'] as const).flatMap((k) => {
              const v = optionalString(overridden[k]);
              return v === undefined ? [] : [[k, v]];
            }),
          ),
        }
      : {}),
  };
}

function errorText(bodyText: string): string {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isRecord(body) && typeof body.error === 'string') return excerpt(body.error);
  } catch {
    // Not JSON: show the text itself.
  }
  return excerpt(bodyText);
}

/** How to read one kind of gate: its body parser and how its JSON and a 404 are named in errors. */
export interface GateAnswerShape<V extends { state: 'open' | 'closed' }> {
  parse(body: unknown): V | string;
  /** `breaker JSON`, `job gate JSON`. */
  what: string;
  /** The 404 reason, e.g. ``unknown dataset `tx` ``. */
  unknown: string;
}

/**
 * Classifies one answer of a gate endpoint: 200 means closed and 423 open, both with JSON whose
 * `state` must agree; 404 is an unknown subject. Anything else that could pass (5xx, 429, 408)
 * is "unreachable" and retried; the rest is a bad request.
 */
export function interpretGateAnswer<V extends { state: 'open' | 'closed' }>(shape: GateAnswerShape<V>, status: number, bodyText: string, retryAfter: string | null, now: number): PollResult<V> {
  const httpLine = (s: number) => `HTTP ${s}${bodyText.trim() ? `: ${errorText(bodyText)}` : ''}`;
  if (status === 200 || status === 423) {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return { kind: 'rejected', reason: `bad response: HTTP ${status} without ${shape.what} (${excerpt(bodyText) || 'empty body'}); is --url the DataTrust exporter?` };
    }
    const view = shape.parse(body);
    if (typeof view === 'string') return { kind: 'rejected', reason: `bad response: HTTP ${status}: ${view}; is --url the DataTrust exporter?` };
    const expected = status === 200 ? 'closed' : 'open';
    if (view.state !== expected) return { kind: 'rejected', reason: `bad response: HTTP ${status} but "state" is "${view.state}"` };
    return { kind: 'state', view, json: body };
  }
  if (status === 404) return { kind: 'rejected', reason: `${shape.unknown} (${httpLine(404)})`, unknown: true };
  if (status === 401 || status === 403) return { kind: 'rejected', reason: `not authorised (${httpLine(status)}); check --token or DATATRUST_API_TOKEN` };
  if (status >= 500 || status === 429 || status === 408) {
    const ms = retryAfterMs(retryAfter, now);
    return { kind: 'unreachable', reason: httpLine(status), ...(ms !== undefined ? { retryAfterMs: ms } : {}) };
  }
  return { kind: 'rejected', reason: `unexpected ${httpLine(status)}` };
}

/** One answer of `GET /api/v1/breakers/{dataset}`. */
export function interpretResponse(dataset: string, status: number, bodyText: string, retryAfter: string | null, now: number): PollResult {
  return interpretGateAnswer({ parse: parseBreaker, what: 'breaker JSON', unknown: `unknown dataset \`${dataset}\`` }, status, bodyText, retryAfter, now);
}
