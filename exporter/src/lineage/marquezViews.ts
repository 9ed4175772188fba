import type { Facets } from '../openlineage/types';
import type { NamespaceRecord } from './lineageModel';
import type { Direction, LineageGraph } from './lineageGraph';
import { type DatasetRecord, type DatasetVersionRecord, type JobRecord, type RunRecord, splitKey } from './model';

/**
 * Response shapes of Marquez's API (spec/marquez/openapi.yml), built from the lineage records.
 * Times are ISO-8601 strings, as Marquez's live API sends them; absent values are left out
 * rather than sent as null.
 */
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** A time key (`…123456789Z`) back to an ISO string with milliseconds. */
const isoKey = (key: string | undefined) => (key ? new Date(Date.parse(key)).toISOString() : undefined);

const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const datasetNodeId = (key: string) => {
  const { namespace, name } = splitKey(key);
  return `dataset:${namespace}:${name}`;
};
export const jobNodeId = (key: string) => {
  const { namespace, name } = splitKey(key);
  return `job:${namespace}:${name}`;
};

export interface DatasetView {
  id: { namespace: string; name: string };
  type: 'DB_TABLE';
  name: string;
  physicalName: string;
  createdAt: string;
  updatedAt: string;
  namespace: string;
  sourceName: string;
  fields: { name: string; type: string; tags: string[]; description?: string }[];
  tags: string[];
  lastModifiedAt?: string;
  lastLifecycleState?: string;
  description?: string;
  currentVersion?: string;
  facets?: Facets;
  deleted?: boolean;
}

/** Marquez's DatasetData; `withFacets` adds the dataset and input facets as `GET …/datasets/{name}` does. */
export function datasetView(d: DatasetRecord, withFacets: boolean): DatasetView {
  return defined({
    id: { namespace: d.namespace, name: d.name },
    type: 'DB_TABLE' as const,
    name: d.name,
    physicalName: d.name,
    createdAt: iso(d.createdAt)!,
    updatedAt: iso(d.updatedAt)!,
    namespace: d.namespace,
    sourceName: d.namespace,
    fields: d.fields.map((f) => defined({ name: f.name, type: f.type, tags: [], description: f.description })),
    tags: [],
    lastModifiedAt: iso(d.lastModifiedAt),
    lastLifecycleState: d.lifecycleState,
    description: d.description,
    currentVersion: d.currentVersion,
    // Marquez classifies data quality facets as input facets and returns them with the dataset.
    ...(withFacets ? { facets: { ...d.facets.facets, ...d.inputFacets.facets }, deleted: false } : {}),
  });
}

export interface RunView {
  id: string;
  createdAt: string;
  updatedAt: string;
  nominalStartTime?: string;
  nominalEndTime?: string;
  state: RunRecord['state'];
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  args: Record<string, string>;
  jobVersion?: { namespace: string; name: string; version: string };
  inputDatasetVersions: { datasetVersionId: { namespace: string; name: string; version: string }; facets: Record<string, string> }[];
  outputDatasetVersions: { datasetVersionId: { namespace: string; name: string; version: string }; facets: Record<string, string> }[];
  facets: Facets;
}

export function runView(r: RunRecord, datasetVersion: (datasetKey: string) => string | undefined): RunView {
  const started = r.startKey ? Date.parse(r.startKey) : undefined;
  const ended = r.endKey ? Date.parse(r.endKey) : undefined;
  const job = splitKey(r.jobKey);
  const versions = (keys: string[]) =>
    keys.flatMap((k) => {
      const version = datasetVersion(k);
      return version ? [{ datasetVersionId: { ...splitKey(k), version }, facets: {} }] : [];
    });
  return defined({
    id: r.runId,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    nominalStartTime: r.nominalStartTime,
    nominalEndTime: r.nominalEndTime,
    state: r.state,
    startedAt: isoKey(r.startKey),
    endedAt: isoKey(r.endKey),
    durationMs: started !== undefined && ended !== undefined ? Math.max(0, ended - started) : undefined,
    args: {},
    jobVersion: r.jobVersionId ? { namespace: job.namespace, name: job.name, version: r.jobVersionId } : undefined,
    inputDatasetVersions: versions(r.inputs),
    outputDatasetVersions: versions(r.outputs),
    facets: r.facets.facets,
  });
}

