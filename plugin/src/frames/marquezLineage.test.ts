import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';
import { marquezFrame, marquezRows, nodeGraphFrames, promInstantSeries } from '../testing/frameBuilders';
import { detectFrameKind } from './detectFrameKind';
import { FrameContractError } from './FrameContractError';
import { framesToGraph, GraphOptions } from './framesToGraph';
import { datasetKeyFor } from './lineageJoin';

const options: GraphOptions = { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' };
const breaker = (dataset: string, open: number) => promInstantSeries('B', 'datatrust_breaker_open', { dataset }, open, 0);

function identity(rows: Array<[dataset: string, namespace: string, name: string]>): DataFrame {
  return createDataFrame({
    refId: 'I',
    fields: [
      { name: 'dataset', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: 'namespace', type: FieldType.string, values: rows.map((r) => r[1]) },
      { name: 'name', type: FieldType.string, values: rows.map((r) => r[2]) },
    ],
  });
}

describe('Marquez lineage frames', () => {
  it('are recognised by id, type and in/out edges, and never confused with Node Graph nodes', () => {
    expect(detectFrameKind(marquezFrame('L', marquezRows()))).toBe('marquez');
    expect(detectFrameKind(nodeGraphFrames([{ id: 'a', title: 'A' }], [])[0]!)).toBe('nodes');
  });

  it('give datasets as nodes, jobs with their own inputs and outputs, and one edge per input × output', () => {
    const { graph, warnings } = framesToGraph([marquezFrame('L', marquezRows())], options);
    expect(warnings).toEqual([]);
    expect([...graph.nodes.keys()]).toEqual(['ns/a', 'ns/b']);
    expect(graph.edges).toEqual([{ id: 'ns/a->ns/b', source: 'ns/a', target: 'ns/b', pipelines: ['job'] }]);
    expect(graph.jobs).toEqual([
      expect.objectContaining({ id: 'job:jobs:job', label: 'job', inputs: ['ns/a'], outputs: ['ns/b'], lineage: { namespace: 'jobs', name: 'job', nodeId: 'job:jobs:job' } }),
      expect.objectContaining({ id: 'job:jobs:load', label: 'load', inputs: [], outputs: ['ns/a'], blocked: false }),
    ]);
  });

  it('leave out DataTrust\'s own scan jobs, which Marquez shows reading every checked dataset', () => {
    const rows = marquezRows();
    rows[1]!.outEdges = ['job:datatrust:datatrust.scan.b'];
    rows.push({ id: 'job:datatrust:datatrust.scan.b', type: 'JOB', namespace: 'datatrust', name: 'datatrust.scan.b', inEdges: ['dataset:ns:b'], outEdges: [] });
    const { graph } = framesToGraph([marquezFrame('L', rows)], options);
    expect(graph.jobs.map((j) => j.label)).toEqual(['job', 'load']);
  });

  it('accept edges as arrays too (other JSON datasources) and skip node types of column lineage', () => {
    const frame = marquezFrame('L', [...marquezRows(), { id: 'datasetField:ns:a:x', type: 'DATASET_FIELD', namespace: 'ns', name: 'a', inEdges: [], outEdges: [] }]);
    const arrays = { ...frame, fields: frame.fields.map((f) => (f.name.endsWith('Edges') ? { ...f, type: FieldType.other, values: f.values.map((v) => JSON.parse(String(v))) } : f)) };
    const { graph } = framesToGraph([arrays], options);
    expect(graph.edges.map((e) => e.id)).toEqual(['ns/a->ns/b']);
    expect(graph.nodes.size).toBe(2);
  });

  it('name the column and row of an edge list that is not a JSON array, and a missing field', () => {
    const frame = marquezFrame('L', marquezRows());
    const broken = { ...frame, fields: frame.fields.map((f) => (f.name === 'outEdges' ? { ...f, values: ['job:jobs:job', '[]', '[]', '[]'] } : f)) };
    expect(() => framesToGraph([broken], options)).toThrow(new FrameContractError('query L, row 1: `outEdges` must be a JSON array of node ids, got "job:jobs:job"'));
    const noNamespace = { ...frame, fields: frame.fields.filter((f) => f.name !== 'namespace') };
    expect(() => framesToGraph([noNamespace], options)).toThrow(/is Marquez lineage, so it needs fields .* missing `namespace`; found: description, id, inEdges, name, outEdges, type/);
  });
});

describe('joining Marquez datasets to the quality metrics', () => {
  const known = new Set(['raw', 'ns/b', 'c']);
  const identities = new Map([['ns\u0000main.raw', 'raw']]);

  it('prefers an identity row, then namespace/name, then name, in auto mode', () => {
    expect(datasetKeyFor('ns', 'main.raw', { join: 'auto', identities, known })).toBe('raw');
    expect(datasetKeyFor('ns', 'b', { join: 'auto', identities, known })).toBe('ns/b');
    expect(datasetKeyFor('ns', 'c', { join: 'auto', identities, known })).toBe('c');
    // no metrics at all: the exporter's name for a lineage-only dataset
    expect(datasetKeyFor('ns', 'd', { join: 'auto', identities, known })).toBe('ns/d');
  });

  it('uses only the chosen key when the option says so (identity rows still win)', () => {
    expect(datasetKeyFor('ns', 'c', { join: 'namespaceName', identities, known })).toBe('ns/c');
    expect(datasetKeyFor('ns', 'b', { join: 'name', identities, known })).toBe('b');
    expect(datasetKeyFor('ns', 'main.raw', { join: 'name', identities, known })).toBe('raw');
  });

  it('colours configured datasets through identity rows and lineage-only ones by namespace/name', () => {
    const frames = [marquezFrame('L', marquezRows()), identity([['configured_a', 'ns', 'a']]), breaker('configured_a', 1)];
    const { graph, warnings } = framesToGraph(frames, options);
    expect(warnings).toEqual([]);
    expect(Object.fromEntries([...graph.nodes.values()].map((n) => [n.id, [n.label, n.state]]))).toEqual({
      configured_a: ['configured_a', 'failed'],
      'ns/b': ['b', 'blocked'],
    });
    expect(graph.jobs.map((j) => [j.label, j.blocked, j.blockingInputs])).toEqual([
      ['job', true, ['configured_a']],
      ['load', false, []],
    ]);
  });
});

describe('blocked from the exporter\'s own verdict', () => {
  it('reads datatrust_breaker_upstream_blocked for datasets whose blocker is outside the fetched lineage', () => {
    const frames = [marquezFrame('L', marquezRows()), promInstantSeries('U', 'datatrust_breaker_upstream_blocked', { dataset: 'ns/a' }, 1, 0)];
    const { graph } = framesToGraph(frames, options);
    expect(graph.nodes.get('ns/a')).toMatchObject({ state: 'blocked', blockingAncestors: [] });
    // blocked datasets block the jobs that read them
    expect(graph.jobs.find((j) => j.label === 'job')?.blocked).toBe(true);
  });

  it('reads datatrust_job_blocked{namespace, pipeline} for jobs', () => {
    const frames = [marquezFrame('L', marquezRows()), promInstantSeries('J', 'datatrust_job_blocked', { namespace: 'jobs', pipeline: 'load' }, 1, 0)];
    const { graph, warnings } = framesToGraph(frames, options);
    expect(warnings).toEqual([]);
    expect(graph.jobs.find((j) => j.label === 'load')).toMatchObject({ blocked: true, blockedByMetric: true, blockingInputs: [] });
    expect(graph.jobs.find((j) => j.label === 'job')?.blocked).toBe(false);
  });
});
