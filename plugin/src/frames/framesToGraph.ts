import { DataFrame } from '@grafana/data';
import { edgeId, JobNode, LineageEdge, LineageGraph, LineageIdentity, PIPELINE_PREFIX } from '../graph/model';
import { deriveJobStates } from '../status/deriveJobStates';
import { deriveStates } from '../status/deriveStates';
import { normaliseThresholds, PassRatioThresholds } from '../status/thresholds';
import { describeFields, describeFrame } from './describeFrame';
import { detectFrameKind } from './detectFrameKind';
import { FrameContractError } from './FrameContractError';
import { datasetKeyFor, LineageJoin } from './lineageJoin';
import { marquezToGraph } from './marquezToGraph';
import { EdgeInput, readEdges } from './readEdges';
import { readJobState } from './readJobState';
import { MarquezLineage, readMarquezLineage } from './readMarquezLineage';
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
  /** How Marquez datasets meet the `dataset` label of the metrics; `auto` when absent. */
  lineageJoin?: LineageJoin;
}

export interface GraphResult {
  graph: LineageGraph;
  /** Things the author should know that did not stop the panel from drawing. */
  warnings: string[];
}

export const CONTRACT_SUMMARY =
  'an edges frame with fields `source` and `target` (optional `pipeline`), ' +
  '`datatrust_lineage_edge_info` series with labels `source_dataset` and `target_dataset`, ' +
  'Marquez lineage (one row per node: `id`, `type`, `namespace`, `name`, `inEdges`, `outEdges`), ' +
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
  const lineages: MarquezLineage[] = [];
  const identities = new Map<string, string>();
  const jobBlocked = new Map<string, boolean>();
  let skippedEdges = 0;

  frames.forEach((frame, index) => {
    if (frame.fields.length === 0 || frame.length === 0) {
      return;
    }
    const configured = (frame.refId && options.roles[frame.refId]) || 'auto';
    if (configured === 'ignore') {
      return;
    }
    const kind =
      configured === 'auto' ? detectFrameKind(frame) : isMetricRole(configured) ? 'state' : configured === 'jobBlocked' ? 'jobs' : configured;
    switch (kind) {
      case 'marquez':
        lineages.push(readMarquezLineage(frame, index));
        return;
      case 'jobs': {
        const read = readJobState(frame, index, configured);
        read.blocked.forEach((blocked, key) => jobBlocked.set(key, (jobBlocked.get(key) ?? false) || blocked));
        read.unrecognised.forEach((name) => unrecognisedMetrics.add(name));
        return;
      }
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
        read.identities.forEach((dataset, key) => identities.set(key, dataset));
        warnings.push(...read.invalid.map((what) => `Ignored ${what}`));
        return;
      }
      default:
        unrecognisedFrames.push(`${describeFrame(frame, index)}: ${describeFields(frame)}`);
    }
  });

  // Marquez datasets are named after the metrics that describe them, so the join runs once every
  // metric frame has been read
  const known = new Set(store.keys());
  const marquez = marquezToGraph(lineages, (namespace, name) =>
    datasetKeyFor(namespace, name, { join: options.lineageJoin ?? 'auto', identities, known })
  );
  const lineageOf = new Map<string, LineageIdentity>();
  for (const dataset of marquez.datasets) {
    lineageOf.set(dataset.id, dataset.lineage);
    if (dataset.description) {
      mergeAttributeOnce(signalsOf(dataset.id).attributes, 'description', dataset.description);
    }
  }
  edgeInputs.push(...marquez.edges);

  const edges = dedupeEdges(edgeInputs);
  const ids = new Set<string>([...nodeIds, ...store.keys(), ...lineageOf.keys()]);
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
  const connectedJobs = marquez.jobs.filter((j) => j.inputs.length + j.outputs.length > 0);
  if (edges.length === 0 && connectedJobs.length === 0) {
    warnings.push(`No lineage edges in the data: showing datasets only. Add ${CONTRACT_SUMMARY}`);
  }

  const datasets = [...ids].map((id) => {
    const signals = signalsOf(id);
    const lineage = lineageOf.get(id);
    return { id, label: labelFor(id, signals.attributes, options.labelField, lineage), signals };
  });
  const nodes = deriveStates(datasets, edges, normaliseThresholds(options.thresholds));
  for (const [id, lineage] of lineageOf) {
    const node = nodes.get(id);
    if (node) {
      node.lineage = lineage;
    }
  }
  const jobs = deriveJobStates([...marquez.jobs, ...pipelineJobs(edges, marquez.jobs)], nodes, jobBlocked);
  return { graph: { nodes, edges, jobs }, warnings };
}

/**
 * Pipelines named only on dataset edges (`pipeline` labels) become jobs whose inputs and outputs are
 * those edges' ends, unless Marquez lineage already has a job of that name.
 */
function pipelineJobs(edges: LineageEdge[], known: Array<Pick<JobNode, 'label'>>): Array<Omit<JobNode, 'blocked' | 'blockingInputs'>> {
  const taken = new Set(known.map((j) => j.label));
  const jobs = new Map<string, Omit<JobNode, 'blocked' | 'blockingInputs'>>();
  for (const edge of edges) {
    for (const pipeline of edge.pipelines) {
      if (taken.has(pipeline)) {
        continue;
      }
      let job = jobs.get(pipeline);
      if (!job) {
        job = { id: PIPELINE_PREFIX + pipeline, label: pipeline, inputs: [], outputs: [] };
        jobs.set(pipeline, job);
      }
      if (!job.inputs.includes(edge.source)) {
        job.inputs.push(edge.source);
      }
      if (!job.outputs.includes(edge.target)) {
        job.outputs.push(edge.target);
      }
    }
  }
  return [...jobs.values()];
}

function mergeAttributeOnce(attributes: Record<string, string>, key: string, value: string): void {
  if (attributes[key] === undefined) {
    attributes[key] = value;
  }
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

function labelFor(id: string, attributes: Record<string, string>, labelField: string, lineage?: LineageIdentity): string {
  // a dataset known only from lineage is named `namespace/name`; its name alone reads better
  const fallback = lineage && id === `${lineage.namespace}/${lineage.name}` ? lineage.name : id;
  const key = labelField.trim();
  if (key === '' || key === 'id' || key === 'dataset') {
    return fallback;
  }
  return attributes[key] ?? attributes[key.toLowerCase()] ?? fallback;
}
