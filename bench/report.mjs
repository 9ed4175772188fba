// Writes results/README.md from the result files present: the goals with PASS/MISS, then each
// benchmark's figures. Run by run.mjs after the benchmarks; `node bench/report.mjs` redoes it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, formatBytes, FULL_SIZE, readResult, RESULTS_DIR, SCALE } from './lib.mjs';

const ms = (v) => (typeof v !== 'number' ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);
const x = (v, d = 2) => (typeof v !== 'number' ? '–' : `×${v.toFixed(d)}`);
const n = (v) => (typeof v !== 'number' ? '–' : Math.round(v).toLocaleString('en'));
const verdict = (g) => (!g ? '–' : g.pass ? '**PASS**' : '**MISS**');

function envLine(r) {
  const e = r.environment;
  return `${e.date.slice(0, 16).replace('T', ' ')} UTC · ${e.cpuModel} × ${e.cores} · Node ${e.node} · load average at start ${e.loadAverage.join(' / ')}${e.git?.commit ? ` · commit ${e.git.commit.slice(0, 10)}${e.git.exporterSourceDirty ? ' (exporter/src modified)' : ''}` : ''}`;
}

/** The engine's statements in the warm-up run, in the order they finished, with their times. */
function planLine(r) {
  return r.plan ? `- the engine's statements (warm-up run): ${r.plan.map((q) => `${q.kind} ${ms(q.ms)}`).join(', ')}.` : '';
}

/** EXPLAIN ANALYZE of the engine's statements, recorded when a goal was missed. */
function explainBlock(r) {
  if (!r.explain?.length) return [];
  return ['', '<details><summary>EXPLAIN ANALYZE of the engine\'s statements (a goal was missed)</summary>', '', ...r.explain.flatMap((e) => [`**${e.kind}**`, '', '```sql', e.sql, '```', '', '```', e.plan.trim(), '```', '']), '</details>', ''];
}

function engineSection(r) {
  const v = r.variants;
  const rows = [
    ['engine (`runScan`, samples off)', v.engine, 'the figure under test'],
    ['engine, samples on', v.engine_samples, 'failed-row samples for the 8 warning checks'],
    ['engine, single-pass plan (diagnostic)', v.engine_single_pass, 'the one-aggregate plan the engine ran before its per-engine rules'],
    ['hand: one SELECT + duplicates query', v.hand_two_queries, ''],
    ['hand: both queries concurrently', v.hand_concurrent, 'two connections'],
    ['hand: one statement (scalar subquery)', v.hand_one_statement, ''],
    ['one query per check (dbt style)', v.per_check, '20 queries'],
  ];
  const rt = r.ratios;
  return [
    `## Check engine — ${n(r.data.rows)}-row Parquet file, 20 checks`,
    '',
    envLine(r),
    '',
    `${r.settings.runs} interleaved rounds after one warm-up; every baseline and plan was checked to return the engine's 20 values first. Ratios are medians of per-round ratios.`,
    '',
    '| variant | median | min | max | CPU median | note |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.filter(([, st]) => st).map(([label, st, note]) => `| ${label}${r.baseline && st === v[r.baseline] ? ' ← fastest by hand' : ''} | ${ms(st.median)} | ${ms(st.min)} | ${ms(st.max)} | ${ms(st.cpuMedianMs)} | ${note} |`),
    '',
    `- **engine / faster of (fastest hand-written, one query per check): ${x(rt.engineVsBaseline, 3)}** (goal ≤ 0.9); vs ${r.baseline} ${x(rt.engineVsHand, 3)}, vs one query per check ${x(rt.engineVsPerCheck, 3)}; as a ratio of medians ${x(rt.engineVsBaselineOfMedians, 3)}.`,
    `- **samples on / off: ${x(rt.samplesVsOff, 3)}** (goal ≤ 1.3).`,
    ...(rt.cpu ? [`- in CPU time (the work done, steadier than wall time on a shared machine): engine / faster baseline ${x(rt.cpu.engineVsBaseline, 3)} (vs hand ${x(rt.cpu.engineVsHand, 3)}, vs per-check ${x(rt.cpu.engineVsPerCheck, 3)}), samples on / off ${x(rt.cpu.samplesVsOff, 3)}, single pass / engine ${x(rt.cpu.singlePassVsEngine)}.`] : []),
    `- the single-pass plan takes ${x(rt.singlePassVsEngine)} the engine's time; engine overhead outside its queries (DuckDB start-up, describe, plan, evaluate) ${ms(v.engine.overheadMedianMs)}.`,
    planLine(r),
    `- peak RSS (median of 3 cold processes per variant): engine ${formatBytes(r.peakRssBytes.engine)} (${x(rt.peakRssEngineVsHand)} hand-written), engine with samples ${formatBytes(r.peakRssBytes.engine_samples)}, hand-written ${formatBytes(r.peakRssBytes.hand_two_queries)}, per-check ${formatBytes(r.peakRssBytes.per_check)} (Node + DuckDB loaded, idle: ${formatBytes(r.peakRssBytes.idle)}).`,
    ...explainBlock(r),
    '',
  ];
}

