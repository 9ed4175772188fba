import { DataFrame, FieldType } from '@grafana/data';
import { isMarquezLineageFrame } from './readMarquezLineage';

export type FrameKind = 'edges' | 'marquez' | 'nodes' | 'state' | 'jobs';

/** Field names and label keys of a frame, lower-cased, for contract checks. */
export function frameKeys(frame: DataFrame): { fields: Set<string>; labels: Set<string> } {
  const fields = new Set<string>();
  const labels = new Set<string>();
  for (const field of frame.fields) {
    fields.add(field.name.toLowerCase());
    if (field.type === FieldType.string) {
      labels.add(field.name.toLowerCase());
    }
    for (const key of Object.keys(field.labels ?? {})) {
      labels.add(key.toLowerCase());
    }
  }
  return { fields, labels };
}

export function hasEdgeFields(frame: DataFrame): boolean {
  const { fields } = frameKeys(frame);
  return fields.has('source') && fields.has('target');
}

export function hasEdgeLabels(frame: DataFrame): boolean {
  const { labels } = frameKeys(frame);
  return labels.has('source_dataset') && labels.has('target_dataset');
}

/**
 * Auto-detection by shape: edges first (Node Graph edges frames also have `id`), then Marquez
 * lineage (`id`, `type`, `inEdges`/`outEdges`), state, job state (a `pipeline` label without
 * dataset), then Node Graph nodes. A frame that half-matches (a `source` without `target`, a frame named `edges`
 * or `nodes`) is still given that kind, so its reader can say exactly which field is missing.
 */
export function detectFrameKind(frame: DataFrame): FrameKind | undefined {
  const { fields, labels } = frameKeys(frame);
  const name = frame.name?.toLowerCase();
  if (hasEdgeFields(frame) || hasEdgeLabels(frame)) {
    return 'edges';
  }
  if (isMarquezLineageFrame(frame)) {
    return 'marquez';
  }
  if (fields.has('dataset') || labels.has('dataset')) {
    return 'state';
  }
  if (labels.has('pipeline') && !fields.has('id') && !fields.has('source') && !fields.has('target') && name !== 'edges') {
    return 'jobs';
  }
  if (fields.has('id') || name === 'nodes') {
    return 'nodes';
  }
  if (fields.has('source') || fields.has('target') || labels.has('source_dataset') || labels.has('target_dataset') || name === 'edges') {
    return 'edges';
  }
  return undefined;
}
