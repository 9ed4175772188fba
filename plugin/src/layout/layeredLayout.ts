/**
 * A fast layered (Sugiyama-style) DAG layout for large lineage graphs. dagre needs minutes for
 * 2,000 datasets / 3,000 edges and ELK several seconds, so big graphs use this instead: longest-path
 * ranking, barycentre ordering sweeps that keep the ordering with the fewest crossings, and
 * coordinate sweeps that pull each node towards its neighbours while keeping layer order and spacing
 * (isotonic regression). Every step is linear or n·log n in graph size per sweep.
 */

export type Direction = 'LR' | 'RL' | 'TB' | 'BT';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayeredOptions {
  direction: Direction;
  /** Gap between neighbours in a layer. */
  nodeSep: number;
  /** Gap between layers. */
  rankSep: number;
  /** Ordering sweeps; more gives fewer crossings on small graphs. */
  iterations?: number;
}

export interface Point {
  x: number;
  y: number;
}

interface Vertex {
  /** size along the flow (x for LR) and across it */
  main: number;
  cross: number;
  rank: number;
  id?: string;
}

export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], options: LayeredOptions): Map<string, Point> {
  const horizontal = options.direction === 'LR' || options.direction === 'RL';
  const index = new Map<string, number>();
  const vertices: Vertex[] = nodes.map((n, i) => {
    index.set(n.id, i);
    return { id: n.id, main: horizontal ? n.width : n.height, cross: horizontal ? n.height : n.width, rank: 0 };
  });
  const n = vertices.length;

  const links = acyclicLinks(n, edges, index);
  assignRanks(n, links, vertices);

  // Long edges get a chain of zero-size dummies so ordering and placement see them.
  const succ: number[][] = [];
  const pred: number[][] = [];
  const ensure = (v: number) => {
    while (succ.length <= v) {
      succ.push([]);
      pred.push([]);
    }
  };
  ensure(n - 1);
  for (const [u, v] of links) {
    let from = u;
    const ru = vertices[u]?.rank ?? 0;
    const rv = vertices[v]?.rank ?? 0;
    for (let r = ru + 1; r < rv; r++) {
      const dummy = vertices.length;
      vertices.push({ main: 0, cross: 0, rank: r });
      ensure(dummy);
      succ[from]?.push(dummy);
      pred[dummy]?.push(from);
      from = dummy;
    }
    succ[from]?.push(v);
    pred[v]?.push(from);
  }

  const layers = initialLayers(vertices, succ, pred);
  const iterations = options.iterations ?? (vertices.length > 1000 ? 6 : 24);
  orderLayers(layers, succ, pred, vertices.length, iterations);
  const cross = placeAcross(layers, vertices, succ, pred, options.nodeSep, vertices.length > 1000 ? 4 : 8);
  const along = placeAlong(layers, vertices, options.rankSep);

  const positions = new Map<string, Point>();
  for (let v = 0; v < n; v++) {
    const vertex = vertices[v];
    if (!vertex?.id) {
      continue;
    }
    const m = along[vertex.rank] ?? 0;
    const c = cross[v] ?? 0;
    switch (options.direction) {
      case 'LR':
        positions.set(vertex.id, { x: m, y: c });
        break;
      case 'RL':
        positions.set(vertex.id, { x: -m, y: c });
        break;
      case 'TB':
        positions.set(vertex.id, { x: c, y: m });
        break;
      case 'BT':
        positions.set(vertex.id, { x: c, y: -m });
        break;
    }
  }
  return positions;
}

/** Deduplicated edges with self-loops dropped and cycle-closing edges reversed (DFS back edges). */
function acyclicLinks(n: number, edges: LayoutEdge[], index: Map<string, number>): Array<[number, number]> {
  const out: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<string>();
  for (const e of edges) {
    const u = index.get(e.source);
    const v = index.get(e.target);
    if (u === undefined || v === undefined || u === v) {
      continue;
    }
    const key = `${u}:${v}`;
    if (!seen.has(key)) {
      seen.add(key);
      out[u]?.push(v);
    }
  }
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const links: Array<[number, number]> = [];
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) {
      continue;
    }
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [u, i] = top;
      const targets = out[u] ?? [];
      if (i >= targets.length) {
        state[u] = 2;
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      const v = targets[i] as number;
      if (state[v] === 1) {
        links.push([v, u]); // back edge: reverse it so layering sees a DAG
      } else {
        links.push([u, v]);
        if (state[v] === 0) {
          state[v] = 1;
          stack.push([v, 0]);
        }
      }
    }
  }
  // a reversed back edge may duplicate an existing forward edge
  const unique = new Map<string, [number, number]>();
  for (const l of links) {
    unique.set(`${l[0]}:${l[1]}`, l);
  }
  return [...unique.values()];
}

