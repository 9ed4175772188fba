import { identityKey } from './readState';

/**
 * How a Marquez dataset (`{namespace, name}`) finds its quality metrics, which are keyed by a
 * `dataset` label:
 * - `namespaceName`: the label is `namespace/name` (the exporter's name for datasets it only knows
 *   from lineage);
 * - `name`: the label is the bare OpenLineage name;
 * - `auto`: whichever of the two names a dataset that the metrics carry, `namespace/name` first.
 * In every mode an identity row (`dataset`, `namespace`, `name`) wins: that is how a configured
 * dataset, labelled by its configured name, meets its OpenLineage identity.
 */
export type LineageJoin = 'auto' | 'namespaceName' | 'name';

export const LINEAGE_JOINS: Array<{ value: LineageJoin; label: string; description: string }> = [
  { value: 'auto', label: 'Auto', description: 'namespace/name, else name: whichever the metrics carry' },
  { value: 'namespaceName', label: 'namespace/name', description: 'The metrics label datasets `namespace/name`' },
  { value: 'name', label: 'name', description: 'The metrics label datasets by their OpenLineage name' },
];

export interface JoinContext {
  join: LineageJoin;
  /** `namespace\u0000name` → dataset label, from identity rows. */
  identities: Map<string, string>;
  /** Dataset labels the metric frames carry. */
  known: Set<string>;
}

export function qualifiedName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The panel's id for a Marquez dataset: the `dataset` label its metrics use. */
export function datasetKeyFor(namespace: string, name: string, context: JoinContext): string {
  const identity = context.identities.get(identityKey(namespace, name) ?? '');
  if (identity) {
    return identity;
  }
  const qualified = qualifiedName(namespace, name);
  switch (context.join) {
    case 'namespaceName':
      return qualified;
    case 'name':
      return name;
    case 'auto':
      if (context.known.has(qualified)) {
        return qualified;
      }
      return context.known.has(name) ? name : qualified;
  }
}
