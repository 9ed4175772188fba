import { framesToGraph } from '../frames/framesToGraph';
import { LineageGraph } from '../graph/model';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';
import { edgesFrame, promInstantSeries } from './frameBuilders';

/** A graph from an edge list and the datasets whose breaker is open, for traversal tests. */
export function graphOf(edges: Array<[string, string, string?]>, openBreakers: string[] = []): LineageGraph {
  const frames = [
    edgesFrame('A', edges),
    ...openBreakers.map((dataset) => promInstantSeries('B', 'datatrust_breaker_open', { dataset }, 1, 0)),
  ];
  return framesToGraph(frames, { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' }).graph;
}
