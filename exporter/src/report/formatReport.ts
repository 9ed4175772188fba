/** Number formats shared by the HTML and Markdown reports, so both say the same thing. */

export function percent(ratio: number, digits = 2): string {
  const p = ratio * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(digits)}%`;
}

/** `45 s`, `12.5 min`, `3.2 h`, `2.1 d`: the unit a reader thinks in. */
export function humanDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Number((seconds / 60).toFixed(1))} min`;
  if (seconds < 36 * 3600) return `${Number((seconds / 3600).toFixed(1))} h`;
  return `${Number((seconds / 86400).toFixed(1))} d`;
}

export function usd(n: number): string {
  return `$${n.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

/** `2026-11-02` → `Nov 2`. */
export function weekLabel(week: string): string {
  const d = new Date(`${week}T00:00:00Z`);
  return `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${d.getUTCDate()}`;
}

/** `2026-11-30T10:05:00.000Z` → `2026-11-30 10:05 UTC`. */
export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}
