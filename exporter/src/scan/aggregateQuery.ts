/**
 * Collects every aggregate metric of a dataset into one single-pass SELECT. Identical
 * expressions (the row count behind several percentages, say) are computed once.
 */
export class AggregateQuery {
  private readonly aliases = new Map<string, string>();

  /** Registers an aggregate expression and returns the column alias that will hold it. */
  add(expression: string): string {
    let alias = this.aliases.get(expression);
    if (!alias) {
      alias = `m${this.aliases.size}`;
      this.aliases.set(expression, alias);
    }
    return alias;
  }

  get size(): number {
    return this.aliases.size;
  }

  /** [alias, expression] pairs in registration order. */
  entries(): [string, string][] {
    return [...this.aliases].map(([expr, alias]) => [alias, expr]);
  }

  /** The SELECT for the given expressions (all by default), e.g. to retry without broken ones. */
  sql(from: string, where: string | undefined, only?: ReadonlySet<string>): string {
    const select = this.entries()
      .filter(([alias]) => !only || only.has(alias))
      .map(([alias, expr]) => `  ${expr} AS ${alias}`)
      .join(',\n');
    return `SELECT\n${select}\nFROM ${from}${where ? `\nWHERE ${where}` : ''}`;
  }
}
