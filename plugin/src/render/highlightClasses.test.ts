import { highlightFor } from '../graph/highlight';
import { graphOf } from '../testing/graphOf';
import { toDrawModel } from './drawModel';
import { highlightClasses } from './highlightClasses';

describe('highlightClasses', () => {
  const graph = graphOf(
    [
      ['raw', 'clean', 'p1'],
      ['clean', 'agg', 'p2'],
      ['agg', 'dash', 'p3'],
      ['other', 'unrelated', 'p4'],
    ],
    ['clean']
  );

  it('marks the selection, root cause, cause path, impact, upstream and dims the rest', () => {
    const model = toDrawModel(graph, new Set(graph.nodes.keys()), 'labels');
    const classes = highlightClasses(model, highlightFor(graph, 'agg'));
    expect(Object.fromEntries(classes)).toEqual({
      raw: 'upstream',
      clean: 'root-cause',
      agg: 'selected',
      dash: 'blast',
      other: 'dimmed',
      unrelated: 'dimmed',
      'raw->clean': 'upstream',
      'clean->agg': 'cause',
      'agg->dash': 'blast',
      'other->unrelated': 'dimmed',
    });
  });

  it('highlights pipeline nodes with the lineage edges they stand for', () => {
    const model = toDrawModel(graph, new Set(graph.nodes.keys()), 'nodes');
    const classes = highlightClasses(model, highlightFor(graph, 'clean'));
    expect(classes.get('pipeline:p2')).toBe('blast');
    expect(classes.get('pipeline:p1')).toBe('upstream');
    expect(classes.get('pipeline:p4')).toBe('dimmed');
  });
});
