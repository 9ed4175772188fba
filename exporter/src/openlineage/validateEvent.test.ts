import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEvent } from './validateEvent';

const FIXTURES = join(__dirname, '..', 'lineage', 'fixtures');
const read = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const jsonFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));

const minimal = () => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-30T09:00:00.123456789+09:00',
  run: { runId: '0194f1b6-3c55-7d1e-9a7e-1f6b2c4d5e6f' },
  job: { namespace: 'demo', name: 'clean' },
  inputs: [{ namespace: 'duckdb://warehouse', name: 'demo.main.raw_transactions' }],
  outputs: [{ namespace: 'duckdb://warehouse', name: 'demo.main.cleaned_transactions' }],
  producer: 'https://example.com/producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
});

describe('validateEvent', () => {
  test.each([
    ...jsonFiles(join(FIXTURES, 'marquez', 'open_lineage')),
    ...jsonFiles(join(FIXTURES, 'marquez', 'apples')),
    join(FIXTURES, 'marquez', 'marquez-test-event_full.json'),
    ...jsonFiles(join(FIXTURES, 'openlineage')),
  ])('accepts the published example %s', (file) => {
    const v = validateEvent(read(file));
    expect(v.errors).toEqual([]);
    expect(v.kind).toBeDefined();
  });

  test('classifies run, dataset and job events', () => {
    expect(validateEvent(read(join(FIXTURES, 'marquez', 'open_lineage', 'event_simple.json'))).kind).toBe('run');
    expect(validateEvent(read(join(FIXTURES, 'marquez', 'open_lineage', 'event_dataset_event.json'))).kind).toBe('dataset');
    expect(validateEvent(read(join(FIXTURES, 'marquez', 'open_lineage', 'event_job_event.json'))).kind).toBe('job');
  });

  test.each(jsonFiles(join(FIXTURES, 'openlineage', 'facet-tests')))('the spec’s facet test %s passes its facet schema', (file) => {
    const doc = read(file);
    const family = /([A-Za-z]+)__\d+\.json$/.exec(file)![1]!;
    const event = minimal() as Record<string, unknown> & { run: Record<string, unknown>; job: Record<string, unknown>; inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[] };
    if (family.endsWith('RunFacet')) event.run.facets = doc;
    else if (family.endsWith('JobFacet')) event.job.facets = doc;
    else if (family.endsWith('InputDatasetFacet') || family === 'DataQualityAssertionsDatasetFacet') event.inputs[0]!.inputFacets = doc;
    else if (family.endsWith('OutputDatasetFacet')) event.outputs[0]!.outputFacets = doc;
    else event.outputs[0]!.facets = doc;
    expect(validateEvent(event, { strictFacets: true }).errors).toEqual([]);
  });

  test('keeps unknown facets and extra fields', () => {
    const e = { ...minimal(), extra: { anything: [1, 2] }, run: { runId: minimal().run.runId, facets: { myCompany_cost: { _producer: 'https://example.com/p', _schemaURL: 'https://example.com/cost.json', usd: 3 } } } };
    expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
  });

  test('names the JSON path and the rule of every violation', () => {
    const e = { ...minimal(), eventType: 'DONE', run: { runId: 'not-a-uuid' }, job: { namespace: 'demo' } };
    const v = validateEvent(e);
    expect(v.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/eventType', rule: 'enum' }),
        expect.objectContaining({ path: '/run/runId', rule: 'format: uuid' }),
        expect.objectContaining({ path: '/job', rule: 'required: name' }),
      ]),
    );
  });

  test('rejects a run event without producer or eventTime', () => {
    const { producer: _p, eventTime: _t, ...e } = minimal();
    expect(validateEvent(e).errors.map((x) => x.rule).sort()).toEqual(['required: eventTime', 'required: producer']);
  });

  test('accepts Marquez’s leniencies: no schemaURL, no offset on eventTime', () => {
    const { schemaURL: _s, ...e } = { ...minimal(), eventTime: '2026-11-30T09:00:00.123456' };
    expect(validateEvent(e).errors).toEqual([]);
  });

  test('rejects an eventTime that is not a date-time', () => {
    expect(validateEvent({ ...minimal(), eventTime: 'yesterday' }).errors).toEqual([expect.objectContaining({ path: '/eventTime', rule: 'format: date-time' })]);
  });

  test('a known facet that breaks its schema is a warning on ingestion and an error when strict', () => {
    const e = minimal() as ReturnType<typeof minimal> & { inputs: Record<string, unknown>[] };
    e.inputs[0]!.inputFacets = { dataQualityAssertions: { _producer: 'https://example.com/p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json', assertions: [{ assertion: 'not_null' }] } };
    const lenient = validateEvent(e);
    expect(lenient.errors).toEqual([]);
    expect(lenient.facetWarnings).toEqual([expect.objectContaining({ path: '/inputs/0/inputFacets/dataQualityAssertions/assertions/0', rule: 'required: success' })]);
    expect(validateEvent(e, { strictFacets: true }).errors).toHaveLength(1);
  });

  test.each([null, [], 'event', 42])('rejects %j as not an object', (raw) => {
    expect(validateEvent(raw).errors[0]!.rule).toBe('type');
  });

  test('rejects an object that is none of the three event forms', () => {
    expect(validateEvent({ eventTime: '2026-11-30T00:00:00Z', producer: 'x' }).errors[0]!.rule).toBe('oneOf');
  });
});
