/**
 * The instant freshness is measured against: the `NOW` variable (the scan's start unless given,
 * `-v NOW=2026-11-30T00:00:00Z`), or the variable named by `freshness(col, VAR)`. Written as
 * Soda reads it (Python's `datetime.fromisoformat`): a date, or a date and time with `T` or a
 * space, optional fractions and offset; without an offset the time is UTC.
 */
const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

export function parseTimestamp(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(Number(`0.${frac}`) * 1000));
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March: refuse instead.
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (!zone || zone.toUpperCase() === 'Z') return date;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return new Date(ms - sign * offsetMin * 60_000);
}

/** Thrown when the variable is missing or not a timestamp: the freshness check is an error, not a guess. */
export class ReferenceTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceTimeError';
  }
}

export function referenceTime(variable: string, variables: Readonly<Record<string, string>>, scanStart: Date): Date {
  const text = Object.prototype.hasOwnProperty.call(variables, variable) ? variables[variable] : undefined;
  if (text === undefined) {
    // NOW always exists in a scan; a direct caller without variables means "the scan's start".
    if (variable === 'NOW') return scanStart;
    throw new ReferenceTimeError(`freshness is measured against variable \`${variable}\`, which is not defined; pass \`-v ${variable}=2026-11-30T00:00:00Z\` or set it under \`variables:\``);
  }
  const at = parseTimestamp(text);
  if (!at) throw new ReferenceTimeError(`variable \`${variable}\` = \`${text}\` is not a timestamp; write it as \`2026-11-30\`, \`2026-11-30 08:00:00\` or \`2026-11-30T08:00:00+01:00\``);
  return at;
}
