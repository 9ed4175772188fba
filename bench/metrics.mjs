// Exporter service, /metrics at 1,000 datasets × 20 checks. The state behind the scrape is built
// the honest way: a config with 1,000 small Parquet datasets (some with planted defects, some
// downstream of others), each scanned once through the running service's own queue, so every
// series (check status and value, evaluations, pass ratios, freshness, breakers, scan-duration
// histogram) comes from real scans. Then:
//  - render time, in the exporter's process, over ≥ 200 renders (runExporter keeps its
//    ExporterMetrics private, so server-child.mjs wires an identical one to the live service);
//  - the same series held in a plain prom-client registry with fixed values (no collect
//    callbacks): prom-client's own serialisation floor, the baseline for the render time;
//  - scrape latency through HTTP, from this process, ≥ 200 sequential GET /metrics.
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureDir, environment, formatMs, goal, log, RUNS, scaled, startServerChild, summarize, WORK_DIR, WRK, wrk, writeResult } from './lib.mjs';

const DATASETS = scaled(1000, 20);
const CHECKS_PER_DATASET = 20;
const RENDERS = Math.max(200, RUNS * 70);
const SCRAPES = Math.max(200, RUNS * 70);
const ROWS_PER_DATASET = 200;
/** Datasets come in groups of ten: a source table and nine built from it (`upstream:`). */
const GROUP = 10;

const name = (i) => `ds_${String(i).padStart(4, '0')}`;

/**
 * Small, deterministic tables. Some have a negative amount, so a check fails and the breaker
 * opens: one in 25, plus every third group's source, which blocks its nine downstream datasets.
 */
async function ensureData(dir) {
  const files = Array.from({ length: DATASETS }, (_, i) => join(dir, `${name(i)}.parquet`));
  if (files.every((f) => existsSync(f))) {
    log('metrics', `reusing ${DATASETS} Parquet files in ${dir}`);
    return files;
  }
  log('metrics', `generating ${DATASETS} Parquet files of ${ROWS_PER_DATASET} rows …`);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (let i = 0; i < DATASETS; i++) {
      const bad = i % 25 === 7 || i % (3 * GROUP) === 0;
      await conn.run(`COPY (
        SELECT range AS id, (range * 31 + ${i}) % 997 AS account,
               ${bad ? "CASE WHEN range = 3 THEN -5.0 ELSE (range % 100) + 0.5 END" : '(range % 100) + 0.5'}::DECIMAL(12, 2) AS amount,
               ['EUR', 'USD', 'GBP'][1 + range % 3] AS currency, ['booked', 'pending'][1 + range % 2] AS status,
               TIMESTAMP '2025-01-01' + to_minutes(range) AS created_at
        FROM range(${ROWS_PER_DATASET})) TO '${files[i]}' (FORMAT parquet)`);
      if ((i + 1) % 250 === 0) log('metrics', `  ${i + 1}/${DATASETS}`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return files;
}

/** The same 20 cheap checks for every dataset (one duplicates query, the rest single-pass). */
function checksFor(ds) {
  return [
    `checks for ${ds}:`,
    '  - row_count > 0',
    '  - missing_count(id) = 0',
    '  - missing_count(account) = 0',
    '  - missing_count(amount) = 0',
    '  - missing_count(currency) = 0',
    '  - missing_count(status) = 0',
    '  - missing_percent(created_at) < 1%',
    '  - invalid_count(currency) = 0:',
    '      valid values: [EUR, USD, GBP, CHF]',
    '  - invalid_count(status) = 0:',
    '      valid values: [booked, pending, reversed]',
    '  - invalid_count(amount) = 0:',
    '      name: No negative amounts',
    '      valid min: 0',
    '  - avg(amount) between 1 and 1000',
    '  - min(amount) > -1000000',
    '  - max(amount) < 1000000',
    '  - sum(amount) > 0',
    '  - stddev(amount) < 1000',
    '  - avg_length(currency) = 3',
    '  - max_length(status) < 20',
    '  - freshness(created_at):',
    '      warn: when > 1d',
    '  - duplicate_count(id) = 0',
    '  - percentile(amount, 0.5) >= 0',
    '',
  ].join('\n');
}

function scrape(agent, url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (d) => (bytes += d.length));
      res.on('end', () => resolve({ ms: performance.now() - started, bytes, status: res.statusCode }));
    }).on('error', reject);
  });
}

