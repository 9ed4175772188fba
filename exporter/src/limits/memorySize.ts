/** Bytes per unit, as DuckDB reads `memory_limit` (`GB` is 10^9, `GiB` 2^30; case-insensitive). */
const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export const MIB = 2 ** 20;

/** `512MB`, `2 GiB`, `1.5GB` → bytes; undefined for anything DuckDB would not take as a size. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** Whole MiB, the form handed to DuckDB and shown to people (`768MiB`). */
export function formatMemorySize(bytes: number): string {
  return `${Math.max(1, Math.floor(bytes / MIB))}MiB`;
}
