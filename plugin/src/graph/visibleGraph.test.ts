import { framesToGraph } from '../frames/framesToGraph';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';
import { marquezFrame, marquezRows } from '../testing/frameBuilders';
import { graphOf } from '../testing/graphOf';
import { collapseToLimit } from './collapse';
import { focusNeighbourhood } from './focus';
import { visibleGraph } from './visibleGraph';

const line = () =>
  graphOf([
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
    ['d', 'e'],
    ['x', 'c'],
    ['c', 'y'],
  ]);

describe('focus and depth', () => {
  it('keeps the focus dataset and its lineage up to the depth, without siblings', () => {
    expect([...focusNeighbourhood(line(), { kind: 'dataset', id: 'c' }, 1)].sort()).toEqual(['b', 'c', 'd', 'x', 'y']);
    expect([...focusNeighbourhood(line(), { kind: 'dataset', id: 'b' }, 0)].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'y']);
  });

  it('shows only one side of the focus when a direction is chosen', () => {
    expect([...focusNeighbourhood(line(), { kind: 'dataset', id: 'c' }, 0, 'upstream')].sort()).toEqual(['a', 'b', 'c', 'x']);
    expect([...focusNeighbourhood(line(), { kind: 'dataset', id: 'c' }, 0, 'downstream')].sort()).toEqual(['c', 'd', 'e', 'y']);
    expect(visibleGraph(line(), { focus: 'c', depth: 0, maxNodes: 0, direction: 'downstream' }).nodeIds).toEqual(new Set(['c', 'd', 'e', 'y']));
  });

  it('finds the focus by Marquez node id, and centres a job on its inputs and outputs', () => {
    const graph = framesToGraph([marquezFrame('L', marquezRows())], { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' }).graph;
    expect(visibleGraph(graph, { focus: 'dataset:ns:b', depth: 0, maxNodes: 0, direction: 'upstream' })).toEqual({ nodeIds: new Set(['ns/b', 'ns/a']), hidden: 0, focus: 'ns/b' });
    expect(visibleGraph(graph, { focus: 'job:jobs:job', depth: 0, maxNodes: 0, direction: 'downstream' })).toEqual({ nodeIds: new Set(['ns/b']), hidden: 0, focus: 'job:jobs:job' });
    expect(visibleGraph(graph, { focus: 'load', depth: 0, maxNodes: 0 }).focus).toBe('job:jobs:load');
  });

  it('reports a focus dataset that is not in the data and shows everything', () => {
    const view = visibleGraph(line(), { focus: 'nope', depth: 1, maxNodes: 0 });
    expect(view.focusMissing).toBe('nope');
    expect(view.nodeIds.size).toBe(7);
  });
});

describe('collapse beyond the node limit', () => {
  it('keeps problems first and counts the rest as hidden', () => {
    const g = graphOf(
      [
        ['ok1', 'ok2'],
        ['bad', 'blocked'],
        ['ok3', 'ok4'],
      ],
      ['bad']
    );
    const { visible, hidden } = collapseToLimit(g, g.nodes.keys(), 3);
    expect(hidden).toBe(3);
    expect([...visible].sort()).toEqual(['bad', 'blocked', 'ok1'].sort());
  });

  it('always keeps the pinned focus dataset', () => {
    const g = graphOf([['a', 'b']], ['a']);
    const { visible } = collapseToLimit(g, ['a', 'b'], 1, ['b']);
    expect([...visible]).toEqual(['b']);
  });

  it('does nothing with no limit', () => {
    expect(visibleGraph(line(), { focus: '', depth: 0, maxNodes: 0 }).hidden).toBe(0);
  });
});