function postgresSection(r) {
  const v = r.variants;
  const rows = [
    ['engine (`runScan`, samples off)', v.engine],
    ['engine, samples on', v.engine_samples],
    ['engine, single-pass plan (diagnostic)', v.engine_single_pass],
    ['hand: one SELECT + duplicates query', v.hand_two_queries],
    ['hand: both queries concurrently', v.hand_concurrent],
    ['hand: percentile in its own query', v.hand_split_percentile],
    ['hand: percentile apart, all three queries concurrently', v.hand_split_concurrent],
    ['one query per check (dbt style)', v.per_check],
  ];
  const rt = r.ratios;
  return [
    `## Check engine — ${n(r.data.rows)}-row PostgreSQL table, 20 checks`,
    '',
    `${envLine(r)} · ${r.server.version} (${(r.data.tableBytes / 1024 ** 2).toFixed(0)} MiB table)`,
    '',
    `${r.settings.runs} interleaved rounds after one warm-up; ratios are medians of per-round ratios.`,
    '',
    '| variant | median | min | max | CPU median |',
    '|---|---:|---:|---:|---:|',
    ...rows.filter(([, st]) => st).map(([label, st]) => `| ${label}${st === v[rt.handBaseline] ? ' ← fastest by hand' : ''} | ${ms(st.median)} | ${ms(st.min)} | ${ms(st.max)} | ${ms(st.cpuMedianMs)} |`),
    '',
    `- **engine / fastest hand-written plan (${rt.handBaseline}): ${x(rt.engineVsHand, 3)}** (goal ≤ 1.0); as a ratio of medians ${x(rt.engineVsHandOfMedians, 3)}.`,
    `- **one query per check / engine: ${x(rt.perCheckVsEngine)}** (goal ≥ 1.5).`,
    `- **samples on / off: ${x(rt.samplesVsOff, 3)}** (goal ≤ 1.3).`,
    `- the single-pass plan takes ${x(rt.singlePassVsEngine)} the engine's time.`,
    ...(rt.cpu ? [`- in CPU time (this process and every process of the cluster): engine / ${rt.handBaseline} ${x(rt.cpu.engineVsHand, 3)}, per-check / engine ${x(rt.cpu.perCheckVsEngine)}, samples on / off ${x(rt.cpu.samplesVsOff, 3)}, single pass / engine ${x(rt.cpu.singlePassVsEngine)}.`] : []),
    ...(r.plans
      ? [`- parallel plan (EXPLAIN shows a Gather): engine main aggregate ${r.plans.engineAggregateParallel ? 'yes' : '**no**'}, hand-written aggregate ${r.plans.handAggregateParallel ? 'yes' : 'no'}, the same without the percentile ${r.plans.handAggregateWithoutPercentileParallel ? 'yes' : 'no'}.`]
      : []),
    planLine(r),
    `- per-check, the three dearest: ${Object.entries(v.per_check.queriesMedianMs ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, t]) => `${k} ${ms(t)}`)
      .join(', ')}.`,
    ...explainBlock(r),
    '',
  ];
}

