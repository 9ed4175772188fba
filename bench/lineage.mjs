// Lineage at scale (issue 7): the real exporter (`runExporter` from the built dist, in its own
// process, server-child.mjs) as an OpenLineage receiver, loaded over loopback HTTP by producers
// in a third process (lineage-client.mjs):
//   1. ingestion events/s, single events and batches, validation on, against a bare node:http
//      sink that only parses the same bodies (the floor), rounds interleaved;
//   2. a generated estate of 100k datasets and 50k jobs (lineage-graph.mjs) ingested through
//      the batch API, then Marquez-style lineage queries at depth 2 and 10, both directions and
//      downstream only, from random datasets;
//   3. one breaker opened by a real scan of a shared reference table upstream of a quarter of the
//      estate: time until sampled downstream gates (datasets and jobs) answer 423; then the
//      gates' latency (open loop) while events stream in, against the same exporter idle;
//   4. the exporter's memory holding the graph, and a restart: time to load it from the state file;
//   5. MTTD on the demo warehouse: a COMPLETE RunEvent for the job that writes raw_transactions
//      (with a planted defect) → first alert delivered to a local webhook receiver.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describeEstate, downstreamOf, FX, generateEstate, indexEstate, prng, runEvent, uuidFrom } from './lineage-graph.mjs';
import { BENCH_DIR, CONNECTIONS, dist, ensureDir, environment, formatBytes, formatMs, goal, lastJsonLine, log, median, percentile, ROOT, RUNS, runNode, scaled, sleep, startServerChild, summarize, WORK_DIR, writeResult } from './lib.mjs';

const TAG = 'lineage';
const JOBS = scaled(50_000, 200);
const DATASETS = scaled(100_000, 400);
const SEED = 7;
const ROUNDS = RUNS;
const INGEST_S = scaled(10, 3);
const SINGLE_CLIENTS = 8;
/** Diagnostic: group commit with more producers in flight (an estate's many Airflow workers). */
const MANY_CLIENTS = 32;
const BATCH_EVENTS = 500;
const BATCH_CLIENTS = 2;
const QUERIES = scaled(300, 30);
/** Seconds per variant per round at most: depth-10 answers of Marquez's undirected walk can hold most of a component. */
const QUERY_BUDGET_S = scaled(60, 10);
const SPLIT_NODES = scaled(20, 10);
const SAMPLE_GATES = 24;
const GATE_S = scaled(10, 3);
/** Gate requests/s, open loop: thousands of blocked pipelines polling every 30 s (those using `?wait=` cost less). */
const GATE_RATE = Number(process.env.BENCH_LINEAGE_GATE_RATE ?? 100);
/**
 * Events/s streamed while the gates are measured: far above the estate's daily average (50k jobs
 * running daily send ~1.2 events/s), below what the exporter ingests one event per request.
 */
