import { createHash } from 'node:crypto';
import type { EventTime } from '../openlineage/eventTime';
import type { DatasetEvent, Facets, JobEvent, LineageEvent, OlDataset, OlInputDataset, OlOutputDataset, RunEvent, RunEventType } from '../openlineage/types';
import {
  type ColumnLineageField,
  type CurrentVersion,
  type DatasetRecord,
  type DatasetVersionRecord,
  type FacetSet,
  type JobRecord,
  type JobType,
  type JobVersionRecord,
  nodeKey,
  type RunRecord,
  type RunState,
  type SchemaField,
  TERMINAL,
} from './model';

/** The records an event may read and change; the store supplies them and keeps what changed. */
export interface LineageWorkspace {
  dataset(key: string): DatasetRecord | undefined;
  job(key: string): JobRecord | undefined;
  run(runId: string): RunRecord | undefined;
  putDataset(d: DatasetRecord): void;
  putJob(j: JobRecord): void;
  putRun(r: RunRecord): void;
  putDatasetVersion(v: DatasetVersionRecord): void;
  /** A version offered by a finished run or a job event at `key`: the log auditors read job history from. */
  putJobVersion(v: JobVersionRecord, use: { key: string; runId?: string }): void;
  touchNamespace(name: string, at: number): void;
}

export interface AppliedEvent {
  result: 'accepted' | 'duplicate';
  /** Jobs whose current version (and so whose graph edges) changed. */
  graphChanged: string[];
  /** Datasets a COMPLETE run event reports written, for lineage-triggered scans. */
  completedOutputs: string[];
}

const STATE_OF: Partial<Record<RunEventType, RunState>> = { START: 'RUNNING', RUNNING: 'RUNNING', COMPLETE: 'COMPLETED', FAIL: 'FAILED', ABORT: 'ABORTED' };
/** At equal event times a terminal state wins over a running one. */
const STATE_RANK: Record<RunState, number> = { NEW: 0, RUNNING: 1, COMPLETED: 2, FAILED: 2, ABORTED: 2 };
const RECENT = 32;

const emptyFacets = (): FacetSet => ({ facets: {}, keys: {} });

/** UUID-shaped id from a SHA-1 of `parts` (deterministic, like Marquez's version UUIDs). */
export function hashId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Merges facets into `set`, each one only when `key` is not older than the one it replaces. */
function mergeFacets(set: FacetSet, facets: Facets | undefined, key: string): FacetSet {
  if (!facets || Object.keys(facets).length === 0) return set;
  const out: FacetSet = { facets: { ...set.facets }, keys: { ...set.keys } };
  for (const [name, value] of Object.entries(facets)) {
    if (typeof value !== 'object' || value === null) continue;
    if (value._deleted === true) {
      if ((out.keys[name] ?? '') <= key) {
        delete out.facets[name];
        out.keys[name] = key;
      }
      continue;
    }
    if ((out.keys[name] ?? '') > key) continue;
    out.facets[name] = value;
    out.keys[name] = key;
  }
  return out;
}

function schemaFields(facets: Facets | undefined): SchemaField[] | undefined {
  const fields = facets?.schema?.fields;
  if (!Array.isArray(fields)) return undefined;
  return fields.flatMap((f: unknown) => {
    if (typeof f !== 'object' || f === null) return [];
    const o = f as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [{ name: o.name, type: typeof o.type === 'string' ? o.type : 'UNKNOWN', ...(typeof o.description === 'string' ? { description: o.description } : {}) }];
  });
}