function incrementalSection(r) {
  const v = r.variants;
  return [
    `## Incremental scan — ${n(r.data.appended)} rows appended to ${n(r.data.rows)} (Parquet folder)`,
    '',
    envLine(r),
    '',
    `${r.settings.runs} interleaved rounds after one warm-up. Each incremental scan starts from the state stored by a scan of the first ${n(r.data.rows)} rows and reads the ${n(r.data.appended)} rows past the watermark; the full scan reads all ${n(r.data.rows + r.data.appended)}. Before timing, every value of the incremental scans was checked against the full scans': identical, floating-point metrics within ${r.ratios.worstFloatingRelativeDifference.toExponential(1)} relative.`,
    '',
    '| variant | median | min | max |',
    '|---|---:|---:|---:|',
    `| incremental, ${r.data.checks} mergeable checks | ${ms(v.incremental.median)} | ${ms(v.incremental.min)} | ${ms(v.incremental.max)} |`,
    `| full scan, the same ${r.data.checks} checks | ${ms(v.full.median)} | ${ms(v.full.min)} | ${ms(v.full.max)} |`,
    `| incremental, all ${r.data.checks20} checks (percentile, duplicates and a user expression read every row) | ${ms(v.incremental_20_checks.median)} | ${ms(v.incremental_20_checks.min)} | ${ms(v.incremental_20_checks.max)} |`,
    `| full scan, the same ${r.data.checks20} checks | ${ms(v.full_20_checks.median)} | ${ms(v.full_20_checks.min)} | ${ms(v.full_20_checks.max)} |`,
    '',
    ...explainBlock(r),
    `- **incremental / full: ${x(r.ratios.incrementalVsFull, 4)}** (goal ≤ 0.05); with the three non-mergeable checks ${x(r.ratios.incremental20VsFull20, 3)}${r.ratios.cpu ? `; in CPU time ${x(r.ratios.cpu.incrementalVsFull, 4)}` : ''}.`,
    planLine(r),
    '',
  ];
}

function gateSection(r) {
  const f = r.figures;
  const o = r.openLoop;
  const row = (label, s) => (s?.rounds ? `| ${label} | ${n(s.rps)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.worstP99Ms)} | ${s.rounds} |` : `| ${label} | – | – | – | – | 0 |`);
  return [
    '## Exporter service — gate `GET /api/v1/breakers/tx`',
    '',
    envLine(r),
    '',
    `${r.settings.loadGenerator}, ${r.settings.durationS} s per round (${r.settings.duringScanWindowS} s inside each scan), medians over rounds; the gate answered ${r.data.gateStatus} with ${r.data.gateBodyBytes} bytes of JSON, the bare server the same bytes.`,
    '',
    '| target | req/s | p50 | p99 | worst p99 | rounds |',
    '|---|---:|---:|---:|---:|---:|',
    row('bare node:http', f.quietBare),
    ...Object.entries(r.ladder ?? {}).map(([k, s]) => row(`${{ bare_same_headers: 'bare node:http + the gate\'s other headers', express_plain: 'express, one route', express_middleware: 'express + helmet + express.json' }[k] ?? k} (diagnostic)`, s)),
    row('**exporter gate**', f.quietGate),
    row('bare node:http, exporter scanning', f.scanBare),
    row('**exporter gate, exporter scanning**', f.scanGate),
    '',
    `- **gate / bare throughput: ${x(r.ratios.gateVsBareThroughput, 3)}** (goal ≥ 0.6); gate p99 ${ms(f.quietGate.p99Ms)} vs bare ${ms(f.quietBare.p99Ms)}.`,
    `- **gate p99 during a scan: ${ms(f.scanGate.p99Ms)}** (goal < 10 ms); throughput ${x(r.ratios.gateDuringScanVsQuietBareThroughput, 3)} quiet bare, ${x(r.ratios.gateDuringScanVsBareDuringScanThroughput, 3)} bare under the same scan.`,
    ...(r.ladder && Object.keys(r.ladder).length
      ? [`- diagnostic rungs: ${Object.entries(r.ladder)
          .map(([k, s]) => `${k} ${x(s.vsBareThroughput, 3)} bare`)
          .join(', ')}${r.ladder.bare_same_headers ? `; gate / bare with the same ${Object.keys(r.data.gateOtherHeaders ?? {}).length} extra headers ${x(f.quietGate.rps / r.ladder.bare_same_headers.rps, 3)}` : ''}.`]
      : []),
    ...(o?.quietGate?.rounds
      ? [`- open loop at ${o.rate} req/s (latency from each request's due time): gate p99 ${ms(o.quietGate.p99Ms)} quiet, ${ms(o.scanGate.p99Ms)} during a scan; bare ${ms(o.quietBare.p99Ms)} / ${ms(o.scanBare.p99Ms)}.`]
      : []),
    `- scans of the file: ${ms(r.scans.idleMs)} alone, ${r.scans.underLoadMs.map(ms).join(', ')} under load; scan DuckDB threads: ${r.settings.scanDuckdbThreads}.`,
    `- exporter event-loop delay, max within a round (median of rounds): quiet ${ms(f.quietGate.eventLoopDelayMaxMs)}, during a scan ${ms(f.scanGate.eventLoopDelayMaxMs)}; the bare server's under the same scan ${ms(f.scanBare.eventLoopDelayMaxMs)}.`,
    '',
  ];
}

