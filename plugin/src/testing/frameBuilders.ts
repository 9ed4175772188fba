import { createDataFrame, DataFrame, FieldType, Labels } from '@grafana/data';

/**
 * Frames shaped like Grafana's Prometheus datasource output, for unit tests and the browser
 * harness. Instant queries give one frame per series with a Time and a labelled Value field.
 */
export function promInstantSeries(refId: string, metric: string, labels: Labels, value: number, timeMs: number): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: [timeMs] },
      { name: 'Value', type: FieldType.number, values: [value], labels: { __name__: metric, ...labels } },
    ],
  });
}

/** A range-query series: several points, so the panel can tell since when a value holds. */
export function promRangeSeries(
  refId: string,
  metric: string,
  labels: Labels,
  points: Array<[timeMs: number, value: number]>
): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: points.map((p) => p[0]) },
      { name: 'Value', type: FieldType.number, values: points.map((p) => p[1]), labels: { __name__: metric, ...labels } },
    ],
  });
}

/** Prometheus "table" format: one row per series, labels as string columns, the value in `Value`. */
export function promTable(refId: string, metric: string, rows: Array<{ labels: Labels; value: number }>, timeMs: number): DataFrame {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort();
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: rows.map(() => timeMs) },
      { name: '__name__', type: FieldType.string, values: rows.map(() => metric) },
      ...keys.map((key) => ({ name: key, type: FieldType.string, values: rows.map((r) => r.labels[key] ?? '') })),
      { name: 'Value', type: FieldType.number, values: rows.map((r) => r.value) },
    ],
  });
}

/** A plain edges frame (e.g. from a SQL or JSON datasource). */
export function edgesFrame(refId: string, edges: Array<[source: string, target: string, pipeline?: string]>): DataFrame {
  return createDataFrame({
    refId,
    name: 'edges',
    fields: [
      { name: 'source', type: FieldType.string, values: edges.map((e) => e[0]) },
      { name: 'target', type: FieldType.string, values: edges.map((e) => e[1]) },
      { name: 'pipeline', type: FieldType.string, values: edges.map((e) => e[2] ?? '') },
    ],
  });
}

/** Grafana Node Graph frames: `nodes` (id, title, mainstat, arc__*) and `edges` (id, source, target). */
export function nodeGraphFrames(
  nodes: Array<{ id: string; title: string; mainstat?: string; passArc?: number }>,
  edges: Array<[string, string]>
): DataFrame[] {
  const withArcs = nodes.some((n) => n.passArc !== undefined);
  return [
    createDataFrame({
      name: 'nodes',
      refId: 'A',
      meta: { preferredVisualisationType: 'nodeGraph' },
      fields: [
        { name: 'id', type: FieldType.string, values: nodes.map((n) => n.id) },
        { name: 'title', type: FieldType.string, values: nodes.map((n) => n.title) },
        { name: 'mainstat', type: FieldType.string, values: nodes.map((n) => n.mainstat ?? '') },
        ...(withArcs
          ? [
              { name: 'arc__passed', type: FieldType.number, values: nodes.map((n) => n.passArc ?? 0) },
              { name: 'arc__failed', type: FieldType.number, values: nodes.map((n) => 1 - (n.passArc ?? 0)) },
            ]
          : []),
      ],
    }),
    createDataFrame({
      name: 'edges',
      refId: 'A',
      meta: { preferredVisualisationType: 'nodeGraph' },
      fields: [
        { name: 'id', type: FieldType.string, values: edges.map(([s, t]) => `${s}-${t}`) },
        { name: 'source', type: FieldType.string, values: edges.map((e) => e[0]) },
        { name: 'target', type: FieldType.string, values: edges.map((e) => e[1]) },
      ],
    }),
  ];
}

/** One row of the lineage dashboard's Infinity query: a Marquez lineage node with its edges. */
export interface MarquezRow {
  id: string;
  type: 'DATASET' | 'JOB' | string;
  namespace: string;
  name: string;
  inEdges: string[];
  outEdges: string[];
  description?: string;
}

/** The Marquez lineage frame; edges as JSON text, as Infinity's backend hands them over. */
export function marquezFrame(refId: string, rows: MarquezRow[]): DataFrame {
  const column = (name: string, values: unknown[]) => ({ name, type: FieldType.string, values });
  return createDataFrame({
    refId,
    name: refId,
    fields: [
      column('description', rows.map((r) => r.description ?? null)),
      column('id', rows.map((r) => r.id)),
      column('inEdges', rows.map((r) => JSON.stringify(r.inEdges))),
      column('name', rows.map((r) => r.name)),
      column('namespace', rows.map((r) => r.namespace)),
      column('outEdges', rows.map((r) => JSON.stringify(r.outEdges))),
      column('type', rows.map((r) => r.type)),
    ],
  });
}

/** A small Marquez graph: `job` reads `ns:a` and writes `ns:b`; `load` writes `ns:a` from nothing. */
export function marquezRows(): MarquezRow[] {
  return [
    { id: 'dataset:ns:a', type: 'DATASET', namespace: 'ns', name: 'a', inEdges: ['job:jobs:load'], outEdges: ['job:jobs:job'] },
    { id: 'dataset:ns:b', type: 'DATASET', namespace: 'ns', name: 'b', inEdges: ['job:jobs:job'], outEdges: [] },
    { id: 'job:jobs:job', type: 'JOB', namespace: 'jobs', name: 'job', inEdges: ['dataset:ns:a'], outEdges: ['dataset:ns:b'] },
    { id: 'job:jobs:load', type: 'JOB', namespace: 'jobs', name: 'load', inEdges: [], outEdges: ['dataset:ns:a'] },
  ];
}
