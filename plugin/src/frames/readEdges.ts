import { DataFrame, Field } from '@grafana/data';
import { describeFields, describeFrame } from './describeFrame';
import { hasEdgeFields, hasEdgeLabels } from './detectFrameKind';
import { FrameContractError } from './FrameContractError';
import { frameSamples } from './samples';

export interface EdgeInput {
  source: string;
  target: string;
  pipeline?: string;
}

export interface EdgesRead {
  edges: EdgeInput[];
  /** Rows without a source or target; reported, not fatal. */
  skipped: number;
}

/**
 * Reads lineage edges from either an edges frame (fields `source`, `target`, optional `pipeline`;
 * Node Graph edges frames match this too) or Prometheus `datatrust_lineage_edge_info` series whose
 * labels carry `source_dataset`, `target_dataset` and `pipeline`.
 */
export function readEdges(frame: DataFrame, index: number): EdgesRead {
  if (hasEdgeFields(frame)) {
    return readEdgeFields(frame);
  }
  if (hasEdgeLabels(frame)) {
    return readEdgeLabels(frame);
  }
  throw new FrameContractError(
    `${describeFrame(frame, index)} is used for lineage edges, so it needs fields \`source\` and \`target\` ` +
      `(or series labels \`source_dataset\` and \`target_dataset\`); found: ${describeFields(frame)}`
  );
}

function readEdgeFields(frame: DataFrame): EdgesRead {
  const source = fieldNamed(frame, 'source');
  const target = fieldNamed(frame, 'target');
  const pipeline = fieldNamed(frame, 'pipeline');
  const edges: EdgeInput[] = [];
  let skipped = 0;
  for (let row = 0; row < frame.length; row++) {
    const s = text(source?.values[row]);
    const t = text(target?.values[row]);
    if (!s || !t) {
      skipped++;
      continue;
    }
    const p = text(pipeline?.values[row]);
    edges.push(p ? { source: s, target: t, pipeline: p } : { source: s, target: t });
  }
  return { edges, skipped };
}

function readEdgeLabels(frame: DataFrame): EdgesRead {
  const edges: EdgeInput[] = [];
  let skipped = 0;
  for (const sample of frameSamples(frame)) {
    // An info metric is 1 while the edge exists; 0 means the series says the edge is gone.
    if (sample.value === 0) {
      continue;
    }
    const s = text(sample.labels.source_dataset);
    const t = text(sample.labels.target_dataset);
    if (!s || !t) {
      skipped++;
      continue;
    }
    const p = text(sample.labels.pipeline);
    edges.push(p ? { source: s, target: t, pipeline: p } : { source: s, target: t });
  }
  return { edges, skipped };
}

export function fieldNamed(frame: DataFrame, name: string): Field | undefined {
  const wanted = name.toLowerCase();
  return frame.fields.find((f) => f.name.toLowerCase() === wanted);
}

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) {
    return undefined;
  }
  const s = String(v).trim();
  return s === '' ? undefined : s;
}