/** Writes a config for the first `count` datasets, starts an exporter on it and scans them all. */
async function startEstate(dir, files, count) {
  const state = join(dir, `state-${count}.duckdb`);
  for (const f of [state, `${state}.wal`]) rmSync(f, { force: true });
  const checksFile = join(dir, `checks-${count}.yml`);
  writeFileSync(checksFile, Array.from({ length: count }, (_, i) => checksFor(name(i))).join('\n'));
  const configFile = join(dir, `datatrust-${count}.yml`);
  const datasetLines = files.slice(0, count).flatMap((f, i) => {
    const root = i - (i % GROUP);
    return [`  ${name(i)}:`, `    file: ${JSON.stringify(f)}`, ...(i === root ? ['    critical: true'] : [`    upstream: [${name(root)}]`])];
  });
  writeFileSync(
    configFile,
    ['# generated by bench/metrics.mjs', 'datasets:', ...datasetLines, 'checks:', `  - ${JSON.stringify(checksFile)}`, 'server: { scan_on_start: false, max_concurrent_scans: 4 }', `state: { path: ${JSON.stringify(state)} }`, ''].join('\n'),
  );
  const exporter = await startServerChild('exporter', [configFile, 'bench-token', join(dir, `exporter-${count}.log`)], { tag: 'metrics' });
  try {
    log('metrics', `exporter at ${exporter.url}; scanning all ${count} datasets through the service (4 at a time) …`);
    const scanned = await exporter.call('scan-all');
    log('metrics', `  scanned ${scanned.datasets} datasets in ${formatMs(scanned.ms)}: ${JSON.stringify(scanned.outcomes)}`);
    const evaluated = Object.values(scanned.outcomes).reduce((a, b) => a + b, 0);
    if (evaluated !== count * CHECKS_PER_DATASET) throw new Error(`expected ${count * CHECKS_PER_DATASET} check results, got ${evaluated}`);
    if (scanned.outcomes.error) throw new Error(`${scanned.outcomes.error} checks errored`);
    return { exporter, scanned };
  } catch (e) {
    await exporter.stop().catch(() => undefined);
    throw e;
  }
}

async function renderAndFloor(exporter) {
  log('metrics', `rendering /metrics ${RENDERS}× in the exporter process (text format) …`);
  const text = await exporter.call('render', { count: RENDERS });
  log('metrics', `  ${text.series.toLocaleString('en')} series, ${(text.bytes / 1024).toFixed(0)} KiB: p50 ${formatMs(text.summary.median)}, p99 ${formatMs(text.summary.p99)}`);
  log('metrics', `the same series in a plain prom-client registry (no collect callbacks) ${RENDERS}× …`);
  const floor = await exporter.call('render-static', { count: RENDERS });
  if (floor.extra.length || floor.missing.length) throw new Error(`the plain registry does not hold the exporter's series: extra ${floor.extra}, missing ${floor.missing}`);
  log('metrics', `  ${floor.series.toLocaleString('en')} series: p50 ${formatMs(floor.summary.median)}, p99 ${formatMs(floor.summary.p99)}`);
  return { text, floor };
}

