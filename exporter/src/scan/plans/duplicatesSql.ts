import type { DuplicateSpec } from '../planDataset';

/**
 * `duplicate_count`: the number of distinct key values that occur more than once (Soda's
 * definition), by one of two methods that return the same number:
 *
 * - `hash`: GROUP BY the key, keep groups of more than one row. Fast when keys repeat a lot.
 * - `sort`: order the rows by the key and compare each with the one before; only rows equal to
 *   their predecessor are grouped. On a near-unique key the sort beats a hash table with one
 *   entry per row (DuckDB and PostgreSQL alike, bench/results/README.md).
 *
 * With `samples`, the same query also returns the most frequent duplicated values (at most
 * `samples` rows, each carrying the total in `duplicate_count`): one pass for value and samples.
 */
export function duplicatesSql(spec: DuplicateSpec, method: 'hash' | 'sort', samples?: number): string {
  const list = spec.columns.join(', ');
  let frequencies: string;
  if (method === 'hash') {
    frequencies = `frequencies AS (SELECT ${list}, COUNT(*) AS frequency FROM ${spec.from} WHERE ${spec.where} GROUP BY ${list} HAVING COUNT(*) > 1)`;
  } else {
    const previous = spec.columns.map((c, i) => `LAG(${c}) OVER (ORDER BY ${list}) AS previous_${i}`).join(', ');
    const same = spec.columns.map((c, i) => `${c} = previous_${i}`).join(' AND ');
    frequencies =
      `ordered AS (SELECT ${list}, ${previous} FROM ${spec.from} WHERE ${spec.where}), ` +
      // Each run of n equal keys has n - 1 rows equal to their predecessor.
      `frequencies AS (SELECT ${list}, COUNT(*) + 1 AS frequency FROM ordered WHERE ${same} GROUP BY ${list})`;
  }
  if (samples === undefined) return `WITH ${frequencies} SELECT COUNT(*) FROM frequencies`;
  return `WITH ${frequencies} SELECT ${list}, frequency, COUNT(*) OVER () AS duplicate_count FROM frequencies ORDER BY frequency DESC LIMIT ${samples}`;
}
