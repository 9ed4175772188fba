import { splitNamespaced } from './datasetRef';

export type NodeId =
  | { type: 'dataset'; namespace: string; name: string }
  | { type: 'job'; namespace: string; name: string }
  | { type: 'datasetField'; namespace: string; name: string; field: string };

const VERSION_SUFFIX = /#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Parses Marquez node ids: `dataset:<namespace>:<name>`, `job:<namespace>:<name>`,
 * `datasetField:<namespace>:<dataset>:<field>`, each optionally `#<version uuid>`. Namespaces
 * with `://` and ports (`dataset:postgres://db:5432:core.public.tx`) parse, where Marquez's own
 * parser fails (marquez#2806). Undefined for anything else.
 */
export function parseNodeId(text: string): NodeId | undefined {
  const id = text.replace(VERSION_SUFFIX, '');
  const colon = id.indexOf(':');
  if (colon === -1) return undefined;
  const type = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (type === 'dataset' || type === 'job') {
    const ref = splitNamespaced(rest);
    return ref ? { type, ...ref } : undefined;
  }
  if (type === 'datasetField') {
    const last = rest.lastIndexOf(':');
    const ref = last > 0 ? splitNamespaced(rest.slice(0, last)) : undefined;
    const field = rest.slice(last + 1);
    return ref && field ? { type, ...ref, field } : undefined;
  }
  return undefined;
}
