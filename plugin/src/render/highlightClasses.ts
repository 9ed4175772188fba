import { Highlight } from '../graph/highlight';
import { DrawModel, DrawNode } from './drawModel';

export type HighlightClass = 'selected' | 'root-cause' | 'cause' | 'blast' | 'upstream' | 'dimmed';

/**
 * The one highlight class each drawn element gets for a selection; an element on several roles
 * shows the most specific (selected > root cause > cause path > impact > upstream).
 */
export function highlightClasses(model: DrawModel, highlight: Highlight): Map<string, HighlightClass> {
  const classes = new Map<string, HighlightClass>();
  const forEdges = (edgeIds: string[]): HighlightClass => {
    if (edgeIds.some((e) => highlight.cause.edges.has(e))) {
      return 'cause';
    }
    if (edgeIds.some((e) => highlight.blast.edges.has(e))) {
      return 'blast';
    }
    if (edgeIds.some((e) => highlight.upstream.edges.has(e))) {
      return 'upstream';
    }
    return 'dimmed';
  };
  for (const node of model.nodes) {
    if (node.kind === 'pipeline') {
      classes.set(node.id, node.edgeIds.length > 0 ? forEdges(node.edgeIds) : forEndpointJob(node, highlight));
      continue;
    }
    const id = node.id;
    const cls: HighlightClass =
      id === highlight.selected
        ? 'selected'
        : highlight.rootCauses.has(id)
          ? 'root-cause'
          : highlight.cause.nodes.has(id)
            ? 'cause'
            : highlight.blast.nodes.has(id)
              ? 'blast'
              : highlight.upstream.nodes.has(id)
                ? 'upstream'
                : 'dimmed';
    classes.set(id, cls);
  }
  for (const edge of model.edges) {
    classes.set(edge.id, forEdges(edge.edgeIds));
  }
  return classes;
}

/**
 * A job that stands for no dataset edge (an ingest with no inputs, a report with no outputs) takes
 * the role of the datasets it touches: it feeds the selection's lineage, or it is in its impact.
 */
function forEndpointJob(node: DrawNode, highlight: Highlight): HighlightClass {
  const feeds = (id: string) => id === highlight.selected || highlight.upstream.nodes.has(id) || highlight.cause.nodes.has(id);
  if ((node.outputs ?? []).some((id) => highlight.rootCauses.has(id) || highlight.cause.nodes.has(id))) {
    return 'cause';
  }
  if ((node.inputs ?? []).some((id) => id === highlight.selected || highlight.blast.nodes.has(id))) {
    return 'blast';
  }
  return (node.outputs ?? []).some(feeds) ? 'upstream' : 'dimmed';
}
