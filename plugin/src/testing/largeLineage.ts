import { DataFrame } from '@grafana/data';
import { edgesFrame, promTable } from './frameBuilders';

export interface LargeLineageSpec {
  datasets: number;
  edges: number;
  layers: number;
  openBreakers: number;
  seed: number;
}

export const LARGE_SPEC: LargeLineageSpec = { datasets: 2000, edges: 3000, layers: 10, openBreakers: 6, seed: 7 };

/**
 * A deterministic warehouse-like lineage: datasets in layers (raw → staging → … → marts), each edge
 * from one of the previous two layers, a few open breakers near the sources, ~8 % warn and ~10 %
 * without checks; every dataset reports freshness. Edges come as one table frame, state as Prometheus table frames.
 */
export function largeLineageFrames(spec: LargeLineageSpec, now: number): DataFrame[] {
  let state = spec.seed >>> 0;
  const random = () => {
    // mulberry32: small, fast, reproducible
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const perLayer = Math.ceil(spec.datasets / spec.layers);
  const name = (i: number) => `l${Math.floor(i / perLayer)}_dataset_${String(i).padStart(4, '0')}`;
  const layerOf = (i: number) => Math.floor(i / perLayer);

  const edges: Array<[string, string, string]> = [];
  const seen = new Set<string>();
  // every dataset beyond the first layer gets one input, then random extra edges up to the target
  const addEdge = (target: number) => {
    const layer = layerOf(target);
    const fromLayer = Math.max(0, layer - (random() < 0.25 && layer > 1 ? 2 : 1));
    const source = Math.min(spec.datasets - 1, fromLayer * perLayer + Math.floor(random() * perLayer));
    const key = `${source}:${target}`;
    if (source === target || layerOf(source) >= layer || seen.has(key)) {
      return false;
    }
    seen.add(key);
    edges.push([name(source), name(target), `job_${layer}_${Math.floor(random() * 40)}`]);
    return true;
  };
  for (let i = perLayer; i < spec.datasets && edges.length < spec.edges; i++) {
    for (let attempt = 0; attempt < 50 && !addEdge(i); attempt++) {
      // retry until this dataset has an input
    }
  }
  for (let attempt = 0; edges.length < spec.edges && attempt < spec.edges * 50; attempt++) {
    addEdge(perLayer + Math.floor(random() * (spec.datasets - perLayer)));
  }

  const breaker: Array<{ labels: { dataset: string }; value: number }> = [];
  // the exporter reports freshness for every scanned dataset, checked or not
  const freshness = Array.from({ length: spec.datasets }, (_, i) => ({
    labels: { dataset: name(i) },
    value: Math.round(300 + random() * 7200),
  }));
  const ratio: Array<{ labels: { dataset: string; window: string }; value: number }> = [];
  const open = new Set<number>();
  while (open.size < spec.openBreakers) {
    open.add(perLayer + Math.floor(random() * perLayer * 2));
  }
  for (let i = 0; i < spec.datasets; i++) {
    const r = random();
    if (r < 0.1 && !open.has(i)) {
      continue; // no checks: coverage gap
    }
    breaker.push({ labels: { dataset: name(i) }, value: open.has(i) ? 1 : 0 });
    const passRatio = open.has(i) ? 0.6 : r < 0.18 ? 0.97 : 1;
    ratio.push({ labels: { dataset: name(i), window: '1d' }, value: passRatio });
  }
  return [
    edgesFrame('A', edges),
    promTable('B', 'datatrust_breaker_open', breaker, now),
    promTable('C', 'datatrust_check_pass_ratio', ratio, now),
    promTable('D', 'datatrust_dataset_freshness_seconds', freshness, now),
  ];
}
