/**
 * An event's time as producers send it, kept exactly, plus what ordering needs: producers send
 * nanoseconds and any offset (or, like Marquez's fixtures, none: read as UTC), and JavaScript
 * dates keep milliseconds only.
 */
export interface EventTime {
  /** As sent. */
  raw: string;
  /** Epoch milliseconds (fraction dropped). */
  ms: number;
  /** UTC with nine fraction digits, `2026-11-30T00:00:00.123456789Z`: sorts as text in time order. */
  key: string;
}

const FORM = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Parses an OpenLineage eventTime; undefined when it is not an RFC 3339 date-time (offset optional). */
export function parseEventTime(raw: string): EventTime | undefined {
  const m = FORM.exec(raw);
  if (!m) return undefined;
  const [, date, hh, mm, ss = '00', fraction = '', zone = 'Z'] = m;
  const offset = zone === 'Z' || zone === 'z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = (fraction + '000000000').slice(0, 9);
  const wholeMs = ms + Number(nanos.slice(0, 3));
  const base = new Date(ms).toISOString().slice(0, 19);
  return { raw, ms: wholeMs, key: `${base}.${nanos}Z` };
}
