import type { Config } from '../config/types';
import { datasetIdentity } from './datasetIdentity';
import { nodeKey, splitKey } from './model';

/**
 * Datasets have two names: the one datatrust.yml gives them (breakers, checks, metrics, alerts
 * use it) and their OpenLineage identity (the graph uses it). Datasets seen only in lineage are
 * called `namespace/name` wherever a dataset name is shown.
 */
export class DatasetNames {
  private readonly configuredByKey = new Map<string, string[]>();
  private readonly keyByConfigured = new Map<string, string>();

  constructor(
    config: Config,
    configured: readonly string[],
    /** Whether the lineage graph knows a dataset key (for `namespace/name` lookups). */
    private readonly known: (key: string) => boolean,
  ) {
    for (const name of configured) {
      const id = datasetIdentity(config, name);
      if (!id) continue;
      const key = nodeKey(id.namespace, id.name);
      this.keyByConfigured.set(name, key);
      const list = this.configuredByKey.get(key);
      if (list) list.push(name);
      else this.configuredByKey.set(key, [name]);
    }
  }

  /** The graph key of a configured dataset, or of `namespace/name` if lineage has seen it. */
  keyOf(name: string): string | undefined {
    const configured = this.keyByConfigured.get(name);
    if (configured) return configured;
    // A namespace may itself contain slashes (`duckdb://data/demo.duckdb/demo.main.t`): try each split.
    for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
      const key = nodeKey(name.slice(0, i), name.slice(i + 1));
      if (this.known(key) && !this.configuredByKey.has(key)) return key;
    }
    return undefined;
  }

  /** How a dataset key is shown: its configured name, else `namespace/name`. */
  nameOf(key: string): string {
    const configured = this.configuredByKey.get(key);
    if (configured) return configured[0]!;
    const { namespace, name } = splitKey(key);
    return `${namespace}/${name}`;
  }

  /** Configured datasets with this identity (usually one). */
  configuredAt(key: string): readonly string[] {
    return this.configuredByKey.get(key) ?? [];
  }

  isConfiguredKey(key: string): boolean {
    return this.configuredByKey.has(key);
  }

  /** Graph keys of every configured dataset. */
  configuredKeys(): IterableIterator<string> {
    return this.configuredByKey.keys();
  }
}
