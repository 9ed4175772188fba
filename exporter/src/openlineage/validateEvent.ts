import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type EventKind, eventKind, SCHEMA_BASE } from './types';

/** One broken rule: where (a JSON pointer into the event) and which rule. */
export interface Violation {
  path: string;
  rule: string;
  message: string;
}

export interface EventValidation {
  kind?: EventKind;
  /** Violations of the core OpenLineage schema: the event is rejected. */
  errors: Violation[];
  /** Known facets that break their own facet schema: kept as sent (Marquez keeps them too), reported. */
  facetWarnings: Violation[];
}

/** Where a facet sits in an event decides which facet family its key belongs to. */
type FacetSlot = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';

// src/openlineage and dist/openlineage are both two levels below the package root.
const SPEC_DIR = join(__dirname, '..', '..', 'spec', 'openlineage');

const CORE_DEFS: Record<EventKind, string> = { run: 'RunEvent', dataset: 'DatasetEvent', job: 'JobEvent' };

/**
 * RFC 3339 date-time, with the offset optional: Marquez accepts `2020-12-28T19:51:01.641499`
 * (read as UTC) and so do we. Any number of fraction digits (producers send nanoseconds).
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;

interface Validators {
  core: Record<EventKind, ValidateFunction>;
  facets: Map<string, ValidateFunction>;
}

let compiled: Validators | undefined;

/**
 * Compiles the official schemas once per process (about 50 ms, seconds on a loaded machine):
 * call at start-up so the first producer does not wait for it.
 */
export function compileValidators(): void {
  validators();
}

function validators(): Validators {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('date-time', DATE_TIME);
  const core = JSON.parse(readFileSync(join(SPEC_DIR, 'OpenLineage.json'), 'utf8')) as { $id: string };
  ajv.addSchema(core);
  const facets = new Map<string, ValidateFunction>();
  for (const file of readdirSync(join(SPEC_DIR, 'facets')).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(SPEC_DIR, 'facets', file), 'utf8')) as {
      $id: string;
      properties?: Record<string, { $ref?: string }>;
      $defs: Record<string, { allOf?: { $ref?: string }[] }>;
    };
    ajv.addSchema(schema);
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const defName = prop.$ref?.split('/').pop();
      const slot = defName ? schema.$defs[defName]?.allOf?.[0]?.$ref?.split('/').pop() : undefined;
      if (defName && slot) facets.set(`${slot}\u0000${key}`, ajv.getSchema(`${schema.$id}#/$defs/${defName}`)!);
    }
  }
  const coreOf = (kind: EventKind) => ajv.getSchema(`${core.$id}#/$defs/${CORE_DEFS[kind]}`)!;
  compiled = { core: { run: coreOf('run'), dataset: coreOf('dataset'), job: coreOf('job') }, facets };
  return compiled;
}

function violations(errors: ErrorObject[] | null | undefined, prefix = ''): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const e of errors ?? []) {
    // allOf/anyOf wrappers repeat what the inner error already says.
    if (e.keyword === 'anyOf' || e.keyword === 'allOf' || e.keyword === 'if') continue;
    const path = `${prefix}${e.instancePath}` || '/';
    const rule = e.keyword === 'format' ? `format: ${String(e.params.format)}` : e.keyword === 'required' ? `required: ${String(e.params.missingProperty)}` : e.keyword;
    const key = `${path}\u0000${rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, rule, message: `${path} ${e.message ?? 'is invalid'}` });
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Facet containers of an event and the slot each one's facets belong to. */
function facetContainers(event: Record<string, unknown>): { pointer: string; slot: FacetSlot; facets: unknown }[] {
  const out: { pointer: string; slot: FacetSlot; facets: unknown }[] = [];
  if (isRecord(event.run)) out.push({ pointer: '/run/facets', slot: 'RunFacet', facets: event.run.facets });
  if (isRecord(event.job)) out.push({ pointer: '/job/facets', slot: 'JobFacet', facets: event.job.facets });
  if (isRecord(event.dataset)) out.push({ pointer: '/dataset/facets', slot: 'DatasetFacet', facets: event.dataset.facets });
  for (const side of ['inputs', 'outputs'] as const) {
    const list = event[side];
    if (!Array.isArray(list)) continue;
    list.forEach((d: unknown, i) => {
      if (!isRecord(d)) return;
      out.push({ pointer: `/${side}/${i}/facets`, slot: 'DatasetFacet', facets: d.facets });
      if (side === 'inputs') out.push({ pointer: `/inputs/${i}/inputFacets`, slot: 'InputDatasetFacet', facets: d.inputFacets });
      else out.push({ pointer: `/outputs/${i}/outputFacets`, slot: 'OutputDatasetFacet', facets: d.outputFacets });
    });
  }
  return out;
}

/**
 * Validates one event against the official OpenLineage 2-0-2 schemas. The core schema decides
 * acceptance; facets the spec defines are checked against their own schemas and reported as
 * warnings (or errors with `strictFacets`, which is how tests hold our own events to the spec).
 * Unknown facets and extra fields are never a violation. Two Marquez leniencies, documented: an
 * absent `schemaURL` and an `eventTime` without an offset are accepted.
 */
export function validateEvent(raw: unknown, opts: { strictFacets?: boolean } = {}): EventValidation {
  if (!isRecord(raw)) return { errors: [{ path: '/', rule: 'type', message: '/ must be a JSON object (one OpenLineage event)' }], facetWarnings: [] };
  const kind = eventKind(raw);
  if (!kind) {
    return { errors: [{ path: '/', rule: 'oneOf', message: '/ must be a RunEvent (with `run` and `job`), a DatasetEvent (with `dataset`) or a JobEvent (with `job`)' }], facetWarnings: [] };
  }
  const v = validators();
  const subject = raw.schemaURL === undefined ? { ...raw, schemaURL: `${SCHEMA_BASE}#/$defs/${CORE_DEFS[kind]}` } : raw;
  const errors = v.core[kind](subject) ? [] : violations(v.core[kind].errors);
  const facetWarnings: Violation[] = [];
  for (const c of facetContainers(raw)) {
    if (!isRecord(c.facets)) continue;
    for (const [key, facet] of Object.entries(c.facets)) {
      const check = v.facets.get(`${c.slot}\u0000${key}`);
      if (check && !check(facet)) facetWarnings.push(...violations(check.errors, `${c.pointer}/${key}`));
    }
  }
  return opts.strictFacets ? { kind, errors: [...errors, ...facetWarnings], facetWarnings: [] } : { kind, errors, facetWarnings };
}