function metricsSection(r) {
  return [
    `## Exporter service — \`/metrics\` at ${n(r.data.datasets)} datasets × ${r.data.checksPerDataset} checks`,
    '',
    envLine(r),
    '',
    `${n(r.series.total)} series, ${(r.series.bytes / 1024).toFixed(0)} KiB: ${Object.entries(r.series.byFamily)
      .filter(([k]) => k.startsWith('datatrust_'))
      .sort((a, b) => b[1] - a[1])
      .map(([k, c]) => `${k.replace('datatrust_', '')} ${n(c)}`)
      .join(', ')}, and ${n(
      Object.entries(r.series.byFamily)
        .filter(([k]) => !k.startsWith('datatrust_'))
        .reduce((a, [, c]) => a + c, 0),
    )} Node.js/process series (prom-client defaults).`,
    '',
    '| measurement | n | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| render, text format (in the exporter process) | ${r.render.n} | ${ms(r.render.median)} | ${ms(r.render.p99)} | ${ms(r.render.max)} |`,
    `| render, OpenMetrics | ${r.renderOpenMetrics.n} | ${ms(r.renderOpenMetrics.median)} | ${ms(r.renderOpenMetrics.p99)} | ${ms(r.renderOpenMetrics.max)} |`,
    `| baseline: same series, plain prom-client registry | ${r.staticRegistryFloor.n} | ${ms(r.staticRegistryFloor.median)} | ${ms(r.staticRegistryFloor.p99)} | ${ms(r.staticRegistryFloor.max)} |`,
    `| scrape over HTTP (sequential GETs) | ${r.scrape.n} | ${ms(r.scrape.median)} | ${ms(r.scrape.p99)} | ${ms(r.scrape.max)} |`,
    ...(r.at20kSeries
      ? [`| render at ${n(r.at20kSeries.series)} series (${n(r.at20kSeries.datasets)} datasets) | ${r.at20kSeries.render.n} | ${ms(r.at20kSeries.render.median)} | ${ms(r.at20kSeries.render.p99)} | ${ms(r.at20kSeries.render.max)} |`, `| baseline at ${n(r.at20kSeries.series)} series | ${r.at20kSeries.staticRegistryFloor.n} | ${ms(r.at20kSeries.staticRegistryFloor.median)} | ${ms(r.at20kSeries.staticRegistryFloor.p99)} | ${ms(r.at20kSeries.staticRegistryFloor.max)} |`, '']
      : []),
    `- **render p99 ${ms(r.render.p99)}** (goal < 100 ms); render / plain-registry floor ${x(r.ratios.renderVsStaticRegistry)} (median), ${x(r.ratios.renderP99VsStaticRegistryP99)} (p99); scrape p99 ${ms(r.scrape.p99)}.`,
    `- state built by scanning all ${n(r.data.datasets)} datasets through the service: ${ms(r.data.scanAllMs)}; outcomes ${JSON.stringify(r.data.outcomes)}.`,
    ...(r.diagnostics
      ? [
          `- diagnostics: \`service.blockedBy()\` for every dataset (what one scrape calls) ${ms(r.diagnostics.blockedByAllDatasetsMs)}; one \`service.graph\` read ${ms(r.diagnostics.graphGetterMs)}.`,
          ...(r.diagnostics.gateAtScale
            ? [`- gate with ${n(r.data.datasets)} datasets configured: ${n(r.diagnostics.gateAtScale.gate.rps)} req/s vs bare ${n(r.diagnostics.gateAtScale.bare.rps)} req/s (${x(r.diagnostics.gateAtScale.ratio, 3)}), p99 ${ms(r.diagnostics.gateAtScale.gate.latencyMs.p99)}.`]
            : []),
        ]
      : []),
    '',
  ];
}

