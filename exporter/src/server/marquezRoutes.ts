import type express from 'express';
import type { Request } from 'express';
import { columnLineageView } from '../lineage/columnLineage';
import type { Direction } from '../lineage/lineageGraph';
import { declaredJobView, datasetVersionView, datasetView, type DatasetView, jobView, type JobView, lineageView, namespaceView, runView } from '../lineage/marquezViews';
import { type DatasetRecord, nodeKey, splitKey } from '../lineage/model';
import { parseNodeId } from '../openlineage/nodeId';
import type { DataTrustService } from '../service/dataTrustService';
import { HttpError } from './httpError';

const param = (req: Request, name: string): string => String(req.params[name] ?? '');

function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `\`${name}\` must be a whole number ≥ 0`);
  return Math.min(n, max);
}

function directionParam(value: unknown): Direction {
  if (value === undefined || value === '') return 'both';
  if (value === 'upstream' || value === 'downstream' || value === 'both') return value;
  throw new HttpError(400, '`direction` must be upstream, downstream or both');
}

function timeParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const t = Date.parse(String(value));
  if (Number.isNaN(t)) throw new HttpError(400, `\`${name}\` must be an ISO-8601 date-time`);
  return t;
}

/** A dataset only the graph knows (configured, declared upstream, never in an event). */
function placeholder(key: string): DatasetRecord {
  const { namespace, name } = splitKey(key);
  return { key, namespace, name, createdAt: 0, updatedAt: 0, fields: [], facets: { facets: {}, keys: {} }, inputFacets: { facets: {}, keys: {} } };
}

/**
 * Marquez's read API over the lineage store (spec/marquez/openapi.yml), so Marquez's UI clients,
 * the Grafana Infinity datasource and scripts read the exporter as they read Marquez. Beyond
 * Marquez: `direction` on `/lineage`, and node ids whose namespace holds `://` and ports.
 * Public like the other reads.
 */
