import { framesToGraph } from '../frames/framesToGraph';
import { highlightFor } from '../graph/highlight';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';
import { marquezFrame, marquezRows, promInstantSeries } from '../testing/frameBuilders';
import { graphOf } from '../testing/graphOf';
import { highlightClasses } from './highlightClasses';
import { PIPELINE_PREFIX } from '../graph/model';
import { toDrawModel } from './drawModel';

const g = () =>
  graphOf(
    [
      ['raw', 'clean', 'clean_job'],
      ['clean', 'agg', 'agg_job'],
      ['fx', 'agg', 'agg_job'],
    ],
    ['clean']
  );
const all = (graph: ReturnType<typeof g>) => new Set(graph.nodes.keys());

describe('toDrawModel', () => {
  it('labels edges with their pipelines and marks edges out of a failed dataset as blocked', () => {
    const graph = g();
    const model = toDrawModel(graph, all(graph), 'labels');
    expect(model.edges.map((e) => [e.id, e.label, e.blocked])).toEqual([
      ['raw->clean', 'clean_job', false],
      ['clean->agg', 'agg_job', true],
      ['fx->agg', 'agg_job', false],
    ]);
    expect(model.nodes.find((n) => n.id === 'agg')).toMatchObject({ kind: 'dataset', state: 'blocked' });
  });

  it('draws pipelines as shared nodes between their inputs and outputs', () => {
    const graph = g();
    const model = toDrawModel(graph, all(graph), 'nodes');
    const pipeline = model.nodes.find((n) => n.id === `${PIPELINE_PREFIX}agg_job`);
    expect(pipeline).toMatchObject({ kind: 'pipeline', label: 'agg_job', edgeIds: ['clean->agg', 'fx->agg'] });
    expect(model.edges.map((e) => e.id).sort()).toEqual(
      ['clean=>pipeline:agg_job', 'fx=>pipeline:agg_job', 'pipeline:agg_job=>agg', 'pipeline:clean_job=>clean', 'raw=>pipeline:clean_job'].sort()
    );
    // the shared edge to agg is blocked because one of its inputs is
    expect(model.edges.find((e) => e.id === 'pipeline:agg_job=>agg')?.blocked).toBe(true);
  });

  it('hides pipelines and edges to datasets that are not visible', () => {
    const graph = g();
    const model = toDrawModel(graph, new Set(['raw', 'clean']), 'hidden');
    expect(model.nodes.map((n) => n.id)).toEqual(['raw', 'clean']);
    expect(model.edges).toEqual([{ id: 'raw->clean', source: 'raw', target: 'clean', label: '', edgeIds: ['raw->clean'], blocked: false }]);
  });

  it('sizes dataset boxes from their labels within bounds', () => {
    const graph = graphOf([['a', 'a_very_long_dataset_name_that_goes_on_and_on_and_on_forever']]);
    const [short, long] = toDrawModel(graph, all(graph), 'labels').nodes;
    expect(short?.width).toBe(96);
    expect(long?.width).toBe(240);
  });

  describe('with Marquez jobs', () => {
    // load (no inputs) → a → job → b, and a's breaker is open
    const marquez = () =>
      framesToGraph([marquezFrame('L', marquezRows()), promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'ns/a' }, 1, 0)], {
        roles: {},
        thresholds: DEFAULT_THRESHOLDS,
        labelField: 'title',
      }).graph;

    it('labels edges with jobs, and draws a job without inputs as a node since it has no edge to label', () => {
      const graph = marquez();
      const model = toDrawModel(graph, all(graph), 'labels');
      expect(model.nodes.map((n) => [n.id, n.kind, n.state ?? '', n.nodeId ?? ''])).toEqual([
        ['ns/a', 'dataset', 'failed', 'dataset:ns:a'],
        ['ns/b', 'dataset', 'blocked', 'dataset:ns:b'],
        ['job:jobs:load', 'pipeline', '', 'job:jobs:load'],
      ]);
      expect(model.edges.map((e) => [e.id, e.label, e.blocked])).toEqual([
        ['ns/a->ns/b', 'job', true],
        ['job:jobs:load=>ns/a', '', false],
      ]);
    });

    it('draws every job as a node between its datasets, blocked when an input is', () => {
      const graph = marquez();
      const model = toDrawModel(graph, all(graph), 'nodes');
      expect(model.nodes.filter((n) => n.kind === 'pipeline').map((n) => [n.id, n.state ?? '', n.edgeIds])).toEqual([
        ['job:jobs:job', 'blocked', ['ns/a->ns/b']],
        ['job:jobs:load', '', []],
      ]);
      expect(model.edges.map((e) => e.id).sort()).toEqual(['job:jobs:job=>ns/b', 'job:jobs:load=>ns/a', 'ns/a=>job:jobs:job']);
      expect(toDrawModel(graph, all(graph), 'hidden').nodes.some((n) => n.kind === 'pipeline')).toBe(false);
    });

    it('highlights a job that stands for no edge by the datasets it writes', () => {
      const graph = marquez();
      const model = toDrawModel(graph, all(graph), 'nodes');
      // b is blocked by a: the job that loads a is on the path to the root cause
      expect(highlightClasses(model, highlightFor(graph, 'ns/b')).get('job:jobs:load')).toBe('cause');
      const healthy = framesToGraph([marquezFrame('L', marquezRows())], { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' }).graph;
      const healthyModel = toDrawModel(healthy, all(healthy), 'nodes');
      expect(highlightClasses(healthyModel, highlightFor(healthy, 'ns/b')).get('job:jobs:load')).toBe('upstream');
    });
  });
});