async function main() {
  log('metrics', `datasets=${DATASETS} × ${CHECKS_PER_DATASET} checks; ${RENDERS} renders, ${SCRAPES} scrapes`);
  const dir = ensureDir(join(WORK_DIR, 'metrics'));
  const files = await ensureData(ensureDir(join(dir, `data-${DATASETS}`)));
  const checkCount = DATASETS * CHECKS_PER_DATASET;
  const { exporter, scanned } = await startEstate(dir, files, DATASETS);
  let primary;
  try {
    const { text, floor } = await renderAndFloor(exporter);
    const om = await exporter.call('render', { count: Math.max(50, Math.round(RENDERS / 4)), accept: 'application/openmetrics-text; version=1.0.0' });
    log('metrics', `  OpenMetrics: p50 ${formatMs(om.summary.median)}, p99 ${formatMs(om.summary.p99)}`);

    log('metrics', `scraping ${exporter.url}/metrics ${SCRAPES}× over HTTP from this process …`);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await scrape(agent, `${exporter.url}/metrics`);
    const scrapes = [];
    let scrapeBytes = 0;
    for (let i = 0; i < SCRAPES; i++) {
      const s = await scrape(agent, `${exporter.url}/metrics`);
      if (s.status !== 200) throw new Error(`/metrics answered ${s.status}`);
      scrapes.push(s.ms);
      scrapeBytes = s.bytes;
      if ((i + 1) % 50 === 0) log('metrics', `  ${i + 1}/${SCRAPES} scrapes`);
    }
    agent.destroy();
    const scrape_ = summarize(scrapes);
    log('metrics', `  scrape p50 ${formatMs(scrape_.median)}, p99 ${formatMs(scrape_.p99)}`);
    const usage = await exporter.call('usage');

    // Evidence, not goals: where render time goes, and what 1,000 datasets do to the gate.
    const diagnostics = await exporter.call('diagnostics');
    log('metrics', `blockedBy() for every dataset (one scrape's worth): ${formatMs(diagnostics.blockedByAllDatasetsMs)}; one service.graph read: ${formatMs(diagnostics.graphGetterMs)}`);
    let gateAtScale;
    if (existsSync(WRK)) {
      const gateUrl = `${exporter.url}/api/v1/breakers/${name(GROUP + 1)}`;
      const body = await (await fetch(gateUrl)).text();
      const bodyFile = join(dir, 'gate-body.json');
      writeFileSync(bodyFile, body);
      const bare = await startServerChild('bare', [bodyFile, '200', 'application/json; charset=utf-8'], { tag: 'bare' });
      try {
        const seconds = scaled(10, 2);
        await wrk(gateUrl, 2);
        await wrk(bare.url, 2);
        const gate = await wrk(gateUrl, seconds);
        const bareRun = await wrk(bare.url, seconds);
        gateAtScale = { dataset: name(GROUP + 1), seconds, gate, bare: bareRun, ratio: gate.rps / bareRun.rps };
        log('metrics', `gate with ${DATASETS} datasets: ${Math.round(gate.rps)} req/s vs bare ${Math.round(bareRun.rps)} req/s (×${gateAtScale.ratio.toFixed(3)}), p99 ${gate.latencyMs.p99.toFixed(1)} ms`);
      } finally {
        await bare.stop();
      }
    }

    primary = { text, floor, om, scrape_, scrapeBytes, usage, diagnostics, gateAtScale };
  } finally {
    await exporter.stop().catch(() => undefined);
  }

  // The goal speaks of 20k series; 1,000 × 20 makes far more with today's families, so
  // also measure the estate size that does make about 20k series (render only).
  const perDataset = primary.text.series / DATASETS;
  const count20k = Math.min(DATASETS, Math.max(GROUP, Math.round(20_000 / perDataset / GROUP) * GROUP));
  let at20k;
  if (count20k < DATASETS) {
    log('metrics', `and at ~20k series: ${count20k} datasets …`);
    const estate = await startEstate(dir, files, count20k);
    try {
      const r = await renderAndFloor(estate.exporter);
      at20k = { datasets: count20k, series: r.text.series, render: r.text.summary, staticRegistryFloor: r.floor.summary, renderVsStaticRegistry: r.text.summary.median / r.floor.summary.median };
    } finally {
      await estate.exporter.stop().catch(() => undefined);
    }
  }

  {
    const { text, floor, om, scrape_, scrapeBytes, usage, diagnostics, gateAtScale } = primary;
    const renderVsFloor = text.summary.median / floor.summary.median;
    return writeResult('metrics', {
      benchmark: 'metrics',
      description: '/metrics of an exporter holding real scan results of 1,000 datasets × 20 checks',
      environment: environment(),
      data: { datasets: DATASETS, checksPerDataset: CHECKS_PER_DATASET, checkResults: checkCount, rowsPerDataset: ROWS_PER_DATASET, lineage: `groups of ${GROUP}: one source, ${GROUP - 1} downstream`, outcomes: scanned.outcomes, scanAllMs: scanned.ms },
      series: { total: text.series, byFamily: text.families, bytes: text.bytes },
      render: { format: 'Prometheus text 0.0.4', renders: RENDERS, ...text.summary, times: undefined },
      renderOpenMetrics: { renders: om.summary.n, ...om.summary },
      staticRegistryFloor: { series: floor.series, renders: RENDERS, ...floor.summary },
      scrape: { scrapes: SCRAPES, bytes: scrapeBytes, client: 'sequential keep-alive GETs from the benchmark process', ...scrape_ },
      ratios: {
        renderVsStaticRegistry: renderVsFloor,
        renderP99VsStaticRegistryP99: text.summary.p99 / floor.summary.p99,
        scrapeVsRender: scrape_.median / text.summary.median,
      },
      exporterProcess: usage,
      diagnostics: { ...diagnostics, gateAtScale },
      at20kSeries: at20k,
      goals: {
        renderP99: { ...goal(text.summary.p99 < 100, `/metrics render p99 < 100 ms at ${DATASETS} datasets × ${CHECKS_PER_DATASET} checks (${text.series} series)`), value: text.summary.p99 },
        scrapeP99: { ...goal(scrape_.p99 < 100, '/metrics scrape over HTTP p99 < 100 ms (same goal, through the server)'), value: scrape_.p99 },
        ...(at20k ? { renderP99At20k: { ...goal(at20k.render.p99 < 100, `/metrics render p99 < 100 ms at ${at20k.series} series (${at20k.datasets} datasets)`), value: at20k.render.p99 } } : {}),
      },
    });
  }
}

await main();
