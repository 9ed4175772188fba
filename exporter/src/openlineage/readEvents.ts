import { type EventTime, parseEventTime } from './eventTime';
import type { EventKind, LineageEvent } from './types';
import { validateEvent, type Violation } from './validateEvent';

/** A validated event, ready to store. */
export interface IncomingEvent {
  event: LineageEvent;
  kind: EventKind;
  time: EventTime;
  /** The event as stored for audit and replay: every field and facet as sent. */
  raw: string;
}

export type ReadResult = { ok: true; incoming: IncomingEvent; facetWarnings: Violation[] } | { ok: false; violations: Violation[] };

/** Deeper than this is not an event but an attack on the parser's stack. */
export const MAX_DEPTH = 64;
/** Namespaces and names: Marquez's own limit for namespaces, applied to every name. */
export const MAX_NAME_LENGTH = 1024;

/**
 * The nesting depth of a JSON text without parsing it: brackets outside strings. Cheap, and it
 * runs before JSON.parse and the validator, both of which recurse.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Names become keys, paths and Prometheus labels: bounded, and free of control characters. */
function nameViolations(event: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  const check = (value: unknown, path: string) => {
    if (typeof value !== 'string') return;
    if (value.length > MAX_NAME_LENGTH) out.push({ path, rule: 'maxLength', message: `${path} is ${value.length} characters long; at most ${MAX_NAME_LENGTH} are accepted` });
    else if (value.length === 0) out.push({ path, rule: 'minLength', message: `${path} must not be empty` });
    else if (CONTROL.test(value)) out.push({ path, rule: 'pattern', message: `${path} contains a control character` });
  };
  const ref = (v: unknown, path: string) => {
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    check(o.namespace, `${path}/namespace`);
    check(o.name, `${path}/name`);
  };
  ref(event.job, '/job');
  ref(event.dataset, '/dataset');
  for (const side of ['inputs', 'outputs'] as const) {
    const list = event[side];
    if (Array.isArray(list)) list.forEach((d, i) => ref(d, `/${side}/${i}`));
  }
  return out;
}

/** Validates one parsed event: the official schemas, then our limits on names. */
export function readEvent(value: unknown): ReadResult {
  const v = validateEvent(value);
  if (v.errors.length) return { ok: false, violations: v.errors };
  const event = value as LineageEvent;
  const names = nameViolations(event);
  if (names.length) return { ok: false, violations: names };
  const time = parseEventTime(event.eventTime);
  if (!time) return { ok: false, violations: [{ path: '/eventTime', rule: 'format: date-time', message: '/eventTime is not a date-time' }] };
  return { ok: true, incoming: { event, kind: v.kind!, time, raw: JSON.stringify(value) }, facetWarnings: v.facetWarnings };
}

/** Parses a request body: nesting first, then JSON, with the position of a syntax error. */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const depth = jsonDepth(text);
  if (depth > MAX_DEPTH) return { ok: false, message: `request body nests ${depth} levels deep; at most ${MAX_DEPTH} are accepted` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `request body is not valid JSON: ${(e as Error).message}` };
  }
}
