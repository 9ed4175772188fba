import { DataFrame } from '@grafana/data';
import { edgeId, LineageEdge, LineageGraph } from '../graph/model';
import { deriveStates } from '../status/deriveStates';
import { normaliseThresholds, PassRatioThresholds } from '../status/thresholds';
import { describeFields, describeFrame } from './describeFrame';
import { detectFrameKind } from './detectFrameKind';
import { FrameContractError } from './FrameContractError';
import { EdgeInput, readEdges } from './readEdges';
import { readNodeGraphNodes } from './readNodeGraphNodes';
import { readState } from './readState';
import { newSignalsStore } from './signalsStore';
import { isMetricRole, QueryRole } from './roles';

export interface GraphOptions {
  /** refId → role; missing refIds are auto-detected. */
  roles: Record<string, QueryRole>;
  thresholds: PassRatioThresholds;
  /** Attribute (label, Node Graph field) that names a dataset on the canvas; falls back to its id. */
  labelField: string;
}

export interface GraphResult {
  graph: LineageGraph;
  /** Things the author should know that did not stop the panel from drawing. */
  warnings: string[];
}

export const CONTRACT_SUMMARY =
  'an edges frame with fields `source` and `target` (optional `pipeline`), ' +
  '`datatrust_lineage_edge_info` series with labels `source_dataset` and `target_dataset`, ' +
  'or Node Graph `nodes`/`edges` frames';

/**
 * Query results → lineage graph with quality states. Throws FrameContractError, with a message that
 * names the missing field, when the frames cannot give a graph with at least one dataset.
 */
export function framesToGraph(frames: DataFrame[], options: GraphOptions): GraphResult {
  const usable = frames.filter((f) => f.fields.length > 0 && f.length > 0);
  if (usable.length === 0) {
    throw new FrameContractError(`No data: the lineage panel needs ${CONTRACT_SUMMARY}`);
  }

  const warnings: string[] = [];
  const edgeInputs: EdgeInput[] = [];
  const nodeIds: string[] = [];
  const { store, signalsOf } = newSignalsStore();
  const unrecognisedFrames: string[] = [];
  const unrecognisedMetrics = new Set<string>();
  let skippedEdges = 0;

  frames.forEach((frame, index) => {
    if (frame.fields.length === 0 || frame.length === 0) {
      return;
    }
    const configured = (frame.refId && options.roles[frame.refId]) || 'auto';
    if (configured === 'ignore') {
      return;
    }
    const kind = configured === 'auto' ? detectFrameKind(frame) : isMetricRole(configured) ? 'state' : configured;
    switch (kind) {
      case 'edges': {
        const read = readEdges(frame, index);
        edgeInputs.push(...read.edges);
        skippedEdges += read.skipped;
        return;
      }
      case 'nodes':
        nodeIds.push(...readNodeGraphNodes(frame, index, signalsOf));
        return;
      case 'state': {
        const read = readState(frame, index, configured, options.roles, signalsOf);
        read.unrecognised.forEach((name) => unrecognisedMetrics.add(name));
        warnings.push(...read.invalid.map((what) => `Ignored ${what}`));
        return;
      }
      default:
        unrecognisedFrames.push(`${describeFrame(frame, index)}: ${describeFields(frame)}`);
    }
  });

  const edges = dedupeEdges(edgeInputs);
  const ids = new Set<string>([...nodeIds, ...store.keys()]);
  for (const edge of edges) {
    ids.add(edge.source);
    ids.add(edge.target);
  }
  if (ids.size === 0) {
    throw new FrameContractError(
      `No lineage found: the panel needs ${CONTRACT_SUMMARY}; found ${unrecognisedFrames.join('; ') || 'no rows'}`
    );
  }

  if (unrecognisedFrames.length > 0) {
    warnings.push(`Not used (no \`source\`/\`target\`, \`dataset\` or \`id\`): ${unrecognisedFrames.join('; ')}`);
  }
  if (unrecognisedMetrics.size > 0) {
    warnings.push(
      `Not used: ${[...unrecognisedMetrics].join(', ')} — name the metric datatrust_* or give its query a role in the panel options`
    );
  }
  if (skippedEdges > 0) {
    warnings.push(`Skipped ${skippedEdges} edge row(s) without a source or target`);
  }
  if (edges.length === 0) {
    warnings.push(`No lineage edges in the data: showing datasets only. Add ${CONTRACT_SUMMARY}`);
  }

  const datasets = [...ids].map((id) => {
    const signals = signalsOf(id);
    return { id, label: labelFor(id, signals.attributes, options.labelField), signals };
  });
  const nodes = deriveStates(datasets, edges, normaliseThresholds(options.thresholds));
  return { graph: { nodes, edges }, warnings };
}

/** One edge per source→target; pipelines from every duplicate are kept as a sorted set. */
export function dedupeEdges(inputs: EdgeInput[]): LineageEdge[] {
  const byId = new Map<string, LineageEdge>();
  for (const input of inputs) {
    const id = edgeId(input.source, input.target);
    let edge = byId.get(id);
    if (!edge) {
      edge = { id, source: input.source, target: input.target, pipelines: [] };
      byId.set(id, edge);
    }
    if (input.pipeline && !edge.pipelines.includes(input.pipeline)) {
      edge.pipelines.push(input.pipeline);
      edge.pipelines.sort();
    }
  }
  return [...byId.values()];
}

function labelFor(id: string, attributes: Record<string, string>, labelField: string): string {
  const key = labelField.trim();
  if (key === '' || key === 'id' || key === 'dataset') {
    return id;
  }
  return attributes[key] ?? attributes[key.toLowerCase()] ?? id;
}
