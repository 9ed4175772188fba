import { graphOf } from '../testing/graphOf';
import { highlightFor } from './highlight';
import { blastRadius, rootCausePath, upstreamOf } from './traversal';

// raw → clean → agg → dash, fx → agg, clean → audit
const demo = () =>
  graphOf(
    [
      ['raw', 'clean'],
      ['clean', 'agg'],
      ['agg', 'dash'],
      ['fx', 'agg'],
      ['clean', 'audit'],
    ],
    ['clean']
  );

const sorted = (s: Set<string>) => [...s].sort();

describe('blast radius and upstream traversal', () => {
  it('finds everything downstream of a dataset (its blast radius)', () => {
    const reach = blastRadius(demo(), 'clean');
    expect(sorted(reach.nodes)).toEqual(['agg', 'audit', 'dash']);
    expect(sorted(reach.edges)).toEqual(['agg->dash', 'clean->agg', 'clean->audit']);
  });

  it('finds everything a dataset is derived from', () => {
    expect(sorted(upstreamOf(demo(), 'dash').nodes)).toEqual(['agg', 'clean', 'fx', 'raw']);
  });

  it('terminates on cycles', () => {
    const g = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ]);
    expect(sorted(blastRadius(g, 'a').nodes)).toEqual(['a', 'b', 'c']);
    expect(sorted(upstreamOf(g, 'a').nodes)).toEqual(['a', 'b', 'c']);
  });
});

describe('root-cause path', () => {
  it('walks from the open breaker down to a blocked dataset, leaving unrelated inputs out', () => {
    const path = rootCausePath(demo(), 'dash');
    expect(sorted(path.rootCauses)).toEqual(['clean']);
    expect(sorted(path.nodes)).toEqual(['agg', 'clean', 'dash']);
    expect(sorted(path.edges)).toEqual(['agg->dash', 'clean->agg']);
  });

  it('is the dataset itself for an own failure, and empty for a healthy dataset', () => {
    expect(sorted(rootCausePath(demo(), 'clean').nodes)).toEqual(['clean']);
    expect(rootCausePath(demo(), 'raw').nodes.size).toBe(0);
    expect(rootCausePath(demo(), 'missing').nodes.size).toBe(0);
  });

  it('follows every path when a dataset is blocked through two branches', () => {
    const g = graphOf(
      [
        ['src', 'left'],
        ['src', 'right'],
        ['left', 'sink'],
        ['right', 'sink'],
      ],
      ['src']
    );
    expect(sorted(rootCausePath(g, 'sink').edges)).toEqual(['left->sink', 'right->sink', 'src->left', 'src->right']);
  });
});

describe('highlightFor', () => {
  it('combines impact, upstream lineage and the root-cause path for a click', () => {
    const h = highlightFor(demo(), 'agg');
    expect(h.selected).toBe('agg');
    expect(sorted(h.blast.nodes)).toEqual(['dash']);
    expect(sorted(h.upstream.nodes)).toEqual(['clean', 'fx', 'raw']);
    expect(sorted(h.cause.nodes)).toEqual(['agg', 'clean']);
    expect(sorted(h.rootCauses)).toEqual(['clean']);
  });
});
