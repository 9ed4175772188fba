import type { Facets } from '../openlineage/types';

/**
 * The lineage store's records, modelled on Marquez's: namespaces, datasets and their versions,
 * jobs and their versions (the inputs and outputs of each), runs. Keys join namespace and name
 * with U+001F, which neither can contain in practice and which no text form shows.
 */
export const KEY_SEP = '\u001f';

export const nodeKey = (namespace: string, name: string): string => `${namespace}${KEY_SEP}${name}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf(KEY_SEP);
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export interface SchemaField {
  name: string;
  type: string;
  description?: string;
}

/** Latest value per facet name, with the event time key that set it (later events win, whatever the arrival order). */
export interface FacetSet {
  facets: Facets;
  keys: Record<string, string>;
}

export interface ColumnLineageField {
  inputFields: { namespace: string; name: string; field: string; transformations?: unknown[] }[];
  transformationDescription?: string;
  transformationType?: string;
}

export interface DatasetRecord {
  key: string;
  namespace: string;
  name: string;
  /** Epoch ms of the earliest and latest event that mentioned it. */
  createdAt: number;
  updatedAt: number;
  /** Fields of the newest schema seen (outputs, dataset events; inputs only until one of those). */
  fields: SchemaField[];
  fieldsKey?: string;
  /** Dataset facets, latest per name. */
  facets: FacetSet;
  /** Input facets (data quality) of the latest run that read it, latest per name. */
  inputFacets: FacetSet;
  currentVersion?: string;
  currentVersionKey?: string;
  /** When a completed run last wrote it (ms). */
  lastModifiedAt?: number;
  lifecycleState?: string;
  description?: string;
  columnLineage?: Record<string, ColumnLineageField>;
  columnLineageKey?: string;
  /** Recent DatasetEvent keys, to answer duplicates. */
  recentEvents?: string[];
}

/** What a job version is: its inputs, outputs and code; the graph's edges are those of the current one. */
export interface JobVersionRecord {
  id: string;
  jobKey: string;
  inputs: string[];
  outputs: string[];
  location?: string;
  codeHash?: string;
  /** Epoch ms first seen. */
  createdAt: number;
}

export interface CurrentVersion {
  id: string;
  inputs: string[];
  outputs: string[];
  /** Event time key of the terminal run event (or job event) that made it current. */
  key: string;
  runId?: string;
}

export type JobType = 'BATCH' | 'STREAM' | 'SERVICE';

export interface JobRecord {
  key: string;
  namespace: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  type: JobType;
  facets: FacetSet;
  location?: string;
  description?: string;
  parentJobName?: string;
  current?: CurrentVersion;
  latestRunId?: string;
  latestRunKey?: string;
  recentEvents?: string[];
}

export type RunState = 'NEW' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'ABORTED';

export const TERMINAL: ReadonlySet<RunState> = new Set(['COMPLETED', 'FAILED', 'ABORTED']);

export interface RunRecord {
  runId: string;
  jobKey: string;
  createdAt: number;
  updatedAt: number;
  state: RunState;
  /** Event time key of the event that set `state`. */
  stateKey?: string;
  startKey?: string;
  endKey?: string;
  nominalStartTime?: string;
  nominalEndTime?: string;
  /** What the run really read and wrote: the union over its events. */
  inputs: string[];
  outputs: string[];
  facets: FacetSet;
  outputStatistics: Record<string, { rowCount?: number; size?: number }>;
  jobVersionId?: string;
  errorMessage?: string;
  /** `eventType@timeKey` of every event applied: the idempotency key. */
  seen: string[];
}

export interface DatasetVersionRecord {
  id: string;
  datasetKey: string;
  /** Event time key: versions sort by it. */
  key: string;
  runId?: string;
  createdAt: number;
  fields?: SchemaField[];
  facets: Facets;
  lifecycleState?: string;
}
