import { closest } from '../diagnostics/didYouMean';
import type { ColumnInfo } from '../sources/source';

/** Thrown when a check names a column the dataset does not have; fails that check only. */
export class ColumnNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ColumnNotFoundError';
  }
}

/**
 * Finds a column by the name a check uses. `"Quoted"` names match exactly; bare names match
 * exactly first, then case-insensitively, as unquoted SQL identifiers would.
 */
export function resolveColumn(written: string, columns: readonly ColumnInfo[], dataset: string): ColumnInfo {
  const quoted = written.length > 1 && written.startsWith('"') && written.endsWith('"');
  const name = quoted ? written.slice(1, -1).replace(/""/g, '"') : written;
  const exact = columns.find((c) => c.name === name);
  if (exact) return exact;
  if (!quoted) {
    const folded = columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    if (folded.length === 1) return folded[0]!;
  }
  const names = columns.map((c) => c.name);
  const guess = closest(name, names);
  const hint = /[^\p{L}\p{N}_$]/u.test(name)
    ? '; metric arguments are column names: for an expression, define a user metric (`my_metric expression: AVG(…)`)'
    : guess
      ? `; did you mean \`${guess}\`?`
      : '';
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length} in all)` : names.join(', ');
  throw new ColumnNotFoundError(`column \`${name}\` does not exist in dataset \`${dataset}\`${hint} (columns: ${shown})`);
}
