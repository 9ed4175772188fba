import type { ConfigurationEntry } from '../checks/model';
import { formatPosition } from '../diagnostics/diagnostic';
import type { ColumnInfo } from '../sources/source';
import { ColumnNotFoundError, resolveColumn } from './columnResolver';
import type { CheckResult } from './result';

/**
 * A `configurations for` entry naming a column the dataset does not have would silently change
 * nothing (Soda Core ignores it): a typo in `missing values for colr` must not quietly turn a
 * rule off. Each such entry is reported as an `error` result at its own position.
 */
export function unknownConfiguredColumns(dataset: string, entries: readonly ConfigurationEntry[], columns: readonly ColumnInfo[]): CheckResult[] {
  const out: CheckResult[] = [];
  for (const e of entries) {
    try {
      resolveColumn(e.column, columns, dataset);
    } catch (err) {
      if (!(err instanceof ColumnNotFoundError)) throw err;
      const definition = `${e.key} for ${e.column}`;
      out.push({ id: formatPosition(e.location), name: `configurations for ${dataset}: ${definition}`, definition, outcome: 'error', value: null, threshold: {}, error: err.message });
    }
  }
  return out;
}