export interface JobView {
  id: { namespace: string; name: string };
  type: JobRecord['type'];
  name: string;
  simpleName: string;
  parentJobName?: string;
  createdAt: string;
  updatedAt: string;
  namespace: string;
  inputs: { namespace: string; name: string }[];
  outputs: { namespace: string; name: string }[];
  location?: string;
  description?: string;
  latestRun?: RunView;
  facets: Facets;
  currentVersion?: string;
}

export function jobView(j: JobRecord, latestRun: RunView | undefined): JobView {
  return defined({
    id: { namespace: j.namespace, name: j.name },
    type: j.type,
    name: j.name,
    simpleName: j.name.split('.').pop() ?? j.name,
    parentJobName: j.parentJobName,
    createdAt: iso(j.createdAt)!,
    updatedAt: iso(j.updatedAt)!,
    namespace: j.namespace,
    inputs: (j.current?.inputs ?? []).map(splitKey),
    outputs: (j.current?.outputs ?? []).map(splitKey),
    location: j.location,
    description: j.description,
    latestRun,
    facets: j.facets.facets,
    currentVersion: j.current?.id,
  });
}

/** A job of the graph that no event reported (an `upstream:` declaration of datatrust.yml). */
export function declaredJobView(key: string, inputs: readonly string[], outputs: readonly string[]): JobView {
  const { namespace, name } = splitKey(key);
  const at = new Date(0).toISOString();
  return { id: { namespace, name }, type: 'BATCH', name, simpleName: name, createdAt: at, updatedAt: at, namespace, inputs: inputs.map(splitKey), outputs: outputs.map(splitKey), description: 'declared with `upstream:` in datatrust.yml', facets: {} };
}

export function namespaceView(n: NamespaceRecord) {
  return { name: n.name, createdAt: iso(n.createdAt)!, updatedAt: iso(n.updatedAt)!, ownerName: 'anonymous', description: '', isHidden: false };
}

export function datasetVersionView(v: DatasetVersionRecord) {
  const { namespace, name } = splitKey(v.datasetKey);
  return defined({
    id: { namespace, name, version: v.id },
    type: 'DB_TABLE',
    name,
    physicalName: name,
    createdAt: iso(v.createdAt)!,
    version: v.id,
    namespace,
    sourceName: namespace,
    fields: (v.fields ?? []).map((f) => defined({ name: f.name, type: f.type, tags: [], description: f.description })),
    // No `tags`: Marquez's document types them as a string here (an array everywhere else).
    lifecycleState: v.lifecycleState,
    description: '',
    createdByRun: v.runId ? { id: v.runId } : undefined,
    facets: v.facets,
  });
}

export interface GraphNode {
  id: string;
  type: 'DATASET' | 'JOB';
  data: DatasetView | JobView;
  inEdges: { origin: string; destination: string }[];
  outEdges: { origin: string; destination: string }[];
}

/**
 * `GET /api/v1/lineage`: the nodes within `depth` of `start`, sorted by id, every edge on both
 * of its ends and only between nodes of the answer (as Marquez's LineageService builds it).
 */
export function lineageView(
  graph: LineageGraph,
  start: { type: 'dataset' | 'job'; key: string },
  depth: number,
  direction: Direction,
  view: { dataset: (key: string) => DatasetView; job: (key: string) => JobView },
): { graph: GraphNode[] } {
  const { datasets, jobs } = graph.neighbourhood(start, depth, direction);
  const nodes: GraphNode[] = [];
  for (const j of jobs) {
    const edges = graph.edgesOf(j)!;
    const id = jobNodeId(j);
    nodes.push({
      id,
      type: 'JOB',
      data: view.job(j),
      inEdges: edges.inputs.filter((d) => datasets.has(d)).map((d) => ({ origin: datasetNodeId(d), destination: id })),
      outEdges: edges.outputs.filter((d) => datasets.has(d)).map((d) => ({ origin: id, destination: datasetNodeId(d) })),
    });
  }
  for (const d of datasets) {
    const id = datasetNodeId(d);
    nodes.push({
      id,
      type: 'DATASET',
      data: view.dataset(d),
      inEdges: [...graph.writersOf(d)].filter((j) => jobs.has(j)).map((j) => ({ origin: jobNodeId(j), destination: id })),
      outEdges: [...graph.readersOf(d)].filter((j) => jobs.has(j)).map((j) => ({ origin: id, destination: jobNodeId(j) })),
    });
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { graph: nodes };
}