/** The hand-written notes on the engine goals (what the plans do, what was tried), kept in the report. */
function notes() {
  const file = join(BENCH_DIR, 'engine-notes.md');
  return existsSync(file) ? [readFileSync(file, 'utf8').trim(), ''] : [];
}

export function writeReport() {
  const engine = readResult('engine');
  const postgres = readResult('postgres');
  const incremental = readResult('incremental');
  const gate = readResult('gate');
  const metrics = readResult('metrics');
  const goals = [
    ['engine / faster of (fastest hand-written, one query per check) ≤ 0.9 (10M-row Parquet)', engine?.goals.engineVsBaseline, (g) => x(g.value, 3)],
    ['samples on / off ≤ 1.3 (10M-row Parquet)', engine?.goals.samplesVsOff, (g) => x(g.value, 3)],
    ['engine / fastest hand-written plan ≤ 1.0 (1M-row PostgreSQL)', postgres?.goals.engineVsHand, (g) => x(g.value, 3)],
    ['one query per check / engine ≥ 1.5 (1M-row PostgreSQL)', postgres?.goals.perCheckVsEngine, (g) => x(g.value)],
    ['samples on / off ≤ 1.3 (1M-row PostgreSQL)', postgres?.goals.samplesVsOff, (g) => x(g.value, 3)],
    ['incremental scan / full scan ≤ 0.05 after 1% new rows (10M-row Parquet)', incremental?.goals.incrementalVsFull, (g) => x(g.value, 4)],
    ['gate throughput ≥ 0.6× bare node:http', gate?.goals.throughput, (g) => x(g.value, 3)],
    ['gate p99 < 10 ms during a 10M-row scan', gate?.goals.p99DuringScan, (g) => ms(g.value)],
    [`/metrics render p99 < 100 ms, 1,000 datasets × 20 checks (${metrics ? n(metrics.series.total) : '?'} series)`, metrics?.goals.renderP99, (g) => ms(g.value)],
    ...(metrics?.goals.renderP99At20k ? [[`/metrics render p99 < 100 ms at ${n(metrics.at20kSeries.series)} series (${n(metrics.at20kSeries.datasets)} datasets)`, metrics.goals.renderP99At20k, (g) => ms(g.value)]] : []),
  ];
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${FULL_SIZE ? '' : ` at BENCH_SCALE=${SCALE} (a smoke run: sizes shrunk, figures not comparable with the goals)`}. Every figure is a ratio against a baseline measured in the same run, on the same machine, at the same moment; raw numbers, environment and SQL are in the JSON files next to this one. How each benchmark works and why its baseline is fair: [../README.md](../README.md).`,
    '',
    '| goal | value | result |',
    '|---|---:|---|',
    ...goals.map(([label, g, fmt]) => `| ${label} | ${g ? fmt(g) : 'not run'} | ${verdict(g)} |`),
    '',
    ...(engine ? engineSection(engine) : []),
    ...(postgres ? postgresSection(postgres) : []),
    ...(incremental ? incrementalSection(incremental) : []),
    ...notes(),
    ...(gate ? gateSection(gate) : []),
    ...(metrics ? metricsSection(metrics) : []),
  ];
  const file = join(RESULTS_DIR, 'README.md');
  writeFileSync(file, lines.join('\n'));
  return { file, goals: goals.map(([label, g, fmt]) => ({ label, value: g ? fmt(g) : 'not run', result: g ? (g.pass ? 'PASS' : 'MISS') : '–' })) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(writeReport().file);