const STREAM_RATE = Number(process.env.BENCH_LINEAGE_STREAM_RATE ?? 20);
/** In the second stream, one event in NEW_JOB_EVERY reports a job nobody has seen: the graph changes twice a second at 20 events/s. */
const NEW_JOB_EVERY = 10;
const MTTD_ROUNDS = Math.max(5, scaled(20, 5));
const TOKEN = randomBytes(24).toString('hex');
const CLI = join(ROOT, 'exporter', 'dist', 'cli', 'main.js');
const HANDLERS = join(BENCH_DIR, 'lineage-handlers.mjs');
const dir = ensureDir(join(WORK_DIR, 'lineage'));

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One HTTP request from the benchmark process (keep-alive), timed from send to the last byte. */
function http(method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const started = performance.now();
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const auth = { authorization: `Bearer ${TOKEN}` };

/** Runs lineage-client.mjs in its own process; its PROGRESS lines become progress lines here. */
function client(options, onProgress) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, 'lineage-client.mjs'), JSON.stringify({ jobs: JOBS, datasets: DATASETS, seed: SEED, token: TOKEN, ...options })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let partial = '';
    child.stdout.on('data', (d) => {
      out += d;
      partial += d;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (line.startsWith('PROGRESS ')) (onProgress ?? ((m) => log(TAG, `  ${m}`)))(line.slice(9));
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`lineage-client ${options.mode} exited with ${code}`);
        resolve(lastJsonLine(out, 'CLIENT_JSON '));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The open-loop gate client (rate-client.mjs) over a list of gate URLs. */
async function gateLoad(urlsFile, seconds) {
  return lastJsonLine(await runNode(join(BENCH_DIR, 'rate-client.mjs'), [`@${urlsFile}`, String(GATE_RATE), String(seconds), String(CONNECTIONS)]), 'RATE_JSON ');
}

function startExporter(name, configFile, tag = name) {
  return startServerChild('exporter', [configFile, TOKEN, join(dir, `${name}.log`)], { tag, nodeArgs: ['--expose-gc'], env: { BENCH_EXPORTER_HANDLERS: HANDLERS } });
}

function freshState(sub) {
  const d = ensureDir(join(dir, sub));
  for (const f of ['state.duckdb', 'state.duckdb.wal']) rmSync(join(d, f), { force: true });
  return d;
}

// ── 1. Ingestion ────────────────────────────────────────────────────────────────────────────

async function ingestion() {
  const d = freshState('ingest');
  const configFile = join(d, 'datatrust.yml');
  writeFileSync(configFile, ['# generated by bench/lineage.mjs: an exporter with nothing configured, lineage only', 'datasets: {}', 'state: { path: state.duckdb }', ''].join('\n'));
  const exporter = await startExporter('ingest', configFile, 'exporter');
  const sink = await startServerChild('sink', [], { tag: 'sink' });
  const targets = { exporter, sink };
  const runs = { exporter: { single: [], batch: [], singleMany: [] }, sink: { single: [], batch: [] } };
  const inside = { single: [], batch: [], singleMany: [] };
  await exporter.call('instrument-commits');
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? ['sink', 'exporter'] : ['exporter', 'sink'];
      for (const t of order)
        for (const mode of [...(r % 2 ? ['batch', 'single'] : ['single', 'batch']), ...(t === 'exporter' ? ['singleMany'] : [])]) {
          const cpu0 = t === 'exporter' ? await exporter.call('cpu') : undefined;
          const concurrency = { single: SINGLE_CLIENTS, singleMany: MANY_CLIENTS, batch: BATCH_CLIENTS }[mode];
          const res = await client({ url: targets[t].url, mode: mode === 'batch' ? 'batch' : 'single', seconds: INGEST_S, concurrency, batch: BATCH_EVENTS, clientSeed: 100 + r, round: r });
          if (cpu0) {
            // Work per event, which a loaded machine inflates far less than elapsed time.
            const cpu1 = await exporter.call('cpu');
            res.cpuMsPerEvent = { mainThread: (cpu1.mainMs - cpu0.mainMs) / res.accepted, otherThreads: (cpu1.otherThreadsMs - cpu0.otherThreadsMs) / res.accepted };
          }
          if (res.accepted < res.events * 0.99) throw new Error(`${t} ${mode}: only ${res.accepted}/${res.events} events accepted: ${JSON.stringify(res.statuses)}`);
          runs[t][mode].push(res);
          if (t === 'exporter') inside[mode].push(await exporter.call('commit-report'));
          log(TAG, `  ingestion round ${r + 1}/${ROUNDS} ${t.padEnd(8)} ${mode.padEnd(10)} ${Math.round(res.eventsPerSecond).toLocaleString('en')} events/s (request p50 ${formatMs(res.latencyMs.p50)}, p99 ${formatMs(res.latencyMs.p99)})${res.cpuMsPerEvent ? `; CPU per event: main thread ${res.cpuMsPerEvent.mainThread.toFixed(2)} ms, other threads ${res.cpuMsPerEvent.otherThreads.toFixed(2)} ms` : ''}`);
        }
    }
    // Where an event's time goes: ajv validation in the exporter's process, per event.
    const estate = generateEstate({ jobs: JOBS, datasets: DATASETS, seed: SEED });
    const rand = prng(5);
    const bodies = Array.from({ length: 200 }, (_, i) => JSON.stringify(runEvent(estate, Math.floor(rand() * estate.jobs.length), { eventType: i % 2 ? 'COMPLETE' : 'START', runId: uuidFrom(rand), parentRunId: uuidFrom(rand), eventTime: new Date().toISOString() })));
    const validation = await exporter.call('validate-timing', { bodies });
    const stored = await exporter.call('lineage-size');
    const fig = (t, mode) => ({ eventsPerSecond: median(runs[t][mode].map((x) => x.eventsPerSecond)), ...(t === 'exporter' ? { cpuMsPerEvent: { mainThread: median(runs[t][mode].map((x) => x.cpuMsPerEvent.mainThread)), otherThreads: median(runs[t][mode].map((x) => x.cpuMsPerEvent.otherThreads)) } } : {}), requestP50Ms: median(runs[t][mode].map((x) => x.latencyMs.p50)), requestP99Ms: median(runs[t][mode].map((x) => x.latencyMs.p99)), rounds: runs[t][mode].length });
    const perRound = (mode) => median(runs.exporter[mode].map((x, i) => x.eventsPerSecond / runs.sink[mode][i].eventsPerSecond));
    return {
      settings: { seconds: INGEST_S, singleClients: SINGLE_CLIENTS, manyClients: MANY_CLIENTS, batchClients: BATCH_CLIENTS, batchEvents: BATCH_EVENTS, meanEventBytes: median(runs.exporter.single.map((x) => x.meanEventBytes)) },
      single: fig('exporter', 'single'),
      batch: fig('exporter', 'batch'),
      singleMany: fig('exporter', 'singleMany'),
      sinkSingle: fig('sink', 'single'),
      sinkBatch: fig('sink', 'batch'),
      ratios: { singleVsSink: perRound('single'), batchVsSink: perRound('batch') },
      validationUsPerEvent: validation.us,
      // Inside the exporter, last round: group commits, their time, and SQL statements by kind.
      commits: { single: inside.single[inside.single.length - 1], batch: inside.batch[inside.batch.length - 1], singleMany: inside.singleMany[inside.singleMany.length - 1] },
      storedAfter: stored,
      raw: runs,
    };
  } finally {
    await sink.stop().catch(() => undefined);
    await exporter.stop().catch(() => undefined);
  }
}

// ── 2.–4. The estate ────────────────────────────────────────────────────────────────────────