/** Longest path from the sources, then sources move next to their first consumer (shorter edges). */
function assignRanks(n: number, links: Array<[number, number]>, vertices: Vertex[]): void {
  const out: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const [u, v] of links) {
    out[u]?.push(v);
    indegree[v] = (indegree[v] ?? 0) + 1;
  }
  const rank = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) {
    if (indegree[v] === 0) {
      queue.push(v);
    }
  }
  const isSource = new Uint8Array(n);
  queue.forEach((v) => (isSource[v] = 1));
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as number;
    for (const v of out[u] ?? []) {
      rank[v] = Math.max(rank[v] ?? 0, (rank[u] ?? 0) + 1);
      indegree[v] = (indegree[v] ?? 0) - 1;
      if (indegree[v] === 0) {
        queue.push(v);
      }
    }
  }
  for (let v = 0; v < n; v++) {
    const targets = out[v] ?? [];
    if (isSource[v] && targets.length > 0) {
      let min = Infinity;
      for (const t of targets) {
        min = Math.min(min, rank[t] ?? 0);
      }
      rank[v] = min - 1;
    }
    const vertex = vertices[v];
    if (vertex) {
      vertex.rank = rank[v] ?? 0;
    }
  }
}

/** Initial order: depth-first from the sources, so connected datasets start close together. */
function initialLayers(vertices: Vertex[], succ: number[][], pred: number[][]): number[][] {
  const maxRank = vertices.reduce((m, v) => Math.max(m, v.rank), 0);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  const placed = new Uint8Array(vertices.length);
  const visit = (start: number) => {
    const stack = [start];
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (placed[v]) {
        continue;
      }
      placed[v] = 1;
      layers[vertices[v]?.rank ?? 0]?.push(v);
      const next = succ[v] ?? [];
      for (let i = next.length - 1; i >= 0; i--) {
        stack.push(next[i] as number);
      }
    }
  };
  const isolated: number[] = [];
  for (let v = 0; v < vertices.length; v++) {
    if ((pred[v]?.length ?? 0) === 0 && (succ[v]?.length ?? 0) === 0) {
      isolated.push(v);
      placed[v] = 1; // placed below, after the connected datasets
    }
  }
  for (let v = 0; v < vertices.length; v++) {
    if ((pred[v]?.length ?? 0) === 0) {
      visit(v);
    }
  }
  for (let v = 0; v < vertices.length; v++) {
    visit(v);
  }
  // Datasets without edges would all pile up in the first layer; deal them out across the layers
  // instead, after the connected ones, so they do not stretch the drawing into a tall column.
  isolated.forEach((v, i) => {
    const vertex = vertices[v] as Vertex;
    vertex.rank = i % layers.length;
    layers[vertex.rank]?.push(v);
  });
  return layers;
}

function orderLayers(layers: number[][], succ: number[][], pred: number[][], size: number, iterations: number): void {
  const pos = new Float64Array(size);
  const refresh = (layer: number[]) => layer.forEach((v, i) => (pos[v] = i));
  layers.forEach(refresh);
  let best = layers.map((l) => l.slice());
  let bestCrossings = totalCrossings(layers, succ, pos);
  for (let it = 0; it < iterations && bestCrossings > 0; it++) {
    const down = it % 2 === 0;
    const sequence = down ? layers.map((_, r) => r).slice(1) : layers.map((_, r) => r).slice(0, -1).reverse();
    for (const r of sequence) {
      const layer = layers[r] as number[];
      const neighbours = down ? pred : succ;
      const key = new Float64Array(layer.length);
      layer.forEach((v, i) => {
        const ns = neighbours[v] ?? [];
        if (ns.length === 0) {
          key[i] = i; // keep unconnected nodes where they are
          return;
        }
        let sum = 0;
        for (const u of ns) {
          sum += pos[u] ?? 0;
        }
        key[i] = sum / ns.length;
      });
      const order = layer.map((v, i) => ({ v, k: key[i] ?? i, i }));
      order.sort((a, b) => a.k - b.k || a.i - b.i);
      layers[r] = order.map((o) => o.v);
      refresh(layers[r] as number[]);
    }
    const crossings = totalCrossings(layers, succ, pos);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers.map((l) => l.slice());
    }
  }
  best.forEach((l, r) => (layers[r] = l));
  layers.forEach(refresh);
}

