import { LineageGraph } from './lineageGraph';

function graph(): LineageGraph {
  const g = new LineageGraph();
  g.setJob('ingest', { inputs: ['extract'], outputs: ['raw', 'users'] });
  g.setJob('clean', { inputs: ['raw', 'users'], outputs: ['cleaned'] });
  g.setJob('aggregate', { inputs: ['cleaned'], outputs: ['sales'] });
  g.setJob('report', { inputs: ['sales'], outputs: ['report'] });
  g.setJob('accounts', { inputs: ['users'], outputs: ['accounts'] });
  return g;
}

describe('LineageGraph', () => {
  test('walks downstream nearest first, each dataset once', () => {
    expect(graph().downstream('raw')).toEqual(['cleaned', 'sales', 'report']);
  });

  test('walks upstream to the roots', () => {
    expect(graph().upstream('sales')).toEqual(['cleaned', 'raw', 'users', 'extract']);
  });

  test('a walk gives the shortest path and the jobs along it', () => {
    expect(graph().walk('extract', 'downstream').find((r) => r.key === 'report')).toEqual({ key: 'report', path: ['extract', 'raw', 'cleaned', 'sales', 'report'], via: ['ingest', 'clean', 'aggregate', 'report'] });
  });

  test('a job that stops reading a dataset drops the edge', () => {
    const g = graph();
    const before = g.epoch;
    g.setJob('clean', { inputs: ['raw'], outputs: ['cleaned'] });
    expect(g.epoch).toBeGreaterThan(before);
    expect(g.downstream('users')).toEqual(['accounts']);
    expect([...g.readersOf('users')]).toEqual(['accounts']);
  });

  test('cycles never loop, and a dataset is not its own downstream', () => {
    const g = graph();
    g.setJob('loop', { inputs: ['report'], outputs: ['raw'] });
    g.setJob('self', { inputs: ['sales'], outputs: ['sales'] });
    expect(g.downstream('raw').sort()).toEqual(['cleaned', 'report', 'sales']);
  });

  test('jobs downstream of a dataset, nearest first', () => {
    expect(graph().downstreamJobs('users')).toEqual(['clean', 'accounts', 'aggregate', 'report']);
  });

  describe('neighbourhood (Marquez lineage)', () => {
    test('both directions walk like Marquez: siblings come along', () => {
      const n = graph().neighbourhood({ type: 'dataset', key: 'cleaned' }, 20, 'both');
      expect([...n.jobs].sort()).toEqual(['accounts', 'aggregate', 'clean', 'ingest', 'report']);
    });

    test('downstream leaves out siblings and upstream', () => {
      const n = graph().neighbourhood({ type: 'dataset', key: 'users' }, 20, 'downstream');
      expect([...n.jobs].sort()).toEqual(['accounts', 'aggregate', 'clean', 'report']);
      expect([...n.datasets].sort()).toEqual(['accounts', 'cleaned', 'report', 'sales', 'users']);
    });

    test('upstream from a dataset stops at the sources', () => {
      const n = graph().neighbourhood({ type: 'dataset', key: 'sales' }, 20, 'upstream');
      expect([...n.jobs].sort()).toEqual(['aggregate', 'clean', 'ingest']);
      expect([...n.datasets].sort()).toEqual(['cleaned', 'extract', 'raw', 'sales', 'users']);
    });

    test('depth counts job hops', () => {
      expect([...graph().neighbourhood({ type: 'job', key: 'report' }, 0, 'both').jobs]).toEqual(['report']);
      expect([...graph().neighbourhood({ type: 'job', key: 'report' }, 1, 'upstream').jobs].sort()).toEqual(['aggregate', 'report']);
      expect([...graph().neighbourhood({ type: 'job', key: 'report' }, 2, 'upstream').jobs].sort()).toEqual(['aggregate', 'clean', 'report']);
    });

    test('an unknown job has no neighbourhood', () => {
      expect(graph().neighbourhood({ type: 'job', key: 'nope' }, 5, 'both').datasets.size).toBe(0);
    });
  });
});
