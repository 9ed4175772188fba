/**
 * OpenLineage 2-0-2 events as this project reads and writes them (spec/openlineage/OpenLineage.json).
 * Facets stay open records: unknown facets and extra fields are kept, never dropped.
 */
export type Facets = Record<string, Record<string, unknown>>;

export type RunEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

export interface DatasetIdentity {
  namespace: string;
  name: string;
}

export interface JobIdentity {
  namespace: string;
  name: string;
}

export interface OlDataset extends DatasetIdentity {
  facets?: Facets;
  [extra: string]: unknown;
}

export interface OlInputDataset extends OlDataset {
  inputFacets?: Facets;
}

export interface OlOutputDataset extends OlDataset {
  outputFacets?: Facets;
}

interface BaseEvent {
  eventTime: string;
  producer: string;
  /** Required by the spec; Marquez (and we) accept events without it. */
  schemaURL?: string;
  [extra: string]: unknown;
}

export interface RunEvent extends BaseEvent {
  eventType?: RunEventType;
  run: { runId: string; facets?: Facets; [extra: string]: unknown };
  job: JobIdentity & { facets?: Facets; [extra: string]: unknown };
  inputs?: OlInputDataset[];
  outputs?: OlOutputDataset[];
}

export interface DatasetEvent extends BaseEvent {
  dataset: OlDataset;
}

export interface JobEvent extends BaseEvent {
  job: JobIdentity & { facets?: Facets; [extra: string]: unknown };
  inputs?: OlInputDataset[];
  outputs?: OlOutputDataset[];
}

export type LineageEvent = RunEvent | DatasetEvent | JobEvent;

export type EventKind = 'run' | 'dataset' | 'job';

/** Which of the three event forms `e` is, by the fields the spec requires of each. */
export function eventKind(e: object): EventKind | undefined {
  if ('run' in e) return 'run';
  if ('dataset' in e) return 'dataset';
  if ('job' in e) return 'job';
  return undefined;
}

export const SPEC_VERSION = '2-0-2';
export const SCHEMA_BASE = `https://openlineage.io/spec/${SPEC_VERSION}/OpenLineage.json`;
export const RUN_EVENT_SCHEMA_URL = `${SCHEMA_BASE}#/$defs/RunEvent`;
export const DATASET_EVENT_SCHEMA_URL = `${SCHEMA_BASE}#/$defs/DatasetEvent`;
export const JOB_EVENT_SCHEMA_URL = `${SCHEMA_BASE}#/$defs/JobEvent`;
/** `producer` of every event and facet this project emits. */
export const PRODUCER = 'https://github.com/datatrust-light/datatrust-light/tree/main/exporter';