export function marquezRoutes(app: express.Express, service: DataTrustService): void {
  const model = () => service.lineage.model;
  const datasetData = (key: string, facets = false): DatasetView => datasetView(model().datasets.get(key) ?? placeholder(key), facets);
  const latestRun = (jobKey: string) => {
    const runId = model().jobs.get(jobKey)?.latestRunId;
    const run = runId ? model().run(runId) : undefined;
    return run ? runView(run, (k) => model().datasets.get(k)?.currentVersion) : undefined;
  };
  const jobData = (key: string): JobView => {
    const record = model().jobs.get(key);
    if (record) return jobView(record, latestRun(key));
    const edges = service.graph.edgesOf(key);
    return declaredJobView(key, edges?.inputs ?? [], edges?.outputs ?? []);
  };
  const requireNamespace = (ns: string) => {
    if (!model().namespaces.has(ns)) throw new HttpError(404, `namespace \`${ns}\` not found`);
  };

  app.get('/api/v1/lineage', (req, res) => {
    const text = String(req.query.nodeId ?? '');
    if (!text) throw new HttpError(400, '`nodeId` is required: dataset:<namespace>:<name> or job:<namespace>:<name>');
    const node = parseNodeId(text);
    if (!node || node.type === 'datasetField') throw new HttpError(400, `\`nodeId\` \`${text}\` is not dataset:<namespace>:<name> or job:<namespace>:<name>`);
    const key = nodeKey(node.namespace, node.name);
    const known = node.type === 'dataset' ? service.graph.hasDataset(key) || model().datasets.has(key) : service.graph.hasJob(key) || model().jobs.has(key);
    if (!known) throw new HttpError(404, `${node.type} \`${node.namespace}:${node.name}\` not found`);
    const depth = intParam(req.query.depth, 'depth', 20, 100);
    res.json(lineageView(service.graph, { type: node.type, key }, depth, directionParam(req.query.direction), { dataset: (k) => datasetData(k), job: jobData }));
  });

  app.get('/api/v1/column-lineage', (req, res) => {
    const node = parseNodeId(String(req.query.nodeId ?? ''));
    if (!node || node.type === 'job') throw new HttpError(400, '`nodeId` must be dataset:<namespace>:<name> or datasetField:<namespace>:<dataset>:<field>');
    const key = nodeKey(node.namespace, node.name);
    if (!model().datasets.has(key)) throw new HttpError(404, `dataset \`${node.namespace}:${node.name}\` not found`);
    const depth = intParam(req.query.depth, 'depth', 20, 100);
    res.json(columnLineageView(model().datasets, { datasetKey: key, ...(node.type === 'datasetField' ? { field: node.field } : {}) }, depth, req.query.withDownstream === 'true'));
  });

  app.get('/api/v1/namespaces', (req, res) => {
    const all = [...model().namespaces.values()].sort((a, b) => a.name.localeCompare(b.name));
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    res.json({ namespaces: all.slice(offset, offset + intParam(req.query.limit, 'limit', 100, 1000)).map(namespaceView) });
  });

  app.get('/api/v1/namespaces/:namespace', (req, res) => {
    const n = model().namespaces.get(param(req, 'namespace'));
    if (!n) throw new HttpError(404, `namespace \`${param(req, 'namespace')}\` not found`);
    res.json(namespaceView(n));
  });

  app.get('/api/v1/namespaces/:namespace/datasets', (req, res) => {
    const ns = param(req, 'namespace');
    requireNamespace(ns);
    const all = [...model().datasets.values()].filter((d) => d.namespace === ns).sort((a, b) => a.name.localeCompare(b.name));
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    res.json({ totalCount: all.length, datasets: all.slice(offset, offset + intParam(req.query.limit, 'limit', 100, 1000)).map((d) => datasetView(d, true)) });
  });

  app.get('/api/v1/namespaces/:namespace/datasets/:dataset', (req, res) => {
    const d = model().datasets.get(nodeKey(param(req, 'namespace'), param(req, 'dataset')));
    if (!d) throw new HttpError(404, `dataset \`${param(req, 'namespace')}:${param(req, 'dataset')}\` not found`);
    res.json(datasetView(d, true));
  });

  app.get('/api/v1/namespaces/:namespace/datasets/:dataset/versions', async (req, res) => {
    const key = nodeKey(param(req, 'namespace'), param(req, 'dataset'));
    if (!model().datasets.has(key)) throw new HttpError(404, `dataset \`${param(req, 'namespace')}:${param(req, 'dataset')}\` not found`);
    const r = await service.lineage.datasetVersions(key, intParam(req.query.limit, 'limit', 100, 1000), intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER));
    res.json({ versions: r.versions.map(datasetVersionView), totalCount: r.totalCount });
  });

  app.get('/api/v1/namespaces/:namespace/jobs', (req, res) => {
    const ns = param(req, 'namespace');
    requireNamespace(ns);
    const all = [...model().jobs.values()].filter((j) => j.namespace === ns).sort((a, b) => a.name.localeCompare(b.name));
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    res.json({ totalCount: all.length, jobs: all.slice(offset, offset + intParam(req.query.limit, 'limit', 100, 1000)).map((j) => jobView(j, latestRun(j.key))) });
  });

  app.get('/api/v1/namespaces/:namespace/jobs/:job', (req, res) => {
    const key = nodeKey(param(req, 'namespace'), param(req, 'job'));
    if (!model().jobs.has(key)) throw new HttpError(404, `job \`${param(req, 'namespace')}:${param(req, 'job')}\` not found`);
    res.json(jobData(key));
  });

  app.get('/api/v1/namespaces/:namespace/jobs/:job/runs', async (req, res) => {
    const key = nodeKey(param(req, 'namespace'), param(req, 'job'));
    if (!model().jobs.has(key)) throw new HttpError(404, `job \`${param(req, 'namespace')}:${param(req, 'job')}\` not found`);
    const r = await service.lineage.jobRuns(key, intParam(req.query.limit, 'limit', 100, 1000), intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER));
    res.json({ runs: r.runs.map((run) => runView(run, (k) => model().datasets.get(k)?.currentVersion)), totalCount: r.totalCount });
  });

  app.get('/api/v1/jobs/runs/:id', async (req, res) => {
    const [run] = await service.lineage.runs([param(req, 'id')]);
    if (!run) throw new HttpError(404, `run \`${param(req, 'id')}\` not found`);
    res.json(runView(run, (k) => model().datasets.get(k)?.currentVersion));
  });

  app.get('/api/v1/events/lineage', async (req, res) => {
    const after = timeParam(req.query.after, 'after');
    const before = timeParam(req.query.before, 'before');
    const r = await service.lineage.events({
      ...(after !== undefined ? { after } : {}),
      ...(before !== undefined ? { before } : {}),
      sort: req.query.sortDirection === 'asc' ? 'asc' : 'desc',
      limit: intParam(req.query.limit, 'limit', 100, 1000),
      offset: intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
    });
    // Stored as received: the raw JSON goes out as it came in.
    res.type('json').send(`{"events":[${r.events.join(',')}],"totalCount":${r.totalCount}}`);
  });

  app.get('/api/v1/search', (req, res) => {
    const q = String(req.query.q ?? '').toLowerCase();
    if (!q) throw new HttpError(400, '`q` is required');
    const filter = req.query.filter === undefined ? undefined : String(req.query.filter).toUpperCase();
    if (filter !== undefined && filter !== 'DATASET' && filter !== 'JOB') throw new HttpError(400, '`filter` must be DATASET or JOB');
    const namespace = req.query.namespace === undefined ? undefined : String(req.query.namespace);
    const results = [
      ...(filter === 'JOB' ? [] : [...model().datasets.values()].map((d) => ({ type: 'DATASET' as const, name: d.name, namespace: d.namespace, updatedAt: d.updatedAt, nodeId: `dataset:${d.namespace}:${d.name}` }))),
      ...(filter === 'DATASET' ? [] : [...model().jobs.values()].map((j) => ({ type: 'JOB' as const, name: j.name, namespace: j.namespace, updatedAt: j.updatedAt, nodeId: `job:${j.namespace}:${j.name}` }))),
    ].filter((r) => r.name.toLowerCase().includes(q) && (namespace === undefined || r.namespace === namespace));
    if (req.query.sort === 'UPDATE_AT') results.sort((a, b) => b.updatedAt - a.updatedAt);
    else results.sort((a, b) => a.name.localeCompare(b.name));
    const limited = results.slice(0, intParam(req.query.limit, 'limit', 10, 1000));
    res.json({ totalCount: results.length, results: limited.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })) });
  });

  // Beyond Marquez: what an auditor asks for, when a dataset's schema or a job's inputs or code changed.
  app.get('/api/v1/lineage/changes', async (req, res) => {
    const node = parseNodeId(String(req.query.nodeId ?? ''));
    if (!node || node.type === 'datasetField') throw new HttpError(400, '`nodeId` must be dataset:<namespace>:<name> or job:<namespace>:<name>');
    const key = nodeKey(node.namespace, node.name);
    if (node.type === 'job') {
      if (!model().jobs.has(key)) throw new HttpError(404, `job \`${node.namespace}:${node.name}\` not found`);
      res.json({ nodeId: `job:${node.namespace}:${node.name}`, changes: await service.lineage.jobChanges(key) });
    } else {
      if (!model().datasets.has(key)) throw new HttpError(404, `dataset \`${node.namespace}:${node.name}\` not found`);
      res.json({ nodeId: `dataset:${node.namespace}:${node.name}`, changes: await service.lineage.schemaChanges(key) });
    }
  });
}