/** The FX rates file: good data, or rates missing for a quarter of the currencies (the check fails). */
function writeFx(good, d = join(dir, 'estate')) {
  const file = join(d, 'fx_rates.csv');
  const currencies = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'CNY', 'KRW', 'SGD', 'HKD', 'AUD', 'CAD', 'SEK'];
  const rows = currencies.map((c, i) => `${c},${good || i % 4 ? (0.5 + i * 0.37).toFixed(4) : ''},2026-01-01`);
  writeFileSync(`${file}.tmp`, ['currency,rate,as_of', ...rows, ''].join('\n'));
  renameSync(`${file}.tmp`, file);
}

function estateConfig(d) {
  writeFx(true, d);
  writeFileSync(join(d, 'fx.checks.yml'), ['checks for fx_rates:', '  - row_count > 0', '  - missing_count(rate) = 0:', '      name: Every currency has a rate', ''].join('\n'));
  const configFile = join(d, 'datatrust.yml');
  writeFileSync(
    configFile,
    [
      '# generated by bench/lineage.mjs: one configured dataset, the FX rates every fourth pipeline reads',
      'datasets:',
      `  fx_rates: { file: fx_rates.csv, format: csv, lineage: { namespace: "${FX.namespace}", name: ${FX.name} } }`,
      'checks: [fx.checks.yml]',
      'state: { path: state.duckdb }',
      '',
    ].join('\n'),
  );
  return configFile;
}

const datasetGate = (url, ds) => `${url}/api/v1/breakers/${encodeURIComponent(`${ds.namespace}/${ds.name}`)}`;
const jobGate = (url, j) => `${url}/api/v1/gates/jobs/${encodeURIComponent(j.namespace)}/${encodeURIComponent(j.name)}`;
const lineageUrl = (url, ds, depth, direction) => `${url}/api/v1/lineage?nodeId=${encodeURIComponent(`dataset:${ds.namespace}:${ds.name}`)}&depth=${depth}&direction=${direction}`;
const { nodeKey } = dist('lineage/model.js');
const keyOf = (x) => nodeKey(x.namespace, x.name);

async function buildEstate(exporter, estate) {
  log(TAG, `ingesting the estate: ${JOBS.toLocaleString('en')} COMPLETE RunEvents, ${BATCH_EVENTS} per batch, ${BATCH_CLIENTS} clients …`);
  const res = await client({ url: exporter.url, mode: 'build', batch: BATCH_EVENTS, concurrency: BATCH_CLIENTS, clientSeed: 1 });
  const size = await exporter.call('lineage-size');
  if (size.graphJobs < estate.jobs.length || size.graphDatasets < estate.datasets.length) throw new Error(`estate not fully in the graph: ${JSON.stringify(size)}`);
  log(TAG, `  ${res.accepted.toLocaleString('en')} events in ${formatMs(res.seconds * 1000)} (${Math.round(res.eventsPerSecond).toLocaleString('en')} events/s); graph ${size.graphDatasets.toLocaleString('en')} datasets, ${size.graphJobs.toLocaleString('en')} jobs`);
  return { ...res, graph: size };
}

async function queries(exporter, estate) {
  const rand = prng(23);
  const nodes = Array.from({ length: QUERIES }, () => estate.datasets[Math.floor(rand() * estate.datasets.length)]);
  const variants = [
    ['depth2_both', 2, 'both'],
    ['depth2_downstream', 2, 'downstream'],
    ['depth10_both', 10, 'both'],
    ['depth10_downstream', 10, 'downstream'],
  ];
  const out = Object.fromEntries(variants.map(([k]) => [k, { ms: [], nodes: [], bytes: [], asked: [] }]));
  // Warm-up: a few queries of each kind (JIT, caches), not timed.
  for (const [, depth, direction] of variants) for (const ds of nodes.slice(0, 5)) await http('GET', lineageUrl(exporter.url, ds, depth, direction));
  const per = Math.ceil(QUERIES / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    const slice = nodes.slice(r * per, (r + 1) * per);
    for (let v = 0; v < variants.length; v++) {
      const [k, depth, direction] = variants[(v + r) % variants.length];
      const deadline = performance.now() + QUERY_BUDGET_S * 1000;
      let said = performance.now();
      for (const ds of slice) {
        if (performance.now() > deadline) {
          out[k].cut = (out[k].cut ?? 0) + 1;
          continue;
        }
        if (performance.now() - said > 20_000) {
          said = performance.now();
          log(TAG, `    ${k}: ${out[k].ms.length} queries so far, p95 ${formatMs(percentile(out[k].ms, 95))}`);
        }
        const res = await http('GET', lineageUrl(exporter.url, ds, depth, direction));
        if (res.status !== 200) throw new Error(`lineage query answered ${res.status}: ${res.text.slice(0, 300)}`);
        out[k].ms.push(res.ms);
        out[k].bytes.push(Buffer.byteLength(res.text));
        out[k].nodes.push(JSON.parse(res.text).graph.length);
        out[k].asked.push(ds);
      }
    }
    log(TAG, `  queries round ${r + 1}/${ROUNDS}: ${variants.map(([k]) => `${k} p95 ${formatMs(percentile(out[k].ms, 95))}`).join(', ')}`);
  }
  // Where the time goes, in the exporter's process: on a random subsample, and on the three largest answers seen.
  const split = {};
  const asNodes = (list) => list.map((ds) => ({ type: 'dataset', key: keyOf(ds) }));
  for (const [k, depth, direction] of variants) {
    const largest = out[k].asked.map((ds, i) => [ds, out[k].nodes[i]]).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ds]) => ds);
    split[k] = { ...(await exporter.call('query-split', { nodes: asNodes(nodes.slice(0, SPLIT_NODES)), depth, direction })), largest: await exporter.call('query-split', { nodes: asNodes(largest), depth, direction }) };
  }
  const stats = (v) => ({ n: v.length, p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99), max: Math.max(...v) });
  return {
    settings: { queries: QUERIES, rounds: ROUNDS, budgetSecondsPerVariantAndRound: QUERY_BUDGET_S, nodes: 'uniformly random datasets of the estate (seeded)', client: 'one keep-alive client in the benchmark process, sequential requests, time to the last byte' },
    variants: Object.fromEntries(variants.map(([k, depth, direction]) => [k, { depth, direction, notRunForTime: out[k].cut ?? 0, latencyMs: stats(out[k].ms), nodes: stats(out[k].nodes), bytes: stats(out[k].bytes) }])),
    split,
  };
}

