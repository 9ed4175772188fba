import { Highlight } from '../graph/highlight';
import { DrawModel } from './drawModel';

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
      classes.set(node.id, forEdges(node.edgeIds));
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
