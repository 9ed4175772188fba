// The lineage benchmark's estate: a deterministic generator of many data pipelines (chains of
// jobs with fan-in, fan-out, shared reference tables and a few cross-pipeline reads) and of the
// OpenLineage events their runs send. Pure: the same seed gives the same graph in every process,
// so the load clients (lineage-client.mjs) regenerate it instead of receiving it.

/** A small, fast, seedable PRNG (mulberry32): Math.random cannot be seeded. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID-shaped id from the PRNG (runIds must be UUIDs; deterministic for replays). */
export function uuidFrom(rand) {
  const h = Array.from({ length: 4 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(rand() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The shared reference dataset whose breaker the benchmark opens: FX rates, read by a quarter of the pipelines. */
export const FX = { namespace: 'postgres://refdata-db:5432', name: 'refdata.public.fx_rates' };

/** The estate's knobs, reported with the results. */
export const RULES = {
  /** Share of pipelines reading FX rates at their first transform. */
  fxShare: 0.25,
  /** Share of pipelines reading the reference table of popularity rank r (1 = most popular after FX): otherHubShare / r. */
  otherHubShare: 0.02,
  /** Chance that a transform also reads a mart of an earlier pipeline. */
  crossPipelineRead: 0.005,
  /** Chance that an extract also reads a source table of another pipeline. */
  sharedSource: 0.05,
};

const DOMAINS = ['payments', 'cards', 'lending', 'deposits', 'treasury', 'risk', 'fraud', 'crm', 'marketing', 'finance', 'compliance', 'hr', 'ops', 'wealth', 'insurance'];
const ORCHESTRATORS = [
  { namespace: 'airflow-prod', integration: 'AIRFLOW', jobType: 'TASK', producer: 'https://github.com/apache/airflow/tree/providers-openlineage/2.3.0' },
  { namespace: 'airflow-prod', integration: 'AIRFLOW', jobType: 'TASK', producer: 'https://github.com/apache/airflow/tree/providers-openlineage/2.3.0' },
  { namespace: 'spark-prod', integration: 'SPARK', jobType: 'JOB', producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.34.0/integration/spark' },
  { namespace: 'dbt-prod', integration: 'DBT', jobType: 'MODEL', producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.34.0/integration/dbt' },
];
const WAREHOUSES = [
  { namespace: 'snowflake://acme-eu1', db: 'analytics' },
  { namespace: 'postgres://dwh-db:5432', db: 'dwh' },
  { namespace: 'bigquery', db: 'acme-prod' },
];
const SOURCE_SYSTEMS = ['postgres://core-banking:5432', 'postgres://card-switch:5432', 'postgres://crm-db:6432', 'mysql://loans-db:3306', 'kafka://events-broker:9092', 's3://partner-drops'];
const HUB_NAMES = ['fx_rates', 'calendar', 'currencies', 'countries', 'branches', 'products', 'customer_segments', 'merchant_categories', 'gl_accounts', 'holidays', 'cost_centres', 'rating_scales'];
const LAYERS = ['stg', 'int', 'int', 'fct', 'dim', 'agg', 'mart'];
const TYPES = ['BIGINT', 'VARCHAR', 'DECIMAL(18,2)', 'TIMESTAMP', 'DATE', 'BOOLEAN', 'INTEGER'];

/**
 * The estate: `jobs` jobs in pipelines (DAGs) of 3 to 60 chained jobs (median about 15),
 * `datasets` datasets. Each pipeline extracts 1–3 source tables (plus extra tables of the same
 * source systems, until the dataset count is reached), then chains transforms: every transform
 * reads the previous job's output and, half the time, 1–2 earlier outputs of its pipeline
 * (fan-in), and writes 1–3 tables (fan-out: later jobs read them). Shared inputs: reference
 * tables (`refdata.public.*`, each loaded by its own job) are read by some pipelines, FX rates
 * by a quarter of them at their first transform; 0.5% of transforms read a mart of an earlier
 * pipeline; 5% of extracts share a source table with another pipeline.
 */
export function generateEstate({ jobs: jobBudget, datasets: datasetBudget, seed = 7 }) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const datasets = [];
  const jobs = [];
  const pipelines = [];
  const addDataset = (namespace, name, kind) => {
    datasets.push({ namespace, name, kind, fields: 4 + Math.floor(rand() * 11) });
    return datasets.length - 1;
  };

  // Reference data: one loader job per hub, in its own pipeline.
  const hubCount = Math.max(4, Math.min(40, Math.round(jobBudget / 1250)));
  const hubs = [];
  const refJobs = [];
  for (let h = 0; h < hubCount; h++) {
    const base = HUB_NAMES[h % HUB_NAMES.length] + (h < HUB_NAMES.length ? '' : `_${Math.floor(h / HUB_NAMES.length)}`);
    const hub = h === 0 ? addDataset(FX.namespace, FX.name, 'hub') : addDataset(FX.namespace, `refdata.public.${base}`, 'hub');
    const src = addDataset('https://api.refdata-vendor.example', `/v2/${base}`, 'source');
    hubs.push(hub);
    refJobs.push(jobs.length);
    jobs.push({ namespace: 'airflow-prod', name: `reference.load_${base}`, parent: 'reference', orchestrator: 0, inputs: [src], outputs: [hub], pipeline: 0 });
  }
  pipelines.push({ name: 'reference', jobs: refJobs });

  // Hub popularity: FX by a quarter of the pipelines, the others by fewer (Zipf-like).
  const hubShare = (h) => (h === 0 ? RULES.fxShare : RULES.otherHubShare / h);
  const published = [];
  const sources = [];
  const extracts = [];
    while (jobs.length < jobBudget) {
    const remaining = jobBudget - jobs.length;
    // Log-normal length, median ~15, clamped to 3..60; the last pipeline takes what is left.
    let len = Math.round(Math.exp(Math.log(15) + 0.6 * gaussian(rand)));
    len = Math.max(3, Math.min(60, len));
    if (remaining - len < 3) len = remaining;
    const p = pipelines.length;
    const domain = `${DOMAINS[p % DOMAINS.length]}_${String(p).padStart(4, '0')}`;
    const orch = p % ORCHESTRATORS.length;
    const { namespace: jobNs } = ORCHESTRATORS[orch];
    const wh = WAREHOUSES[p % WAREHOUSES.length];
    const system = SOURCE_SYSTEMS[p % SOURCE_SYSTEMS.length];
    const ingest = Math.min(len - 1, 1 + Math.floor(rand() * 3));
    const readsHubs = hubs.filter((_, h) => rand() < hubShare(h));
    const produced = [];
    const ids = [];
    for (let k = 0; k < len; k++) {
      const inputs = new Set();
      const outputs = [];
      if (k < ingest) {
        const table = `${domain.replace(/_\d+$/, '')}_core.public.${domain}_src_${k}`;
        const src = addDataset(system, table, 'source');
        sources.push(src);
        inputs.add(src);
        if (rand() < RULES.sharedSource && sources.length > 10) inputs.add(pick(sources));
        outputs.push(addDataset(`s3://lake-raw`, `raw/${domain}/extract_${k}`, 'raw'));
        extracts.push(jobs.length);
      } else {
        inputs.add(produced[produced.length - 1]);
        const extra = rand() < 0.5 ? 0 : rand() < 0.7 ? 1 : 2;
        for (let e = 0; e < extra; e++) inputs.add(pick(produced));
        if (k === ingest) for (const h of readsHubs) inputs.add(h);
        if (rand() < RULES.crossPipelineRead && published.length) inputs.add(pick(published));
        const n = rand() < 0.5 ? 1 : rand() < 0.6 ? 2 : 3;
        const layer = LAYERS[Math.min(LAYERS.length - 1, Math.floor((k / len) * LAYERS.length))];
        for (let o = 0; o < n; o++) outputs.push(addDataset(wh.namespace, `${wh.db}.${domain}.${layer}_${k}${n > 1 ? `_${o}` : ''}`, 'table'));
      }
      produced.push(...outputs);
      ids.push(jobs.length);
      jobs.push({ namespace: jobNs, name: `${domain}.${k < ingest ? 'extract' : 'transform'}_${String(k).padStart(2, '0')}`, parent: domain, orchestrator: orch, inputs: [...inputs], outputs, pipeline: p });
    }
    // The pipeline's last tables are its marts: what other teams read.
    published.push(...produced.slice(-2));
    pipelines.push({ name: domain, jobs: ids });
  }

  // The rest of the dataset budget: more tables of the same source systems, read by extracts
  // (an extract job typically copies several tables of one database).
  let extraSources = 0;
  for (let i = 0; datasets.length < datasetBudget; i++) {
    const j = jobs[extracts[i % extracts.length]];
    const first = datasets[j.inputs[0]];
    j.inputs.push(addDataset(first.namespace, `${first.name}_t${Math.floor(i / extracts.length) + 1}`, 'source'));
    extraSources++;
  }
  return { datasets, jobs, pipelines, hubs, fx: hubs[0], fxWriter: refJobs[0], extraSources };
}

/** A standard normal variate (Box–Muller). */
function gaussian(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Readers and writers of each dataset (job indices), for walks in the benchmark process. */
export function indexEstate(estate) {
  const readers = Array.from({ length: estate.datasets.length }, () => []);
  const writers = Array.from({ length: estate.datasets.length }, () => []);
  estate.jobs.forEach((j, ji) => {
    for (const d of j.inputs) readers[d].push(ji);
    for (const d of j.outputs) writers[d].push(ji);
  });
  return { readers, writers };
}

/** Datasets and jobs downstream of dataset `start`, each with its distance in job hops (BFS). */
export function downstreamOf(estate, index, start) {
  const datasets = new Map([[start, 0]]);
  const jobs = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const d = queue[i];
    const dist = datasets.get(d);
    for (const j of index.readers[d]) {
      if (jobs.has(j)) continue;
      jobs.set(j, dist + 1);
      for (const o of estate.jobs[j].outputs) {
        if (datasets.has(o)) continue;
        datasets.set(o, dist + 1);
        queue.push(o);
      }
    }
  }
  datasets.delete(start);
  return { datasets, jobs };
}

/** Shape figures for the results: sizes, degrees, components, downstream reach. */
export function describeEstate(estate, index, sampleSeed = 11) {
  const { datasets, jobs, pipelines } = estate;
  const lengths = pipelines.slice(1).map((p) => p.jobs.length).sort((a, b) => a - b);
  const q = (v, p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
  // Weakly connected components over datasets and jobs (union-find).
  const parent = Int32Array.from({ length: datasets.length + jobs.length }, (_, i) => i);
  const find = (x) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  jobs.forEach((j, ji) => {
    for (const d of [...j.inputs, ...j.outputs]) parent[find(datasets.length + ji)] = find(d);
  });
  const sizes = new Map();
  for (let i = 0; i < parent.length; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
  const bySize = [...sizes.values()].sort((a, b) => b - a);
  const rand = prng(sampleSeed);
  const reach = [];
  for (let s = 0; s < 200; s++) reach.push(downstreamOf(estate, index, Math.floor(rand() * datasets.length)).datasets.size);
  reach.sort((a, b) => a - b);
  const fxDown = downstreamOf(estate, index, estate.fx);
  const kinds = {};
  for (const d of datasets) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
  return {
    rules: RULES,
    datasets: datasets.length,
    jobs: jobs.length,
    pipelines: pipelines.length - 1,
    referencePipelineJobs: pipelines[0].jobs.length,
    datasetKinds: kinds,
    pipelineLength: { min: lengths[0], median: q(lengths, 0.5), p90: q(lengths, 0.9), max: lengths[lengths.length - 1] },
    edges: { inputs: jobs.reduce((a, j) => a + j.inputs.length, 0), outputs: jobs.reduce((a, j) => a + j.outputs.length, 0) },
    jobsReadingSeveralInputs: jobs.filter((j) => j.inputs.length > 1).length,
    jobsWritingSeveralOutputs: jobs.filter((j) => j.outputs.length > 1).length,
    datasetsReadBySeveralJobs: index.readers.filter((r) => r.length > 1).length,
    hubs: estate.hubs.length,
    fxReaders: index.readers[estate.fx].length,
    components: { count: bySize.length, largestNodes: bySize[0], largestShare: bySize[0] / parent.length, secondNodes: bySize[1] ?? 0, singlePipelineOrSmaller: bySize.filter((s) => s <= 150).length },
    downstreamDatasetsOfRandomDataset: { median: q(reach, 0.5), p90: q(reach, 0.9), max: reach[reach.length - 1] },
    fxDownstream: { datasets: fxDown.datasets.size, jobs: fxDown.jobs.size, maxDistance: Math.max(0, ...fxDown.datasets.values()) },
  };
}

const FACETS = 'https://openlineage.io/spec/facets';
const facet = (producer, schema) => ({ _producer: producer, _schemaURL: `${FACETS}/${schema}` });

function datasetRef(estate, d, producer, withSchema) {
  const ds = estate.datasets[d];
  const facets = { dataSource: { ...facet(producer, '1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet'), name: ds.namespace, uri: ds.namespace } };
  if (withSchema) facets.schema = { ...facet(producer, '1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet'), fields: Array.from({ length: ds.fields }, (_, i) => ({ name: i === 0 ? 'id' : `col_${i}`, type: TYPES[(d + i) % TYPES.length] })) };
  return { namespace: ds.namespace, name: ds.name, facets };
}

/**
 * One RunEvent of a job of the estate, as Airflow's, Spark's or dbt-ol's producer sends it:
 * parent (the DAG run) and nominal time run facets, job type, data sources, output schemas and,
 * at COMPLETE, output statistics. About 2–3 KB of JSON.
 */
export function runEvent(estate, jobIndex, { eventType, runId, parentRunId, eventTime }) {
  const j = estate.jobs[jobIndex];
  const o = ORCHESTRATORS[j.orchestrator];
  const producer = o.producer;
  const done = eventType === 'COMPLETE';
  return {
    eventType,
    eventTime,
    producer,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: {
      runId,
      facets: {
        nominalTime: { ...facet(producer, '1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet'), nominalStartTime: `${eventTime.slice(0, 13)}:00:00Z` },
        parent: { ...facet(producer, '1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet'), run: { runId: parentRunId }, job: { namespace: j.namespace, name: j.parent } },
        processing_engine: { ...facet(producer, '1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet'), version: o.integration === 'SPARK' ? '3.5.1' : o.integration === 'DBT' ? '1.9.4' : '2.10.5', name: o.integration.toLowerCase() },
      },
    },
    job: {
      namespace: j.namespace,
      name: j.name,
      facets: { jobType: { ...facet(producer, '2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet'), processingType: 'BATCH', integration: o.integration, jobType: o.jobType } },
    },
    inputs: j.inputs.map((d) => datasetRef(estate, d, producer, false)),
    outputs: j.outputs.map((d) => {
      const ref = datasetRef(estate, d, producer, true);
      return done ? { ...ref, outputFacets: { outputStatistics: { ...facet(producer, '1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet'), rowCount: 1000 + ((d * 7919) % 5_000_000), size: 65536 + ((d * 104729) % 500_000_000) } } } : ref;
    }),
  };
}
