import { DataFrame } from '@grafana/data';
import { describeFields, describeFrame } from './describeFrame';
import { FrameContractError } from './FrameContractError';
import { fieldNamed } from './readEdges';

/** One dataset or job of Marquez's `GET /api/v1/lineage` answer, as the shipped query tabulates it. */
export interface MarquezNode {
  /** `dataset:<namespace>:<name>` or `job:<namespace>:<name>`. */
  nodeId: string;
  namespace: string;
  name: string;
  description?: string;
}

export interface MarquezLineage {
  datasets: MarquezNode[];
  jobs: MarquezNode[];
  /** Directed `origin → destination` pairs, each once, in the order first seen. */
  edges: Array<[origin: string, destination: string]>;
}

/** The columns the dashboard's Infinity query (JSONata, table format) produces. */
export const MARQUEZ_FIELDS = ['id', 'type', 'namespace', 'name', 'inEdges', 'outEdges'] as const;

/**
 * Recognises the frame by its columns: `id` and `type` plus `inEdges` or `outEdges` (Marquez's node
 * fields). Node Graph frames have `id` but never `inEdges`.
 */
export function isMarquezLineageFrame(frame: DataFrame): boolean {
  const has = (name: string) => fieldNamed(frame, name) !== undefined;
  return has('id') && has('type') && (has('inEdges') || has('outEdges'));
}

/**
 * Reads one row per Marquez graph node: `type` DATASET or JOB, `namespace` and `name` (the node's
 * `data.id`), and `inEdges` / `outEdges` as arrays of node ids. Infinity hands array columns over as
 * JSON text (`["job:demo:demo.clean"]`), other datasources as arrays; both are read. Marquez lists
 * every edge on both of its ends, so edges are de-duplicated. Rows of other node types (column
 * lineage's DATASET_FIELD) are not part of a table-level graph and are skipped.
 */
export function readMarquezLineage(frame: DataFrame, index: number): MarquezLineage {
  const missing = MARQUEZ_FIELDS.filter((name) => name !== 'inEdges' && name !== 'outEdges' && !fieldNamed(frame, name));
  if (missing.length > 0) {
    throw new FrameContractError(
      `${describeFrame(frame, index)} is Marquez lineage, so it needs fields ${MARQUEZ_FIELDS.map((f) => `\`${f}\``).join(', ')} ` +
        `(one row per node of /api/v1/lineage); missing ${missing.map((f) => `\`${f}\``).join(', ')}; found: ${describeFields(frame)}`
    );
  }
  const field = (name: string) => fieldNamed(frame, name);
  const [idF, typeF, nsF, nameF, inF, outF, descriptionF] = ['id', 'type', 'namespace', 'name', 'inEdges', 'outEdges', 'description'].map(field);

  const lineage: MarquezLineage = { datasets: [], jobs: [], edges: [] };
  const seenEdges = new Set<string>();
  const addEdge = (origin: string, destination: string) => {
    const key = `${origin}\u0000${destination}`;
    if (!seenEdges.has(key)) {
      seenEdges.add(key);
      lineage.edges.push([origin, destination]);
    }
  };

  for (let row = 0; row < frame.length; row++) {
    const nodeId = text(idF?.values[row]);
    const type = text(typeF?.values[row])?.toUpperCase();
    if (!nodeId || (type !== 'DATASET' && type !== 'JOB')) {
      continue;
    }
    const namespace = text(nsF?.values[row]);
    const name = text(nameF?.values[row]);
    if (namespace === undefined || name === undefined) {
      throw new FrameContractError(`${describeFrame(frame, index)}, row ${row + 1} (${nodeId}): \`namespace\` and \`name\` must not be empty`);
    }
    const description = text(descriptionF?.values[row]);
    const node: MarquezNode = { nodeId, namespace, name, ...(description ? { description } : {}) };
    (type === 'DATASET' ? lineage.datasets : lineage.jobs).push(node);
    for (const origin of idList(inF?.values[row], 'inEdges', frame, index, row)) {
      addEdge(origin, nodeId);
    }
    for (const destination of idList(outF?.values[row], 'outEdges', frame, index, row)) {
      addEdge(nodeId, destination);
    }
  }
  return lineage;
}

function idList(value: unknown, column: string, frame: DataFrame, index: number, row: number): string[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed === 'null') {
      return [];
    }
    try {
      list = JSON.parse(trimmed);
    } catch {
      list = undefined;
    }
  }
  if (list === null || list === undefined) {
    if (value === null || value === undefined) {
      return [];
    }
    throw new FrameContractError(
      `${describeFrame(frame, index)}, row ${row + 1}: \`${column}\` must be a JSON array of node ids, got ${JSON.stringify(value).slice(0, 80)}`
    );
  }
  if (!Array.isArray(list)) {
    throw new FrameContractError(
      `${describeFrame(frame, index)}, row ${row + 1}: \`${column}\` must be an array of node ids, got ${JSON.stringify(list).slice(0, 80)}`
    );
  }
  return list.map((v) => text(v)).filter((v): v is string => v !== undefined);
}

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) {
    return undefined;
  }
  const s = String(v).trim();
  return s === '' ? undefined : s;
}
