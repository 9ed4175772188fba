import { declaredEdges, LineageGraph } from './lineageGraph';

describe('lineage graph', () => {
  const g = new LineageGraph([
    { source: 'raw', target: 'cleaned' },
    { source: 'users', target: 'cleaned' },
    { source: 'cleaned', target: 'aggregated' },
    { source: 'aggregated', target: 'dashboard' },
    { source: 'dashboard', target: 'cleaned' }, // a cycle must not loop forever
  ]);

  it('walks downstream nearest first, visiting each dataset once', () => {
    expect(g.downstream('raw')).toEqual(['cleaned', 'aggregated', 'dashboard']);
  });

  it('walks upstream to the roots', () => {
    expect(g.upstream('aggregated')).toEqual(['cleaned', 'raw', 'users', 'dashboard']);
  });

  it('knows nothing about unknown datasets', () => {
    expect(g.downstream('nope')).toEqual([]);
  });

  it('reads edges declared with upstream: in datatrust.yml', () => {
    expect(declaredEdges({ b: { upstream: ['a'] }, a: { upstream: [] } })).toEqual([{ source: 'a', target: 'b' }]);
  });
});