/** Scans fx_rates through the API and waits until the scan is done. */
async function scanFx(url) {
  const r = await http('POST', `${url}/api/v1/scans/fx_rates`, undefined, auth);
  if (r.status !== 202) throw new Error(`POST scan answered ${r.status}: ${r.text}`);
  const { scanId } = JSON.parse(r.text);
  for (;;) {
    const s = JSON.parse((await http('GET', `${url}/api/v1/scans/${scanId}`)).text);
    if (s.status === 'done') return s;
    if (s.status === 'failed') throw new Error(`scan failed: ${s.error}`);
    await sleep(20);
  }
}

/** Polls gates with a few concurrent loops until each answered `status` once; returns when each first did (ms since t0). */
async function watchGates(gates, status, t0, timeoutMs = 120_000) {
  const first = new Array(gates.length).fill(undefined);
  const deadline = performance.now() + timeoutMs;
  let polls = 0;
  const loops = 4;
  const roundMs = [];
  await Promise.all(
    Array.from({ length: loops }, async (_, w) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        let pending = 0;
        for (let i = w; i < gates.length; i += loops) {
          if (first[i] !== undefined) continue;
          pending++;
          const r = await http('GET', gates[i].url);
          polls++;
          if (r.status === status) first[i] = performance.now() - t0;
        }
        if (pending === 0) return;
        roundMs.push(performance.now() - started);
      }
    }),
  );
  const missing = gates.filter((_, i) => first[i] === undefined);
  if (missing.length) throw new Error(`${missing.length} gates never answered ${status}, e.g. ${missing[0].url}`);
  return { first, polls, pollRoundMs: median(roundMs) };
}

/** A sample of what FX blocks: datasets and jobs at every distance, nearest and farthest included. */
function sampleDownstream(estate, index, url) {
  const down = downstreamOf(estate, index, estate.fx);
  const spread = (entries, n) => {
    const sorted = [...entries].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    return Array.from({ length: Math.min(n, sorted.length) }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / Math.max(1, n - 1))]);
  };
  const datasets = spread(down.datasets, SAMPLE_GATES / 2).map(([d, distance]) => ({ kind: 'dataset', distance, url: datasetGate(url, estate.datasets[d]) }));
  const jobs = spread(down.jobs, SAMPLE_GATES / 2).map(([j, distance]) => ({ kind: 'job', distance, url: jobGate(url, estate.jobs[j]) }));
  return { down, gates: [...datasets, ...jobs] };
}

async function propagation(exporter, estate, index) {
  const { down, gates } = sampleDownstream(estate, index, exporter.url);
  const root = { kind: 'root', distance: 0, url: `${exporter.url}/api/v1/breakers/fx_rates` };
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Close: good data, a scan, every sampled gate back to 200.
    writeFx(true);
    await scanFx(exporter.url);
    await watchGates([root, ...gates], 200, performance.now(), 60_000);
    await sleep(500);
    // Open: bad data, then time from the scan request to each gate's first 423.
    writeFx(false);
    const t0 = performance.now();
    const watching = watchGates([root, ...gates], 423, t0);
    const scan = await scanFx(exporter.url);
    const scanDoneMs = performance.now() - t0;
    const w = await watching;
    const rootMs = w.first[0];
    const downstream = w.first.slice(1);
    const round = { scanDoneMs, scanOutcome: scan.breaker?.state ?? scan.results?.breaker?.state, rootOpenMs: rootMs, firstDownstreamMs: Math.min(...downstream), lastDownstreamMs: Math.max(...downstream), lastDatasetMs: Math.max(...downstream.filter((_, i) => gates[i].kind === 'dataset')), lastJobMs: Math.max(...downstream.filter((_, i) => gates[i].kind === 'job')), pollRoundMs: w.pollRoundMs };
    rounds.push(round);
    log(TAG, `  propagation round ${r + 1}/${ROUNDS}: scan done ${formatMs(scanDoneMs)}, fx gate 423 at ${formatMs(rootMs)}, downstream first ${formatMs(round.firstDownstreamMs)} last ${formatMs(round.lastDownstreamMs)} (poll round ${formatMs(w.pollRoundMs)})`);
  }
  // The breaker stays open for the gate measurements. What a rebuild of the block index costs:
  const rebuild = await exporter.call('blocks-timing', { keys: [keyOf(FX)], count: 5 });
  rebuild.parentPointersWhatIf = await exporter.call('blocks-parent-timing', { keys: [keyOf(FX)], count: 5 });
  const sample = await http('GET', gates[gates.length / 2 - 1].url);
  const m = (k) => median(rounds.map((x) => x[k]));
  return {
    settings: { sampledGates: gates.length, sampled: gates.map((g) => ({ kind: g.kind, distance: g.distance })), pollLoops: 4, rounds: ROUNDS },
    blastRadius: { datasets: down.datasets.size, jobs: down.jobs.size },
    scanDoneMs: m('scanDoneMs'),
    rootOpenMs: m('rootOpenMs'),
    firstDownstreamMs: m('firstDownstreamMs'),
    lastDownstreamMs: m('lastDownstreamMs'),
    lastDatasetMs: m('lastDatasetMs'),
    lastJobMs: m('lastJobMs'),
    beyondRootMs: median(rounds.map((x) => x.lastDownstreamMs - x.rootOpenMs)),
    pollRoundMs: m('pollRoundMs'),
    blockIndexRebuild: rebuild,
    farthestDatasetGate: { status: sample.status, bytes: Buffer.byteLength(sample.text) },
    rounds,
  };
}