/** Edge crossings between consecutive layers, counted as inversions with a Fenwick tree. */
export function totalCrossings(layers: number[][], succ: number[][], pos: Float64Array): number {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const upper = layers[r] as number[];
    const lowerSize = (layers[r + 1] as number[]).length;
    const targets: number[] = [];
    for (const u of upper) {
      const ts = (succ[u] ?? []).map((v) => pos[v] ?? 0).sort((a, b) => a - b);
      targets.push(...ts);
    }
    const tree = new Int32Array(lowerSize + 1);
    let seen = 0;
    for (const t of targets) {
      // count previously seen targets strictly to the right of t
      let le = 0;
      for (let i = t + 1; i > 0; i -= i & -i) {
        le += tree[i] ?? 0;
      }
      total += seen - le;
      for (let i = t + 1; i <= lowerSize; i += i & -i) {
        tree[i] = (tree[i] ?? 0) + 1;
      }
      seen++;
    }
  }
  return total;
}

/** Position across the flow: start packed, then pull towards neighbours keeping order and gaps. */
function placeAcross(
  layers: number[][],
  vertices: Vertex[],
  succ: number[][],
  pred: number[][],
  nodeSep: number,
  sweeps: number
): Float64Array {
  const coord = new Float64Array(vertices.length);
  const gapBefore = (layer: number[], i: number) => {
    if (i === 0) {
      return 0;
    }
    const a = vertices[layer[i - 1] as number] as Vertex;
    const b = vertices[layer[i] as number] as Vertex;
    const dummyPair = !a.id && !b.id;
    return (a.cross + b.cross) / 2 + (dummyPair ? nodeSep / 4 : !a.id || !b.id ? nodeSep / 2 : nodeSep);
  };
  for (const layer of layers) {
    let c = 0;
    layer.forEach((v, i) => {
      c += gapBefore(layer, i);
      coord[v] = c;
    });
    const shift = c / 2;
    layer.forEach((v) => (coord[v] = (coord[v] ?? 0) - shift));
  }
  for (let s = 0; s < sweeps; s++) {
    const down = s % 2 === 0;
    const sequence = down ? layers.map((_, r) => r).slice(1) : layers.map((_, r) => r).slice(0, -1).reverse();
    for (const r of sequence) {
      const layer = layers[r] as number[];
      const neighbours = down ? pred : succ;
      const desired = layer.map((v) => {
        const ns = neighbours[v] ?? [];
        if (ns.length === 0) {
          return coord[v] ?? 0;
        }
        let sum = 0;
        for (const u of ns) {
          sum += coord[u] ?? 0;
        }
        return sum / ns.length;
      });
      const gaps = layer.map((_, i) => gapBefore(layer, i));
      const placed = isotonicWithGaps(desired, gaps);
      layer.forEach((v, i) => (coord[v] = placed[i] ?? 0));
    }
  }
  return coord;
}

/**
 * Closest positions (least squares) to `desired` that keep the order with at least `gaps[i]` between
 * item i-1 and i: pool-adjacent-violators on positions shifted by the cumulative gaps.
 */
export function isotonicWithGaps(desired: number[], gaps: number[]): number[] {
  const offsets: number[] = [];
  let acc = 0;
  for (let i = 0; i < desired.length; i++) {
    acc += i === 0 ? 0 : gaps[i] ?? 0;
    offsets.push(acc);
  }
  const blocks: Array<{ sum: number; count: number }> = [];
  for (let i = 0; i < desired.length; i++) {
    blocks.push({ sum: (desired[i] ?? 0) - (offsets[i] ?? 0), count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as { sum: number; count: number };
      const prev = blocks[blocks.length - 2] as { sum: number; count: number };
      if (prev.sum / prev.count <= last.sum / last.count) {
        break;
      }
      prev.sum += last.sum;
      prev.count += last.count;
      blocks.pop();
    }
  }
  const result: number[] = [];
  for (const block of blocks) {
    const value = block.sum / block.count;
    for (let k = 0; k < block.count; k++) {
      result.push(value + (offsets[result.length] ?? 0));
    }
  }
  return result;
}

/** Position along the flow: each layer as wide as its widest dataset. */
function placeAlong(layers: number[][], vertices: Vertex[], rankSep: number): number[] {
  const widths = layers.map((layer) => layer.reduce((m, v) => Math.max(m, vertices[v]?.main ?? 0), 0));
  const along: number[] = [];
  let m = 0;
  widths.forEach((w, r) => {
    if (r > 0) {
      m += (widths[r - 1] ?? 0) / 2 + rankSep + w / 2;
    }
    along.push(m);
  });
  return along;
}
