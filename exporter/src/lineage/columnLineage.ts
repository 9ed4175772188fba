import { type DatasetRecord, nodeKey, splitKey } from './model';

export interface ColumnNode {
  id: string;
  type: 'DATASET_FIELD';
  data: {
    namespace: string;
    dataset: string;
    datasetVersion?: string;
    field: string;
    fieldType?: string;
    transformationDescription?: string;
    transformationType?: string;
    inputFields: { namespace: string; dataset: string; field: string; transformationDescription?: string; transformationType?: string }[];
  };
  inEdges: { origin: string; destination: string }[];
  outEdges: { origin: string; destination: string }[];
}

/** `datasetKey` + U+0000 + field: a column's identity. */
const fieldKey = (datasetKey: string, field: string) => `${datasetKey}\u0000${field}`;
const fieldId = (k: string) => {
  const [ds, field] = k.split('\u0000') as [string, string];
  const { namespace, name } = splitKey(ds);
  return `datasetField:${namespace}:${name}:${field}`;
};

/**
 * `GET /api/v1/column-lineage`: the columns a column (or every column of a dataset) is derived
 * from, `depth` steps upstream, and with `withDownstream` the columns derived from it too, from
 * the `columnLineage` facets of the datasets' latest outputs. Shaped as Marquez answers.
 */
export function columnLineageView(datasets: ReadonlyMap<string, DatasetRecord>, start: { datasetKey: string; field?: string }, depth: number, withDownstream: boolean): { graph: ColumnNode[] } {
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  for (const d of datasets.values()) {
    for (const [field, lineage] of Object.entries(d.columnLineage ?? {})) {
      const out = fieldKey(d.key, field);
      const ins = lineage.inputFields.map((i) => fieldKey(nodeKey(i.namespace, i.name), i.field));
      upstream.set(out, ins);
      for (const i of ins) downstream.set(i, [...(downstream.get(i) ?? []), out]);
    }
  }
  const ds = datasets.get(start.datasetKey);
  const starts = start.field ? [fieldKey(start.datasetKey, start.field)] : [...new Set([...(ds?.fields.map((f) => f.name) ?? []), ...Object.keys(ds?.columnLineage ?? {})])].map((f) => fieldKey(start.datasetKey, f));
  const seen = new Set<string>(starts);
  const walk = (index: Map<string, string[]>) => {
    let frontier = [...starts];
    for (let step = 0; step < depth && frontier.length; step++) {
      const next: string[] = [];
      for (const k of frontier) for (const n of index.get(k) ?? []) if (!seen.has(n)) (seen.add(n), next.push(n));
      frontier = next;
    }
  };
  walk(upstream);
  if (withDownstream) walk(downstream);

  const nodes: ColumnNode[] = [...seen].map((k) => {
    const [dsKey, field] = k.split('\u0000') as [string, string];
    const record = datasets.get(dsKey);
    const lineage = record?.columnLineage?.[field];
    const { namespace, name } = splitKey(dsKey);
    const id = fieldId(k);
    const fieldType = record?.fields.find((f) => f.name === field)?.type;
    return {
      id,
      type: 'DATASET_FIELD' as const,
      data: {
        namespace,
        dataset: name,
        ...(record?.currentVersion ? { datasetVersion: record.currentVersion } : {}),
        field,
        ...(fieldType ? { fieldType } : {}),
        ...(lineage?.transformationDescription ? { transformationDescription: lineage.transformationDescription } : {}),
        ...(lineage?.transformationType ? { transformationType: lineage.transformationType } : {}),
        inputFields: (lineage?.inputFields ?? []).map((i) => ({ namespace: i.namespace, dataset: i.name, field: i.field })),
      },
      inEdges: (upstream.get(k) ?? []).filter((i) => seen.has(i)).map((i) => ({ origin: fieldId(i), destination: id })),
      outEdges: (downstream.get(k) ?? []).filter((o) => seen.has(o)).map((o) => ({ origin: id, destination: fieldId(o) })),
    };
  });
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { graph: nodes };
}