/** Gate latency, open loop, idle and while events stream in (re-runs, then with new jobs). */
async function gatesUnderStream(exporter, estate, index) {
  const down = downstreamOf(estate, index, estate.fx);
  const rand = prng(31);
  const pickN = (entries, n) => Array.from({ length: n }, () => entries[Math.floor(rand() * entries.length)]);
  const dsUrls = pickN([...down.datasets.keys()], 100).map((d) => datasetGate(exporter.url, estate.datasets[d]));
  const jobUrls = pickN([...down.jobs.keys()], 100).map((j) => jobGate(exporter.url, estate.jobs[j]));
  for (const u of [...dsUrls.slice(0, 3), ...jobUrls.slice(0, 3)]) {
    const r = await http('GET', u);
    if (r.status !== 423) throw new Error(`gate ${u} answered ${r.status}, expected 423 while fx_rates is open`);
  }
  const files = { dataset: join(dir, 'dataset-gates.txt'), job: join(dir, 'job-gates.txt') };
  writeFileSync(files.dataset, dsUrls.join('\n'));
  writeFileSync(files.job, jobUrls.join('\n'));
  const conditions = ['idle', 'stream', 'stream_new_jobs'];
  const out = { dataset: {}, job: {} };
  for (const g of Object.keys(out)) for (const c of conditions) out[g][c] = [];
  const streams = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[(i + r) % conditions.length];
      for (const g of r % 2 ? ['job', 'dataset'] : ['dataset', 'job']) {
        await exporter.call('eld-reset');
        let streaming;
        if (c !== 'idle') {
          // The producer regenerates the estate before it sends: wait until it streams, then one more second.
          let started;
          const streamingNow = new Promise((res) => (started = res));
          streaming = client({ url: exporter.url, mode: 'stream', rate: STREAM_RATE, seconds: GATE_S + 3, clientSeed: 1000 + r * 10 + i, avoidJobs: [estate.fxWriter], ...(c === 'stream_new_jobs' ? { newJobEvery: NEW_JOB_EVERY } : {}) }, (m) => m === 'streaming' && started());
          await Promise.race([streamingNow, streaming]);
          await sleep(1000);
        }
        const res = await gateLoad(files[g], GATE_S);
        res.eventLoopDelayMs = await exporter.call('eld');
        if (streaming) {
          const s = await streaming;
          res.stream = { achievedRate: s.achievedRate, statuses: s.statuses, latencyMs: s.latencyMs, newJobs: s.newJobs };
          streams.push(s);
        }
        if (res.errors || res.unfinished) throw new Error(`gate load: ${JSON.stringify(res)}`);
        out[g][c].push(res);
        log(TAG, `  gates round ${r + 1}/${ROUNDS} ${g.padEnd(7)} ${c.padEnd(15)} p50 ${formatMs(res.latencyMs.p50)} p99 ${formatMs(res.latencyMs.p99)} (${res.non2xx} × 423 of ${res.completed})${res.stream ? `; events ${Math.round(res.stream.achievedRate)}/s, p99 ${formatMs(res.stream.latencyMs.p99)}` : ''}`);
      }
    }
  }
  // In the exporter's process: what one answer costs once the block index is built.
  const inProcess = await exporter.call('gate-timing', { datasets: dsUrls.map((u) => decodeURIComponent(u.split('/api/v1/breakers/')[1])), jobs: jobUrls.map((u) => u.split('/api/v1/gates/jobs/')[1].split('/').map(decodeURIComponent)) });
  const fig = (list) => ({ p50Ms: median(list.map((x) => x.latencyMs.p50)), p99Ms: median(list.map((x) => x.latencyMs.p99)), worstP99Ms: Math.max(...list.map((x) => x.latencyMs.p99)), eventLoopDelayMaxMs: median(list.map((x) => x.eventLoopDelayMs.maxMs)), ...(list[0].stream ? { streamEventsPerSecond: median(list.map((x) => x.stream.achievedRate)), streamEventP99Ms: median(list.map((x) => x.stream.latencyMs.p99)) } : {}), rounds: list.length });
  const ratio = (g, c) => median(out[g][c].map((x, i) => x.latencyMs.p99 / out[g].idle[i].latencyMs.p99));
  return {
    settings: { gateRate: GATE_RATE, connections: CONNECTIONS, seconds: GATE_S, streamRate: STREAM_RATE, newJobEvery: NEW_JOB_EVERY, gates: 'open loop (rate-client.mjs) over 100 random blocked datasets, or 100 random blocked jobs, downstream of fx_rates' },
    dataset: Object.fromEntries(conditions.map((c) => [c, fig(out.dataset[c])])),
    job: Object.fromEntries(conditions.map((c) => [c, fig(out.job[c])])),
    inProcess,
    ratios: { datasetStreamP99VsIdle: ratio('dataset', 'stream'), datasetNewJobsP99VsIdle: ratio('dataset', 'stream_new_jobs'), jobStreamP99VsIdle: ratio('job', 'stream'), jobNewJobsP99VsIdle: ratio('job', 'stream_new_jobs') },
    raw: out,
  };
}

