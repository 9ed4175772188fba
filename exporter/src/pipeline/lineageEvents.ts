import { type Facets, type DatasetIdentity, type JobEvent, type JobIdentity, JOB_EVENT_SCHEMA_URL, type OlOutputDataset, PRODUCER, RUN_EVENT_SCHEMA_URL, type RunEvent, type RunEventType } from '../openlineage/types';
import { facetSchemaUrl, type FacetSlot } from './facetSchemas';
import { LineageOptionsError } from './refs';

/** What a run wrote to one output (the `outputStatistics` facet). */
export interface OutputStatistics {
  rowCount?: number | bigint;
  /** Bytes written. */
  size?: number | bigint;
  fileCount?: number | bigint;
}

export interface OutputWithStatistics extends DatasetIdentity {
  statistics?: OutputStatistics;
}

/**
 * Completes facets the caller supplies: `_producer` defaults to this project, `_schemaURL` to the
 * spec's schema for facets the spec defines. A custom facet without `_schemaURL` is refused here,
 * before anything runs, because every receiver would reject the event carrying it (BaseFacet
 * requires both fields).
 */
export function completeFacets(slot: FacetSlot, facets: Facets | undefined, what: string): Facets {
  const out: Facets = {};
  for (const [key, facet] of Object.entries(facets ?? {})) {
    if (typeof facet !== 'object' || facet === null || Array.isArray(facet)) throw new LineageOptionsError(`${what}.${key} must be an object (an OpenLineage facet)`);
    const schemaURL = facet._schemaURL ?? facetSchemaUrl(slot, key);
    if (typeof schemaURL !== 'string') {
      throw new LineageOptionsError(`${what}.${key} is not a facet the OpenLineage spec defines for this place, so it needs \`_schemaURL\` (the URL of its JSON schema)`);
    }
    out[key] = { _producer: PRODUCER, ...facet, _schemaURL: schemaURL };
  }
  return out;
}

/** The `errorMessage` run facet of a FAIL event: message, language, stack trace. */
export function errorMessageFacet(error: unknown, programmingLanguage = 'JavaScript'): Facets {
  const message = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : undefined;
  return completeFacets('RunFacet', { errorMessage: { message, programmingLanguage, ...(stack ? { stackTrace: stack } : {}) } }, 'runFacets');
}

/** Whole, non-negative counts as JSON numbers (DuckDB and pg give bigints); anything else is left out. */
export function statisticsFacet(stats: OutputStatistics): Facets | undefined {
  const body: Record<string, number> = {};
  for (const key of ['rowCount', 'size', 'fileCount'] as const) {
    const v = stats[key];
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) body[key] = n;
  }
  return Object.keys(body).length ? completeFacets('OutputDatasetFacet', { outputStatistics: body }, 'outputFacets') : undefined;
}

export interface RunEventParts {
  eventType: RunEventType;
  eventTime: string;
  runId: string;
  job: JobIdentity;
  inputs: DatasetIdentity[];
  outputs: OutputWithStatistics[];
  jobFacets?: Facets;
  runFacets?: Facets;
}

function outputDataset(o: OutputWithStatistics): OlOutputDataset {
  const stats = o.statistics ? statisticsFacet(o.statistics) : undefined;
  return { namespace: o.namespace, name: o.name, ...(stats ? { outputFacets: stats } : {}) };
}

const nonEmpty = (f: Facets | undefined): Facets | undefined => (f && Object.keys(f).length ? f : undefined);

/** One OpenLineage 2-0-2 RunEvent. Facets must already be complete (completeFacets). */
export function runEvent(p: RunEventParts): RunEvent {
  const jobFacets = nonEmpty(p.jobFacets);
  const runFacets = nonEmpty(p.runFacets);
  return {
    eventType: p.eventType,
    eventTime: p.eventTime,
    producer: PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: p.runId, ...(runFacets ? { facets: runFacets } : {}) },
    job: { namespace: p.job.namespace, name: p.job.name, ...(jobFacets ? { facets: jobFacets } : {}) },
    inputs: p.inputs.map((d) => ({ namespace: d.namespace, name: d.name })),
    outputs: p.outputs.map(outputDataset),
  };
}

/** A JobEvent: a job's static lineage (what it reads and writes), known before it ever runs. */
export function jobEvent(p: { eventTime: string; job: JobIdentity; inputs: DatasetIdentity[]; outputs: DatasetIdentity[]; jobFacets?: Facets }): JobEvent {
  const jobFacets = nonEmpty(p.jobFacets);
  return {
    eventTime: p.eventTime,
    producer: PRODUCER,
    schemaURL: JOB_EVENT_SCHEMA_URL,
    job: { namespace: p.job.namespace, name: p.job.name, ...(jobFacets ? { facets: jobFacets } : {}) },
    inputs: p.inputs.map((d) => ({ namespace: d.namespace, name: d.name })),
    outputs: p.outputs.map((d) => ({ namespace: d.namespace, name: d.name })),
  };
}

/**
 * Event times for one run that never go backwards or repeat, so a receiver ordering by
 * eventTime sees START before COMPLETE even when the run took less than a millisecond.
 */
export function runClock(now: () => number = Date.now): () => string {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return new Date(last).toISOString();
  };
}