function columnLineage(facets: Facets | undefined): Record<string, ColumnLineageField> | undefined {
  const fields = facets?.columnLineage?.fields;
  if (typeof fields !== 'object' || fields === null) return undefined;
  const out: Record<string, ColumnLineageField> = {};
  for (const [field, v] of Object.entries(fields as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>;
    const inputFields = Array.isArray(o.inputFields)
      ? o.inputFields.flatMap((i: unknown) => {
          const x = i as Record<string, unknown> | null;
          return x && typeof x.namespace === 'string' && typeof x.name === 'string' && typeof x.field === 'string'
            ? [{ namespace: x.namespace, name: x.name, field: x.field, ...(Array.isArray(x.transformations) ? { transformations: x.transformations as unknown[] } : {}) }]
            : [];
        })
      : [];
    out[field] = {
      inputFields,
      ...(typeof o.transformationDescription === 'string' ? { transformationDescription: o.transformationDescription } : {}),
      ...(typeof o.transformationType === 'string' ? { transformationType: o.transformationType } : {}),
    };
  }
  return out;
}

function recent(list: string[] | undefined, key: string): string[] {
  return [...(list ?? []), key].slice(-RECENT);
}

/** Upserts a dataset an event mentions; `schemaAuthority` says whether its schema facet may replace the known fields. */
function touchDataset(ws: LineageWorkspace, d: OlDataset, t: EventTime, schemaAuthority: boolean): DatasetRecord {
  const key = nodeKey(d.namespace, d.name);
  ws.touchNamespace(d.namespace, t.ms);
  const prev = ws.dataset(key);
  const next: DatasetRecord = prev
    ? { ...prev, createdAt: Math.min(prev.createdAt, t.ms), updatedAt: Math.max(prev.updatedAt, t.ms) }
    : { key, namespace: d.namespace, name: d.name, createdAt: t.ms, updatedAt: t.ms, fields: [], facets: emptyFacets(), inputFacets: emptyFacets() };
  next.facets = mergeFacets(next.facets, d.facets, t.key);
  const fields = schemaFields(d.facets);
  // An input's schema only fills a gap: a reader's view of a table is not authoritative.
  if (fields && (schemaAuthority ? (next.fieldsKey ?? '') <= t.key : next.fields.length === 0)) {
    next.fields = fields;
    next.fieldsKey = t.key;
  }
  const doc = d.facets?.documentation?.description;
  if (typeof doc === 'string') next.description = doc;
  const lifecycle = d.facets?.lifecycleStateChange?.lifecycleStateChange;
  if (typeof lifecycle === 'string' && schemaAuthority) next.lifecycleState = lifecycle;
  const lineage = schemaAuthority ? columnLineage(d.facets) : undefined;
  if (lineage && (next.columnLineageKey ?? '') <= t.key) {
    next.columnLineage = lineage;
    next.columnLineageKey = t.key;
  }
  ws.putDataset(next);
  return next;
}

function versionOfDataset(ws: LineageWorkspace, ds: DatasetRecord, d: OlDataset, t: EventTime, runId: string | undefined, eventKey: string): void {
  const id = hashId('dataset-version', ds.key, runId ?? eventKey);
  const fields = schemaFields(d.facets);
  ws.putDatasetVersion({
    id,
    datasetKey: ds.key,
    key: t.key,
    createdAt: t.ms,
    facets: d.facets ?? {},
    ...(runId ? { runId } : {}),
    ...(fields ? { fields } : {}),
    ...(ds.lifecycleState ? { lifecycleState: ds.lifecycleState } : {}),
  });
  if ((ds.currentVersionKey ?? '') <= t.key) ws.putDataset({ ...ds, currentVersion: id, currentVersionKey: t.key });
}

function jobType(facets: Facets | undefined, prev: JobType): JobType {
  const processing = facets?.jobType?.processingType;
  if (processing === 'STREAMING') return 'STREAM';
  if (processing === 'BATCH') return 'BATCH';
  return prev;
}

function touchJob(ws: LineageWorkspace, job: RunEvent['job'], t: EventTime): JobRecord {
  const key = nodeKey(job.namespace, job.name);
  ws.touchNamespace(job.namespace, t.ms);
  const prev = ws.job(key);
  const next: JobRecord = prev
    ? { ...prev, createdAt: Math.min(prev.createdAt, t.ms), updatedAt: Math.max(prev.updatedAt, t.ms) }
    : { key, namespace: job.namespace, name: job.name, createdAt: t.ms, updatedAt: t.ms, type: 'BATCH', facets: emptyFacets() };
  next.facets = mergeFacets(next.facets, job.facets, t.key);
  next.type = jobType(job.facets, next.type);
  const location = job.facets?.sourceCodeLocation?.url;
  if (typeof location === 'string' && next.facets.keys.sourceCodeLocation === t.key) next.location = location;
  const doc = job.facets?.documentation?.description;
  if (typeof doc === 'string' && next.facets.keys.documentation === t.key) next.description = doc;
  ws.putJob(next);
  return next;
}

/** A job version is its inputs, outputs and code: the same three give the same id (as in Marquez). */
function jobVersion(job: JobRecord, inputs: string[], outputs: string[], at: number): JobVersionRecord {
  const code = job.facets.facets.sourceCode?.sourceCode;
  const codeHash = typeof code === 'string' ? createHash('sha1').update(code).digest('hex') : undefined;
  const ins = [...new Set(inputs)].sort();
  const outs = [...new Set(outputs)].sort();
  return {
    id: hashId('job-version', job.key, ins.join('\n'), outs.join('\n'), job.location ?? '', codeHash ?? ''),
    jobKey: job.key,
    inputs: ins,
    outputs: outs,
    createdAt: at,
    ...(job.location ? { location: job.location } : {}),
    ...(codeHash ? { codeHash } : {}),
  };
}

/** Makes `v` the job's current version when `key` is not older than the one in force. */
function offerVersion(ws: LineageWorkspace, job: JobRecord, v: JobVersionRecord, key: string, runId: string | undefined): boolean {
  ws.putJobVersion(v, { key, ...(runId ? { runId } : {}) });
  const cur = job.current;
  if (cur && cur.key > key && cur.runId !== runId) return false;
  const next: CurrentVersion = { id: v.id, inputs: v.inputs, outputs: v.outputs, key: cur && cur.key > key ? cur.key : key, ...(runId ? { runId } : {}) };
  const changed = !cur || cur.id !== next.id;
  ws.putJob({ ...job, current: next });
  return changed;
}

function applyRunEvent(ws: LineageWorkspace, e: RunEvent, t: EventTime, eventKey: string): AppliedEvent {
  const type: RunEventType = e.eventType ?? 'OTHER';
  const seenKey = `${type}@${t.key}`;
  const prev = ws.run(e.run.runId);
  if (prev?.seen.includes(seenKey)) return { result: 'duplicate', graphChanged: [], completedOutputs: [] };
  let job = touchJob(ws, e.job, t);
  const inputs = (e.inputs ?? []).map((d: OlInputDataset) => {
    const ds = touchDataset(ws, d, t, false);
    if (d.inputFacets && Object.keys(d.inputFacets).length) ws.putDataset({ ...ds, inputFacets: mergeFacets(ds.inputFacets, d.inputFacets, t.key) });
    return ds.key;
  });
  const outputs = (e.outputs ?? []).map((d: OlOutputDataset) => touchDataset(ws, d, t, true).key);

  const run: RunRecord = prev
    ? { ...prev, seen: [...prev.seen, seenKey], createdAt: Math.min(prev.createdAt, t.ms), updatedAt: Math.max(prev.updatedAt, t.ms) }
    : { runId: e.run.runId, jobKey: job.key, createdAt: t.ms, updatedAt: t.ms, state: 'NEW', inputs: [], outputs: [], facets: emptyFacets(), outputStatistics: {}, seen: [seenKey] };
  run.inputs = [...new Set([...run.inputs, ...inputs])];
  run.outputs = [...new Set([...run.outputs, ...outputs])];
  run.facets = mergeFacets(run.facets, e.run.facets, t.key);
  const state = STATE_OF[type];
  if (state && ((run.stateKey ?? '') < t.key || (run.stateKey === t.key && STATE_RANK[state] >= STATE_RANK[run.state]))) {
    run.state = state;
    run.stateKey = t.key;
  }
  if (type === 'START' && (!run.startKey || t.key < run.startKey)) run.startKey = t.key;
  if (state && TERMINAL.has(state) && (!run.endKey || t.key > run.endKey)) run.endKey = t.key;
  const nominal = e.run.facets?.nominalTime;
  if (typeof nominal?.nominalStartTime === 'string') run.nominalStartTime = nominal.nominalStartTime;
  if (typeof nominal?.nominalEndTime === 'string') run.nominalEndTime = nominal.nominalEndTime;
  const error = e.run.facets?.errorMessage?.message;
  if (typeof error === 'string') run.errorMessage = error;
  for (const d of e.outputs ?? []) {
    const stats = d.outputFacets?.outputStatistics;
    if (stats) {
      run.outputStatistics = {
        ...run.outputStatistics,
        [nodeKey(d.namespace, d.name)]: {
          ...(typeof stats.rowCount === 'number' ? { rowCount: stats.rowCount } : {}),
          ...(typeof stats.size === 'number' ? { size: stats.size } : {}),
        },
      };
    }
  }
  const parent = e.run.facets?.parent?.job as { namespace?: unknown; name?: unknown } | undefined;
  if (parent && typeof parent.name === 'string') job = { ...ws.job(job.key)!, parentJobName: parent.name };
  if (!job.latestRunKey || t.key >= job.latestRunKey) job = { ...ws.job(job.key)!, ...(job.parentJobName ? { parentJobName: job.parentJobName } : {}), latestRunId: run.runId, latestRunKey: t.key };
  ws.putJob(job);

  for (const d of e.outputs ?? []) {
    const ds = ws.dataset(nodeKey(d.namespace, d.name))!;
    versionOfDataset(ws, ds, d, t, run.runId, eventKey);
    if (type === 'COMPLETE') ws.putDataset({ ...ws.dataset(ds.key)!, lastModifiedAt: Math.max(ws.dataset(ds.key)!.lastModifiedAt ?? 0, t.ms) });
  }

  // A finished run decides the job's current version (Marquez: isDone → upsertJobVersionOnRunTransition).
  const graphChanged: string[] = [];
  if (TERMINAL.has(run.state) && run.endKey) {
    const v = jobVersion(ws.job(job.key)!, run.inputs, run.outputs, t.ms);
    run.jobVersionId = v.id;
    if (offerVersion(ws, ws.job(job.key)!, v, run.endKey, run.runId)) graphChanged.push(job.key);
  }
  ws.putRun(run);
  return { result: 'accepted', graphChanged, completedOutputs: type === 'COMPLETE' ? outputs : [] };
}

function applyJobEvent(ws: LineageWorkspace, e: JobEvent, t: EventTime, eventKey: string): AppliedEvent {
  const key = nodeKey(e.job.namespace, e.job.name);
  if (ws.job(key)?.recentEvents?.includes(eventKey)) return { result: 'duplicate', graphChanged: [], completedOutputs: [] };
  const job = touchJob(ws, e.job, t);
  ws.putJob({ ...ws.job(key)!, recentEvents: recent(job.recentEvents, eventKey) });
  const inputs = (e.inputs ?? []).map((d) => touchDataset(ws, d, t, false).key);
  const outputs = (e.outputs ?? []).map((d) => touchDataset(ws, d, t, true).key);
  const graphChanged: string[] = [];
  // A job event declares the job's inputs and outputs without a run (Marquez: upsertRunlessJobVersion).
  if (e.inputs !== undefined || e.outputs !== undefined) {
    if (offerVersion(ws, ws.job(key)!, jobVersion(ws.job(key)!, inputs, outputs, t.ms), t.key, undefined)) graphChanged.push(key);
  }
  return { result: 'accepted', graphChanged, completedOutputs: [] };
}

function applyDatasetEvent(ws: LineageWorkspace, e: DatasetEvent, t: EventTime, eventKey: string): AppliedEvent {
  const key = nodeKey(e.dataset.namespace, e.dataset.name);
  if (ws.dataset(key)?.recentEvents?.includes(eventKey)) return { result: 'duplicate', graphChanged: [], completedOutputs: [] };
  const ds = touchDataset(ws, e.dataset, t, true);
  ws.putDataset({ ...ws.dataset(key)!, recentEvents: recent(ds.recentEvents, eventKey) });
  versionOfDataset(ws, ws.dataset(key)!, e.dataset, t, undefined, eventKey);
  return { result: 'accepted', graphChanged: [], completedOutputs: [] };
}

/** The idempotency key of an event: (runId, eventType, eventTime) for runs, as the issue asks; subject + time otherwise. */
export function eventKeyOf(e: LineageEvent, kind: 'run' | 'job' | 'dataset', t: EventTime): string {
  if (kind === 'run') return `run:${(e as RunEvent).run.runId}:${(e as RunEvent).eventType ?? 'OTHER'}:${t.key}`;
  if (kind === 'job') return `job:${nodeKey((e as JobEvent).job.namespace, (e as JobEvent).job.name)}:${t.key}`;
  return `dataset:${nodeKey((e as DatasetEvent).dataset.namespace, (e as DatasetEvent).dataset.name)}:${t.key}`;
}

/**
 * Applies one validated event to the records. The result does not depend on arrival order:
 * states, facets, schemas and current versions follow event times, and inputs and outputs of a
 * run are the union over its events; a repeated event changes nothing and says `duplicate`.
 */
export function applyEvent(ws: LineageWorkspace, e: LineageEvent, kind: 'run' | 'job' | 'dataset', t: EventTime): AppliedEvent {
  const eventKey = eventKeyOf(e, kind, t);
  if (kind === 'run') return applyRunEvent(ws, e as RunEvent, t, eventKey);
  if (kind === 'job') return applyJobEvent(ws, e as JobEvent, t, eventKey);
  return applyDatasetEvent(ws, e as DatasetEvent, t, eventKey);
}
