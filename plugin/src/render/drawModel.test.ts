import { graphOf } from '../testing/graphOf';
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
});
