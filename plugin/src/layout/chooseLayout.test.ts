import { chooseLayout, DAGRE_MAX_NODES } from './chooseLayout';

describe('chooseLayout', () => {
  it('uses dagre for small graphs and the layered layout beyond its limit', () => {
    expect(chooseLayout('auto', 'LR', 4).engine).toBe('dagre');
    expect(chooseLayout('auto', 'LR', DAGRE_MAX_NODES + 1).engine).toBe('layered');
  });

  it('honours an explicit engine', () => {
    expect(chooseLayout('layered', 'TB', 4)).toEqual({ engine: 'layered', direction: 'TB' });
  });
});
