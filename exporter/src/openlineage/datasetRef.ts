import type { DatasetIdentity } from './types';

/**
 * Splits `NAMESPACE:NAME` as Marquez node ids do, but without Marquez's known crash (marquez#2806):
 * a `:` that starts `://` or a port (`:5432`) belongs to the namespace, so
 * `postgres://db:5432:core.public.tx` is namespace `postgres://db:5432`, name `core.public.tx`.
 * The first other `:` separates; the name may contain further colons.
 */
export function splitNamespaced(ref: string): DatasetIdentity | undefined {
  for (let i = ref.indexOf(':'); i !== -1; i = ref.indexOf(':', i + 1)) {
    if (ref.startsWith('//', i + 1)) continue;
    // `host:5432:name`: a port, as long as a name follows it.
    if (/^\d+:./.test(ref.slice(i + 1))) continue;
    const namespace = ref.slice(0, i);
    const name = ref.slice(i + 1);
    return namespace && name ? { namespace, name } : undefined;
  }
  return undefined;
}

/** `NAMESPACE:NAME`, the form `datatrust lineage --input` and node ids use. */
export function formatNamespaced(d: DatasetIdentity): string {
  return `${d.namespace}:${d.name}`;
}
