/** SodaCL durations: `1d`, `27h`, `2h30m`, `1d6h`, `90s`; units d, h, m, s. */
const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
const DURATION = /^(?:\d+(?:\.\d+)?[dhms])+$/;
const PART = /(\d+(?:\.\d+)?)([dhms])/g;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Seconds in a SodaCL duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return total;
}

/** Compact human form, largest units first: 93784 → `1d2h3m4s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return sign + out;
}