/** Opens fx_rates's breaker (bad data, a scan) unless it is open already. */
async function ensureFxOpen(url) {
  if ((await http('GET', `${url}/api/v1/breakers/fx_rates`)).status === 423) return;
  writeFx(false);
  await scanFx(url);
}

async function estatePhase(parts) {
  const d = freshState('estate');
  const configFile = estateConfig(d);
  log(TAG, `generating the estate (${JOBS.toLocaleString('en')} jobs, ${DATASETS.toLocaleString('en')} datasets) …`);
  const estate = generateEstate({ jobs: JOBS, datasets: DATASETS, seed: SEED });
  const index = indexEstate(estate);
  const shape = describeEstate(estate, index);
  log(TAG, `  ${shape.pipelines.toLocaleString('en')} pipelines, largest weakly connected component ${(shape.components.largestShare * 100).toFixed(0)}% of nodes, FX rates upstream of ${shape.fxDownstream.datasets.toLocaleString('en')} datasets and ${shape.fxDownstream.jobs.toLocaleString('en')} jobs`);
  const result = { shape };

  let exporter = await startExporter('estate', configFile, 'exporter');
  try {
    result.build = await buildEstate(exporter, estate);
    result.memory = { afterBuild: await exporter.call('memory') };
    log(TAG, `  exporter memory after the build: RSS ${formatBytes(result.memory.afterBuild.rssBytes)} after GC, peak ${formatBytes(result.memory.afterBuild.maxRssBytes)}`);
    if (parts.includes('queries')) {
      log(TAG, 'lineage queries …');
      result.queries = await queries(exporter, estate);
    }
    if (parts.includes('propagation')) {
      log(TAG, 'breaker propagation …');
      result.propagation = await propagation(exporter, estate, index);
    }
    if (parts.includes('gates')) {
      log(TAG, 'gates while events stream in …');
      await ensureFxOpen(exporter.url);
      await exporter.call('instrument-commits');
      await exporter.call('commit-report');
      result.gates = await gatesUnderStream(exporter, estate, index);
      // The group commits of the streamed events: where their latency outliers come from.
      result.gates.commits = await exporter.call('commit-report');
    }
    result.memory.beforeRestart = await exporter.call('memory');
    // Diagnostic: one /metrics scrape with the estate in the graph (job and edge series grow with it).
    const scrape = await http('GET', `${exporter.url}/metrics`);
    result.metricsScrape = { ms: scrape.ms, bytes: Buffer.byteLength(scrape.text), series: scrape.text.split('\n').filter((l) => l && !l.startsWith('#')).length };
    log(TAG, `  /metrics with the estate: ${result.metricsScrape.series.toLocaleString('en')} series, ${formatBytes(result.metricsScrape.bytes)}, ${formatMs(scrape.ms)}`);
    if (parts.includes('restart')) {
      log(TAG, 'restart: loading the graph from the state file …');
      const probe = () => http('GET', lineageUrl(exporter.url, estate.datasets[estate.fx], 2, 'downstream'));
      const before = await probe();
      await exporter.stop();
      // Baseline: the same exporter and config with an empty state file, started as often.
      const emptyConfig = estateConfig(freshState('estate-empty'));
      const starts = { estate: [], empty: [] };
      let emptyMemory;
      for (let i = 0; i < ROUNDS; i++) {
        for (const which of i % 2 ? ['empty', 'estate'] : ['estate', 'empty']) {
          const t = performance.now();
          const e = await startExporter(which === 'estate' ? 'estate' : 'estate-empty', which === 'estate' ? configFile : emptyConfig, which === 'estate' ? 'exporter' : 'empty');
          starts[which].push(performance.now() - t);
          if (which === 'empty') {
            emptyMemory = await e.call('memory');
            await e.stop();
          } else {
            const size = await e.call('lineage-size');
            if (size.graphJobs < estate.jobs.length) throw new Error(`after a restart the graph holds ${size.graphJobs} jobs`);
            exporter = e;
            if (i < ROUNDS - 1) await e.stop();
          }
        }
      }
      const after = await probe();
      // The same nodes and edges (times move: every start scans fx_rates, which touches it; edge order follows load order).
      const edges = (list) => list.map((e) => `${e.origin}>${e.destination}`).sort();
      const structure = (text) => JSON.stringify(JSON.parse(text).graph.map((n) => [n.id, edges(n.inEdges), edges(n.outEdges)]));
      const same = structure(before.text) === structure(after.text);
      if (!same) {
        writeFileSync(join(dir, 'restart-before.json'), before.text);
        writeFileSync(join(dir, 'restart-after.json'), after.text);
      }
      result.memory.afterRestart = await exporter.call('memory');
      result.memory.empty = emptyMemory;
      result.restart = {
        startMs: summarize(starts.estate),
        emptyStartMs: summarize(starts.empty),
        loadMs: median(starts.estate.map((t, i) => t - starts.empty[i])),
        sameGraphAnswer: same,
        stateFileBytes: Number(execFileSync('du', ['-sb', join(d, 'state.duckdb')]).toString().split('\t')[0]),
      };
      log(TAG, `  start with the estate ${formatMs(median(starts.estate))} vs empty ${formatMs(median(starts.empty))}; RSS after load ${formatBytes(result.memory.afterRestart.rssBytes)} (peak ${formatBytes(result.memory.afterRestart.maxRssBytes)}, empty exporter ${formatBytes(emptyMemory.rssBytes)}); same lineage graph answer: ${same}`);
    }
  } finally {
    await exporter.stop().catch(() => undefined);
  }
  return result;
}

