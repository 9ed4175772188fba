import { LineageGraph } from '../lineage/lineageGraph';
import { computeBlocks } from './blockIndex';

/** raw ─clean→ cleaned ─aggregate→ sales ─report→ report; users ─clean→ cleaned; a cycle report ─loop→ raw. */
function demo(): LineageGraph {
  const g = new LineageGraph();
  g.setJob('clean', { inputs: ['raw', 'users'], outputs: ['cleaned'] });
  g.setJob('aggregate', { inputs: ['cleaned'], outputs: ['sales'] });
  g.setJob('report', { inputs: ['sales'], outputs: ['report'] });
  g.setJob('side', { inputs: ['users'], outputs: ['accounts'] });
  return g;
}

describe('computeBlocks', () => {
  test('an open breaker blocks every dataset and job downstream, with the path', () => {
    const b = computeBlocks(demo(), ['raw']);
    expect([...b.datasets.keys()].sort()).toEqual(['cleaned', 'report', 'sales']);
    expect(b.datasets.get('report')).toEqual([{ root: 'raw', path: ['raw', 'cleaned', 'sales', 'report'], via: ['clean', 'aggregate', 'report'] }]);
    expect([...b.jobs.keys()].sort()).toEqual(['aggregate', 'clean', 'report']);
    expect(b.jobs.get('clean')).toEqual([{ root: 'raw', path: ['raw'], via: [] }]);
  });

  test('siblings are not blocked: another reader of the same input is', () => {
    const b = computeBlocks(demo(), ['users']);
    expect(b.datasets.has('accounts')).toBe(true);
    expect(b.datasets.has('raw')).toBe(false);
  });

  test('the root cause comes first, then the nearest open breaker', () => {
    const b = computeBlocks(demo(), ['sales', 'raw']);
    expect(b.datasets.get('report')!.map((x) => x.root)).toEqual(['raw', 'sales']);
    expect(b.datasets.get('sales')!.map((x) => x.root)).toEqual(['raw']);
  });

  test('a cycle never loops', () => {
    const g = demo();
    g.setJob('loop', { inputs: ['report'], outputs: ['raw'] });
    g.setJob('self', { inputs: ['cleaned'], outputs: ['cleaned'] });
    const b = computeBlocks(g, ['raw']);
    expect([...b.datasets.keys()].sort()).toEqual(['cleaned', 'report', 'sales']);
    expect(b.jobs.get('loop')![0]!.path).toEqual(['raw', 'cleaned', 'sales', 'report']);
  });

  test('a dataset vouched for by an override stops the block', () => {
    const b = computeBlocks(demo(), ['raw'], new Set(['cleaned']));
    expect(b.datasets.size).toBe(0);
    expect([...b.jobs.keys()]).toEqual(['clean']);
  });

  test('nothing open, nothing blocked', () => {
    expect(computeBlocks(demo(), []).datasets.size).toBe(0);
  });
});
