import { Direction } from './layeredLayout';

export type LayoutEngine = 'auto' | 'dagre' | 'layered';

/**
 * dagre draws the tidiest small graphs (network-simplex ranking, Brandes–Köpf placement) but its
 * run time grows steeply: ~0.4 s at 200 nodes and over ten minutes at 2,000 nodes / 3,000 edges
 * (measured in Node 20). Above this many drawn nodes `auto` switches to the layered layout.
 */
export const DAGRE_MAX_NODES = 150;

export interface LayoutChoice {
  engine: 'dagre' | 'layered';
  direction: Direction;
}

export function chooseLayout(engine: LayoutEngine, direction: Direction, nodeCount: number): LayoutChoice {
  if (engine === 'dagre' || engine === 'layered') {
    return { engine, direction };
  }
  return { engine: nodeCount <= DAGRE_MAX_NODES ? 'dagre' : 'layered', direction };
}
