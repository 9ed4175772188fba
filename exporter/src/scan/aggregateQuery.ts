import type { ColumnInfo } from '../sources/source';

/**
 * What an aggregate expression computes, in a form the plan rules can re-express (a count as a
 * `WHERE` query, a null count from Parquet statistics, a sum as a partial aggregate to merge).
 * Expressions registered without one (user expressions) can only run as written.
 */
export type AggregateSpec =
  /** `COUNT(*)` of rows matching `condition` (missing, invalid, fail condition) within `filter`. */
  | {
      fn: 'count';
      filter?: string;
      condition?: string;
      /** The one column the condition reads, when it reads only one. */
      column?: ColumnInfo;
      /** The condition is exactly `column IS NULL`. */
      isNull?: boolean;
      /** The condition costs more than a comparison per row (a regex, a cast of text). */
      costly?: boolean;
    }
  /** `FN(arg)` over non-NULL values; `column` is set when `arg` is the plain column, `valuesOf` when its values come from one. */
  | { fn: NumericFn; arg: string; filter?: string; column?: ColumnInfo; valuesOf?: ColumnInfo }
  /** Freshness: epoch seconds of `MAX(arg)`. */
  | { fn: 'max_epoch'; arg: string; filter?: string; column?: ColumnInfo }
  /** `sketch`: incremental scans may approximate it from a mergeable sketch (`incremental: sketch`). */
  | { fn: 'percentile'; arg: string; rank: number; filter?: string; sketch?: boolean };

export type NumericFn = 'sum' | 'avg' | 'min' | 'max' | 'stddev_samp' | 'stddev_pop' | 'var_samp' | 'var_pop';

export interface AggregateEntry {
  alias: string;
  expression: string;
  spec?: AggregateSpec;
}

/**
 * Collects every aggregate metric of a dataset into one single-pass SELECT. Identical
 * expressions (the row count behind several percentages, say) are computed once.
 */
export class AggregateQuery {
  private readonly aliases = new Map<string, AggregateEntry>();

  /** Registers an aggregate expression and returns the column alias that will hold it. */
  add(expression: string, spec?: AggregateSpec): string {
    // A percentile opted into a sketch is another metric than the exact one, though the same SQL.
    const key = spec?.fn === 'percentile' && spec.sketch ? `${expression}\u0000sketch` : expression;
    let entry = this.aliases.get(key);
    if (!entry) {
      entry = { alias: `m${this.aliases.size}`, expression, ...(spec ? { spec } : {}) };
      this.aliases.set(key, entry);
    }
    return entry.alias;
  }

  get size(): number {
    return this.aliases.size;
  }

  /** [alias, expression] pairs in registration order. */
  entries(): [string, string][] {
    return [...this.aliases.values()].map((e) => [e.alias, e.expression]);
  }

  /** Every entry with its spec, in registration order. */
  described(): AggregateEntry[] {
    return [...this.aliases.values()];
  }

  /** The SELECT for the given expressions (all by default), e.g. to retry without broken ones. */
  sql(from: string, where: string | undefined, only?: ReadonlySet<string>): string {
    return aggregateSql(this.entries().filter(([alias]) => !only || only.has(alias)), from, where);
  }
}

/** `SELECT expr AS alias, … FROM from [WHERE where]`. */
function aggregateSql(entries: readonly (readonly [string, string])[], from: string, where: string | undefined): string {
  const select = entries.map(([alias, expr]) => `  ${expr} AS ${alias}`).join(',\n');
  return `SELECT\n${select}\nFROM ${from}${where ? `\nWHERE ${where}` : ''}`;
}