// ── 5. MTTD on the demo ─────────────────────────────────────────────────────────────────────

async function duckdbRetry(path, sql) {
  for (let attempt = 0; ; attempt++) {
    try {
      const db = await DuckDBInstance.create(path);
      try {
        const conn = await db.connect();
        await conn.run(sql);
        conn.closeSync();
      } finally {
        db.closeSync();
      }
      return;
    } catch (e) {
      // The exporter holds the file during a scan.
      if (attempt > 100) throw e;
      await sleep(100);
    }
  }
}

function startReceiver() {
  const deliveries = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const e of payload.events ?? []) deliveries.push({ at, type: e.type, dataset: e.dataset, incidentId: e.incidentId });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, deliveries, close: () => new Promise((r) => server.close(r)) })));
}

async function until(what, fn, timeoutMs = 60_000, every = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

async function mttd() {
  const d = freshState('mttd');
  const demo = join(d, 'demo.duckdb');
  log(TAG, `MTTD: \`datatrust demo\` → ${demo} …`);
  execFileSync(process.execPath, [CLI, 'demo', '--output', demo, '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const receiver = await startReceiver();
  const configFile = join(d, 'datatrust.yml');
  writeFileSync(
    configFile,
    [
      '# generated by bench/lineage.mjs: the demo datasets of datatrust.yml (no schedules) and a webhook to a local receiver',
      'sources: { warehouse: { type: duckdb, path: demo.duckdb } }',
      'datasets:',
      '  raw_transactions: { table: main.raw_transactions, critical: true }',
      '  users: { table: main.users }',
      '  accounts: { table: main.accounts }',
      '  cleaned_transactions: { table: main.cleaned_transactions, critical: true }',
      '  aggregated_sales: { table: main.aggregated_sales }',
      `checks: [${join(ROOT, 'checks')}/*.yml]`,
      'state: { path: state.duckdb }',
      'lineage: { trigger_debounce: 1s }',
      // The first event after a quiet second goes out at once; rounds leave more than that between alerts.
      `alerts: { group_window: 1s, channels: { hooks: { type: webhook, url: "${receiver.url}" } } }`,
      '',
    ].join('\n'),
  );
  const { loadProject } = dist('config/loadProject.js');
  const { datasetIdentity } = dist('lineage/datasetIdentity.js');
  const identity = datasetIdentity(loadProject(configFile).config, 'raw_transactions');
  const exporter = await startExporter('mttd', configFile, 'exporter');
  const opened = () => receiver.deliveries.filter((x) => x.dataset === 'raw_transactions' && x.type === 'incident.opened');
  const rounds = [];
  try {
    // Start-up scans: the planted NULL burst opens raw_transactions at once.
    await until('the start-up scans', async () => JSON.parse((await http('GET', `${exporter.url}/api/v1/breakers`)).text).breakers.every((b) => b.lastScanAt));
    for (let r = 0; r < MTTD_ROUNDS; r++) {
      // Fix the data and rescan: the breaker closes (and the incident resolves).
      await duckdbRetry(demo, 'UPDATE raw_transactions SET user_id = 1 + (txn_id * 7919) % 20000 WHERE user_id IS NULL AND txn_id BETWEEN 200001 AND 200400');
      const fix = await http('POST', `${exporter.url}/api/v1/scans/raw_transactions`, undefined, auth);
      if (fix.status !== 202) throw new Error(`rescan answered ${fix.status}`);
      await until('raw_transactions closed', async () => (await http('GET', `${exporter.url}/api/v1/breakers/raw_transactions`)).status === 200);
      // The defect lands again, as the next extract would bring it.
      await duckdbRetry(demo, 'UPDATE raw_transactions SET user_id = NULL WHERE txn_id BETWEEN 200001 AND 200400');
      // A quiet group window since the last alert, so the next one is sent at once.
      await sleep(1500);
      await until('a quiet alert channel', async () => Date.now() - Math.max(0, ...receiver.deliveries.map((x) => x.at)) > 1200, 30_000, 100);
      const before = opened().length;
      const t0 = Date.now();
      const event = {
        eventType: 'COMPLETE',
        eventTime: new Date(t0).toISOString(),
        producer: 'https://github.com/datatrust-light/bench/lineage.mjs',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId: uuidFrom(prng(900 + r)) },
        job: { namespace: 'demo', name: 'ingest_transactions' },
        inputs: [{ namespace: 'postgres://core-banking:5432', name: 'core.public.transactions' }],
        outputs: [{ namespace: identity.namespace, name: identity.name }],
      };
      const posted = await http('POST', `${exporter.url}/api/v1/lineage`, JSON.stringify(event), auth);
      if (posted.status !== 201) throw new Error(`COMPLETE answered ${posted.status}: ${posted.text}`);
      const alert = await until('the incident.opened alert', async () => (opened().length > before ? opened()[before] : undefined), 60_000, 5);
      const incidents = JSON.parse((await http('GET', `${exporter.url}/api/v1/incidents?state=open`)).text).incidents;
      const inc = incidents.find((i) => i.dataset === 'raw_transactions');
      const ms = alert.at - t0;
      const ownMs = inc?.firstAlertAt && inc?.arrivedAt ? Date.parse(inc.firstAlertAt) - Date.parse(inc.arrivedAt) : undefined;
      const detectMs = inc?.detectedAt && inc?.arrivedAt ? Date.parse(inc.detectedAt) - Date.parse(inc.arrivedAt) : undefined;
      rounds.push({ ms, postMs: posted.ms, exporterMttdMs: ownMs, arrivedToDetectedMs: detectMs });
      log(TAG, `  MTTD round ${r + 1}/${MTTD_ROUNDS}: ${formatMs(ms)} (exporter's own record ${ownMs === undefined ? '?' : formatMs(ownMs)}, detected after ${detectMs === undefined ? '?' : formatMs(detectMs)})`);
    }
  } finally {
    await exporter.stop().catch(() => undefined);
    await receiver.close();
  }
  const ms = rounds.map((x) => x.ms);
  const defined = (k) => rounds.map((x) => x[k]).filter((v) => typeof v === 'number');
  return {
    settings: { rounds: MTTD_ROUNDS, triggerDebounce: '1s', groupWindow: '1s', demoRows: 300_000, dataset: 'raw_transactions', identity },
    ms: { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), min: Math.min(...ms) },
    exporterMttdMs: summarize(defined('exporterMttdMs')),
    arrivedToDetectedMs: summarize(defined('arrivedToDetectedMs')),
    rounds,
  };
}

async function main() {
  const env = environment();
  log(TAG, `estate ${JOBS.toLocaleString('en')} jobs / ${DATASETS.toLocaleString('en')} datasets; ${ROUNDS} rounds; ingestion ${INGEST_S} s per round; gates ${GATE_S} s at ${GATE_RATE} req/s, stream ${STREAM_RATE} events/s`);
  const all = ['ingestion', 'queries', 'propagation', 'gates', 'restart', 'mttd'];
  const only = (process.env.BENCH_LINEAGE_ONLY ?? all.join(',')).split(',').map((x) => x.trim());
  for (const o of only) if (!all.includes(o)) throw new Error(`BENCH_LINEAGE_ONLY: unknown part \`${o}\` (known: ${all.join(', ')})`);
  const result = { environment: env, settings: { jobs: JOBS, datasets: DATASETS, seed: SEED, rounds: ROUNDS } };
  if (only.includes('ingestion')) {
    log(TAG, 'ingestion …');
    result.ingestion = await ingestion();
  }
  if (only.some((o) => ['queries', 'propagation', 'gates', 'restart'].includes(o))) Object.assign(result, await estatePhase(only));
  if (only.includes('mttd')) result.mttd = await mttd();
  result.goals = {
    ...(result.ingestion ? { batchedIngestion: { ...goal(result.ingestion.batch.eventsPerSecond >= 2000, '≥ 2,000 events/s batched, validation on'), value: result.ingestion.batch.eventsPerSecond } } : {}),
    ...(result.queries
      ? {
          depth10Both: { ...goal(result.queries.variants.depth10_both.latencyMs.p95 < 50, 'lineage query depth 10 p95 < 50 ms (direction=both)'), value: result.queries.variants.depth10_both.latencyMs.p95 },
          depth10Downstream: { ...goal(result.queries.variants.depth10_downstream.latencyMs.p95 < 50, 'lineage query depth 10 p95 < 50 ms (direction=downstream)'), value: result.queries.variants.depth10_downstream.latencyMs.p95 },
        }
      : {}),
    ...(result.mttd ? { mttdP95: { ...goal(result.mttd.ms.p95 <= 5000, 'MTTD p95 ≤ 5 s on the demo'), value: result.mttd.ms.p95 } } : {}),
  };
  writeResult('lineage', result);
}

await main();
agent.destroy();
